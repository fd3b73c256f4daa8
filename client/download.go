package client

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"sync/atomic"
)

// ErrTooLarge is the cause of a download that exceeded its byte limit.
var ErrTooLarge = errors.New("report file larger than the limit")

// Download fetches a report file from rawURL (a ReportUrl) with a plain GET
// and streams it into w. No key, Timespan or Token is sent: the report URL
// may point at another host. It returns the bytes written to w.
//
// maxBytes > 0 caps the file; past it the download fails with a
// *TransportError wrapping ErrTooLarge (bytes already written stay in w).
// A non-2xx answer is a *TransportError with its HTTP status. An error
// writing to w is returned as it is. A report URL, or a redirect, in plain
// http to a host that is not loopback is refused with ErrPlainHTTPDownload
// (nothing sent) unless WithPlainHTTPDownloads allows it: the URL is a
// bearer link.
func (c *Client) Download(ctx context.Context, rawURL string, w io.Writer, maxBytes int64) (int64, error) {
	u, err := url.Parse(rawURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return 0, fmt.Errorf("qcc Download: report URL is not an http(s) URL")
	}
	if c.plainHTTPRefused(u) {
		return 0, &PlainHTTPError{Host: u.Host}
	}
	if err := ctx.Err(); err != nil {
		return 0, &TransportError{Op: opDownload, Err: err}
	}
	rctx, cancel := context.WithTimeoutCause(ctx, c.downloadTimeout, ErrTimeout)
	defer cancel()
	var sent atomic.Bool
	trace := &httptrace.ClientTrace{WroteRequest: func(i httptrace.WroteRequestInfo) {
		if i.Err == nil {
			sent.Store(true)
		}
	}}
	req, err := http.NewRequestWithContext(httptrace.WithClientTrace(rctx, trace), http.MethodGet, u.String(), nil)
	if err != nil {
		return 0, fmt.Errorf("qcc Download: %v", stripURLError(err))
	}
	req.Header.Set("User-Agent", "qccbatch")
	resp, err := c.download.Do(req)
	var pe *PlainHTTPError
	if errors.As(err, &pe) { // a redirect refused: nothing was sent to it
		return 0, pe
	}
	if err != nil {
		return 0, c.failure(ctx, rctx, opDownload, c.downloadTimeout, sent.Load(), 0, err, "")
	}
	defer resp.Body.Close()
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10)) // keep the connection reusable
		return 0, &TransportError{Op: opDownload, HTTPStatus: resp.StatusCode, MaybeSent: true,
			RetryAfter: parseRetryAfter(resp.Header.Get("Retry-After"), c.now()),
			Err:        errors.New("report file not served")}
	}
	var body io.Reader = resp.Body
	if maxBytes > 0 {
		body = io.LimitReader(resp.Body, maxBytes+1)
	}
	cw := &countingWriter{w: w, max: maxBytes}
	_, err = io.Copy(cw, body)
	switch {
	case errors.Is(err, errWriteLimit):
		return cw.n, &TransportError{Op: opDownload, HTTPStatus: resp.StatusCode, MaybeSent: true,
			Err: fmt.Errorf("%w (%d bytes)", ErrTooLarge, maxBytes)}
	case cw.werr != nil:
		return cw.n, fmt.Errorf("qcc Download: writing the report: %w", cw.werr)
	case err != nil:
		return cw.n, c.failure(ctx, rctx, opDownload, c.downloadTimeout, true, resp.StatusCode, err, "")
	}
	if resp.ContentLength >= 0 && cw.n != resp.ContentLength {
		return cw.n, &TransportError{Op: opDownload, HTTPStatus: resp.StatusCode, MaybeSent: true,
			Err: fmt.Errorf("got %d of %d bytes", cw.n, resp.ContentLength)}
	}
	return cw.n, nil
}

var errWriteLimit = errors.New("write limit")

// countingWriter counts bytes written to w and refuses to pass max.
type countingWriter struct {
	w    io.Writer
	n    int64
	max  int64
	werr error
}

func (cw *countingWriter) Write(p []byte) (int, error) {
	if cw.max > 0 && cw.n+int64(len(p)) > cw.max {
		return 0, errWriteLimit
	}
	n, err := cw.w.Write(p)
	cw.n += int64(n)
	if err != nil {
		cw.werr = err
	}
	return n, err
}
