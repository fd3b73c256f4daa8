package qcctest

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptrace"
)

// InProcessBaseURL is the API base to use with Transport. Nothing listens
// there: the transport never dials.
const InProcessBaseURL = "http://127.0.0.1" + APIPrefix

// ErrDropped is the error the in-process transport returns for a request
// whose connection the sandbox dropped (see WithDropRate and 掉线).
var ErrDropped = errors.New("qcctest: connection closed before the answer")

// Transport returns an http.RoundTripper that hands every request straight
// to the server's handler in the calling goroutine, with no socket: the
// fastest way to run the sandbox in-process (about ten times the loopback
// throughput). Give it to the client in an http.Client together with
// InProcessBaseURL; report downloads must use the same transport. It
// reports the request as written to an httptrace.ClientTrace, as a real
// connection would, so a dropped answer looks ambiguous.
func (s *Server) Transport() http.RoundTripper { return inProcess{h: s.Handler()} }

type inProcess struct{ h http.Handler }

func (t inProcess) RoundTrip(req *http.Request) (resp *http.Response, err error) {
	if req.Body != nil {
		defer req.Body.Close()
	}
	ctx := req.Context()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	sreq := req.Clone(ctx)
	if sreq.Host == "" {
		sreq.Host = req.URL.Host
	}
	sreq.RequestURI = req.URL.RequestURI()
	sreq.RemoteAddr = "127.0.0.1:1"
	if tr := httptrace.ContextClientTrace(ctx); tr != nil && tr.WroteRequest != nil {
		tr.WroteRequest(httptrace.WroteRequestInfo{})
	}
	defer func() {
		if r := recover(); r != nil {
			if r != http.ErrAbortHandler { // a panic value, compared as such
				panic(r)
			}
			resp, err = nil, ErrDropped
		}
	}()
	rec := &recorder{header: http.Header{}}
	t.h.ServeHTTP(rec, sreq)
	if err := ctx.Err(); err != nil { // the handler gave up waiting, as a server would on a closed connection
		return nil, err
	}
	if rec.code == 0 {
		rec.code = http.StatusOK
	}
	n := int64(rec.body.Len())
	if req.Method == http.MethodHead {
		n = -1
	}
	return &http.Response{
		Status:     fmt.Sprintf("%d %s", rec.code, http.StatusText(rec.code)),
		StatusCode: rec.code, Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
		Header: rec.header, Body: io.NopCloser(&rec.body), ContentLength: n, Request: req,
	}, nil
}

// recorder is a minimal http.ResponseWriter that keeps the answer in memory.
type recorder struct {
	header http.Header
	code   int
	body   bytes.Buffer
}

func (r *recorder) Header() http.Header { return r.header }

func (r *recorder) WriteHeader(code int) {
	if r.code == 0 {
		r.code = code
	}
}

func (r *recorder) Write(b []byte) (int, error) {
	r.WriteHeader(http.StatusOK)
	return r.body.Write(b)
}
