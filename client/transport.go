package client

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"strconv"
	"strings"
	"sync/atomic"
	"time"
)

const (
	opCreate   = "CreateReport"
	opPoll     = "GetReportInfo"
	opDownload = "Download"
)

// answer is the envelope of every API answer.
type answer struct {
	Status  flexCode        `json:"Status"`
	Message string          `json:"Message"`
	Result  json.RawMessage `json:"Result"`
}

// call sends one signed request to {base}/ReportBaseId/{op} and returns the
// Status 200 answer. It is the one place where an HTTP exchange becomes a
// result or a typed error.
//
// A 115 answer to a request signed more than MaxClockSkew off the API's
// clock is sent once more, signed with the API's time: the API refused the
// request before doing anything, so even a CreateReport is safe to repeat.
func (c *Client) call(ctx context.Context, op, method string, params url.Values) (*answer, error) {
	if err := ctx.Err(); err != nil {
		return nil, &TransportError{Op: op, Err: err}
	}
	params.Set("key", c.key)
	u := *c.base
	u.Path += "/ReportBaseId/" + op
	u.RawQuery = params.Encode()

	a, err := c.exchange(ctx, op, method, u.String())
	var ae *APIError
	if errors.As(err, &ae) && ae.Code == 115 && ae.ClockOffset != 0 && ctx.Err() == nil {
		return c.exchange(ctx, op, method, u.String())
	}
	return a, err
}

// exchange sends one request and reads its answer, within the
// per-request timeout and the context's deadline.
func (c *Client) exchange(ctx context.Context, op, method, rawURL string) (*answer, error) {
	rctx, cancel := context.WithTimeoutCause(ctx, c.timeout, ErrTimeout)
	defer cancel()
	var sent atomic.Bool
	trace := &httptrace.ClientTrace{WroteRequest: func(i httptrace.WroteRequestInfo) {
		if i.Err == nil {
			sent.Store(true)
		}
	}}
	req, err := http.NewRequestWithContext(httptrace.WithClientTrace(rctx, trace), method, rawURL, nil)
	if err != nil {
		return nil, &TransportError{Op: op, Err: c.scrubErr(stripURLError(err), "")}
	}
	signedAt := c.signTime()
	ts := strconv.FormatInt(signedAt.Unix(), 10)
	token := Sign(c.key, ts, c.secret)
	req.Header.Set("Timespan", ts)
	req.Header.Set("Token", token)
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", "qccbatch")

	sentAt := c.now()
	resp, err := c.api.Do(req)
	if err != nil {
		return nil, c.failure(ctx, rctx, op, c.timeout, sent.Load(), 0, err, token)
	}
	defer resp.Body.Close()
	apiTime := c.observeDate(resp.Header, sentAt, c.now())
	retryBase := apiTime
	if retryBase.IsZero() {
		retryBase = c.now()
	}
	retry := parseRetryAfter(resp.Header.Get("Retry-After"), retryBase)
	body, err := readCapped(resp.Body, c.maxBody)
	if err != nil {
		te := c.failure(ctx, rctx, op, c.timeout, true, resp.StatusCode, err, token)
		te.RetryAfter = retry
		return nil, te
	}
	var a answer
	if jerr := json.Unmarshal(body, &a); jerr != nil || !a.Status.set {
		return nil, &TransportError{Op: op, HTTPStatus: resp.StatusCode, MaybeSent: true,
			RetryAfter: retry, Err: notQCC(resp, body)}
	}
	if a.Status.code != 200 {
		sc := LookupCode(a.Status.code)
		ae := &APIError{Op: op, Code: a.Status.code, Message: c.scrub(a.Message, token),
			Class: sc.Class, HTTPStatus: resp.StatusCode, RetryAfter: retry}
		if off := apiTime.Sub(signedAt); ae.Code == 115 && !apiTime.IsZero() && (off > MaxClockSkew || off < -MaxClockSkew) {
			ae.ClockOffset = off.Round(time.Second)
		}
		return nil, ae
	}
	a.Message = c.scrub(a.Message, token)
	return &a, nil
}

