package client

import (
	"crypto/md5"
	"crypto/tls"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"strings"
	"sync/atomic"
	"time"
)

// DefaultBaseURL is the production API base.
const DefaultBaseURL = "https://pro.qcc.com/api/yj"

// Defaults of the options.
const (
	DefaultTimeout         = 30 * time.Second
	DefaultDownloadTimeout = 2 * time.Minute
	DefaultMaxBody         = 1 << 20 // bytes of one API answer
)

// Client calls the 基础身份报告 API with one key. It is safe for concurrent
// use. It does not limit the request rate and retries only a 115 answer
// caused by its own clock (once, signed with the API's time): the caller
// retries, after CreateReport by OrderDecision, after GetReportInfo and
// Download by ClassOf, honouring RetryAfter.
//
// It reads the Date header of every API answer and, when the local clock
// is more than MaxClockSkew off the API's, signs with the API's time (see
// ClockOffset and WithLogger).
type Client struct {
	base   *url.URL
	key    string
	secret string

	api      *http.Client // never follows redirects
	download *http.Client // follows redirects, sends no credentials

	timeout         time.Duration
	downloadTimeout time.Duration
	maxBody         int64
	plainHTTP       bool // downloads may use plain http to hosts that are not loopback
	now             func() time.Time
	log             *slog.Logger

	measured atomic.Int64 // API clock minus local clock (ns), from the last Date header
	applied  atomic.Int64 // the offset signing uses: measured when beyond MaxClockSkew, else 0
	warned   atomic.Bool  // the clock warning was logged
}

// Option configures a Client.
type Option func(*Client)

// WithHTTPClient makes the client send through hc (its Transport, Jar and
// Timeout are used; its redirect policy is replaced for API calls).
func WithHTTPClient(hc *http.Client) Option {
	return func(c *Client) {
		api, dl := *hc, *hc
		api.CheckRedirect = noRedirect
		dl.CheckRedirect = c.downloadRedirect(hc.CheckRedirect)
		c.api, c.download = &api, &dl
	}
}

// WithTimeout sets the limit on one API request, from sending it to the
// end of the answer [30s]. A value <= 0 keeps the default. A request never
// outlives its context: the earlier of the two deadlines applies, to the
// reading of the answer's body too.
func WithTimeout(d time.Duration) Option {
	return func(c *Client) {
		if d > 0 {
			c.timeout = d
		}
	}
}

// WithDownloadTimeout sets the limit on one report download [2m].
func WithDownloadTimeout(d time.Duration) Option {
	return func(c *Client) {
		if d > 0 {
			c.downloadTimeout = d
		}
	}
}

// WithClock sets the local clock; the Timespan header is taken from it,
// corrected by ClockOffset when that is beyond MaxClockSkew.
func WithClock(now func() time.Time) Option {
	return func(c *Client) {
		if now != nil {
			c.now = now
		}
	}
}

// WithMaxBody caps the bytes read from one API answer [1 MiB].
func WithMaxBody(n int64) Option {
	return func(c *Client) {
		if n > 0 {
			c.maxBody = n
		}
	}
}