// failure builds the TransportError of a request to op that failed in
// transit: ctx is the caller's context, rctx the request's (ctx bounded by
// the per-request timeout limit), sent whether the request was written,
// status the HTTP status if an answer began. The cause says the caller
// gave up, or the timeout, rather than the transport noise, and holds no
// credential (token may be "").
func (c *Client) failure(ctx, rctx context.Context, op string, limit time.Duration, sent bool, status int, err error, token string) *TransportError {
	te := &TransportError{Op: op, HTTPStatus: status, MaybeSent: sent}
	switch {
	case ctx.Err() != nil: // the caller gave up: say so, not the transport noise
		te.Err = ctx.Err()
	case errors.Is(context.Cause(rctx), ErrTimeout):
		te.Err = fmt.Errorf("%w (%s)", ErrTimeout, limit)
	case errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF):
		te.Err = fmt.Errorf("connection closed before a complete answer: %w", c.scrubErr(stripURLError(err), token))
	default:
		te.Err = c.scrubErr(stripURLError(err), token)
	}
	return te
}

// notQCC describes an answer that is not a QCC JSON document.
func notQCC(resp *http.Response, body []byte) error {
	ct := resp.Header.Get("Content-Type")
	if i := strings.IndexByte(ct, ';'); i >= 0 {
		ct = ct[:i]
	}
	if ct == "" {
		ct = "no content type"
	}
	if len(body) == 0 {
		return fmt.Errorf("empty answer, not a QCC JSON document")
	}
	return fmt.Errorf("answer is not a QCC JSON document (%s, %d bytes)", ct, len(body))
}

// readCapped reads all of r, failing past max bytes.
func readCapped(r io.Reader, limit int64) ([]byte, error) {
	b, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(b)) > limit {
		return nil, fmt.Errorf("answer larger than %d bytes", limit)
	}
	return b, nil
}

// parseRetryAfter reads a Retry-After header: delay-seconds or an HTTP date.
func parseRetryAfter(v string, now time.Time) time.Duration {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0
	}
	if n, err := strconv.ParseInt(v, 10, 64); err == nil {
		if n <= 0 {
			return 0
		}
		return time.Duration(min(n, 86400)) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil && t.After(now) {
		return min(t.Sub(now), 24*time.Hour)
	}
	return 0
}

// stripURLError drops the *url.Error layer, whose text holds the request
// URL and with it the key.
func stripURLError(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}

// minSecretLen is the shortest credential that scrub replaces; shorter
// strings would mangle ordinary words.
const minSecretLen = 6

// scrub removes the key, the secret and token from s.
func (c *Client) scrub(s, token string) string {
	for _, x := range []string{c.secret, token, c.key} {
		if len(x) >= minSecretLen {
			s = strings.ReplaceAll(s, x, "***")
		}
	}
	return s
}

func (c *Client) scrubErr(err error, token string) error {
	if err == nil {
		return nil
	}
	msg := err.Error()
	if s := c.scrub(msg, token); s != msg {
		return &scrubbedError{msg: s, err: err}
	}
	return err
}

// flexCode is a Status sent as a JSON string ("200") or number (200).
type flexCode struct {
	code int
	set  bool
}

func (f *flexCode) UnmarshalJSON(b []byte) error {
	var s flexString
	if err := s.UnmarshalJSON(b); err != nil || s == "" {
		return err
	}
	n, err := strconv.Atoi(strings.TrimSpace(string(s)))
	if err != nil {
		return fmt.Errorf("status %q is not a number", string(s))
	}
	f.code, f.set = n, true
	return nil
}

// flexString is a JSON string that may also arrive as a number or null.
type flexString string

func (f *flexString) UnmarshalJSON(b []byte) error {
	b = []byte(strings.TrimSpace(string(b)))
	switch {
	case string(b) == "null":
		*f = ""
	case len(b) > 0 && b[0] == '"':
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		*f = flexString(s)
	default:
		var n json.Number
		if err := json.Unmarshal(b, &n); err != nil {
			return fmt.Errorf("want a string or a number, got %.20s", b)
		}
		*f = flexString(n.String())
	}
	return nil
}