// New returns a client for the API at baseURL (DefaultBaseURL if empty)
// signing with key and secret. It refuses a URL that is not https, except
// http to a loopback host (the sandbox and tests).
func New(baseURL, key, secret string, opts ...Option) (*Client, error) {
	if baseURL == "" {
		baseURL = DefaultBaseURL
	}
	base, err := parseBaseURL(baseURL)
	if err != nil {
		return nil, err
	}
	if strings.TrimSpace(key) == "" {
		return nil, errors.New("qcc: the API key is empty")
	}
	if strings.TrimSpace(secret) == "" {
		return nil, errors.New("qcc: the secret key is empty")
	}
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.MaxIdleConnsPerHost = 64
	tr.IdleConnTimeout = 30 * time.Second // close idle connections before the server does
	if http2DebugLogs(os.Getenv("GODEBUG")) {
		// GODEBUG=http2debug=1 or 2 makes net/http's HTTP/2 transport log
		// every request header, the Token among them, on stderr: speak
		// HTTP/1.1, which logs nothing.
		// (The clone of a DefaultTransport already used may offer h2 in
		// its TLS config: offer only http/1.1.)
		var p http.Protocols
		p.SetHTTP1(true)
		tr.Protocols = &p
		tr.ForceAttemptHTTP2 = false
		tr.TLSNextProto = map[string]func(string, *tls.Conn) http.RoundTripper{}
		tc := &tls.Config{}
		if tr.TLSClientConfig != nil {
			tc = tr.TLSClientConfig.Clone()
		}
		tc.NextProtos = []string{"http/1.1"}
		tr.TLSClientConfig = tc
	}
	c := &Client{
		base:            base,
		key:             key,
		secret:          secret,
		api:             &http.Client{Transport: tr, CheckRedirect: noRedirect},
		download:        &http.Client{Transport: tr},
		timeout:         DefaultTimeout,
		downloadTimeout: DefaultDownloadTimeout,
		maxBody:         DefaultMaxBody,
		now:             time.Now,
		log:             slog.New(slog.DiscardHandler),
	}
	c.download.CheckRedirect = c.downloadRedirect(nil)
	for _, o := range opts {
		o(c)
	}
	return c, nil
}

// http2DebugLogs reports whether godebug (the GODEBUG variable) turns on
// net/http's HTTP/2 debug logs, which print request header values.
func http2DebugLogs(godebug string) bool {
	return strings.Contains(godebug, "http2debug=1") || strings.Contains(godebug, "http2debug=2")
}

func parseBaseURL(raw string) (*url.URL, error) {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || u.Host == "" || u.Opaque != "" {
		return nil, fmt.Errorf("qcc: base URL %q is not an absolute http(s) URL", raw)
	}
	if u.User != nil || u.RawQuery != "" || u.Fragment != "" {
		return nil, fmt.Errorf("qcc: base URL %q must not carry user info, a query or a fragment", u.Redacted())
	}
	switch u.Scheme {
	case "https":
	case "http":
		if !IsLoopbackHost(u.Hostname()) {
			return nil, fmt.Errorf("qcc: base URL %q: plain http is allowed only to a loopback host; use https", raw)
		}
	default:
		return nil, fmt.Errorf("qcc: base URL %q: scheme must be https", raw)
	}
	u.Path = strings.TrimRight(u.Path, "/")
	u.RawPath = ""
	return u, nil
}

// IsLoopbackHost reports whether host (no port) is "localhost" or a
// loopback IP address such as 127.0.0.1 or ::1.
func IsLoopbackHost(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(strings.Trim(host, "[]"))
	return ip != nil && ip.IsLoopback()
}

// Host returns the host (with port, if any) of the API base URL, so a
// caller can tell whether a report URL points at the API host.
func (c *Client) Host() string { return c.base.Host }

// Sign returns the Token header for key, timespan and secret: the
// upper-case hex MD5 of key + timespan + secret, as the API document says.
func Sign(key, timespan, secret string) string {
	sum := md5.Sum([]byte(key + timespan + secret))
	return strings.ToUpper(hex.EncodeToString(sum[:]))
}

func noRedirect(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }

// downloadRedirect returns the redirect policy of downloads: next's (the
// standard one, at most 10 redirects, when nil), and never to plain http on
// a host that is not loopback unless WithPlainHTTPDownloads allows it.
func (c *Client) downloadRedirect(next func(*http.Request, []*http.Request) error) func(*http.Request, []*http.Request) error {
	return func(req *http.Request, via []*http.Request) error {
		if c.plainHTTPRefused(req.URL) {
			return &PlainHTTPError{Host: req.URL.Host, Redirect: true}
		}
		if next != nil {
			return next(req, via)
		}
		if len(via) >= 10 {
			return errors.New("stopped after 10 redirects")
		}
		return nil
	}
}
