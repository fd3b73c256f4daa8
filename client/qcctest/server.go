package qcctest

import (
	"errors"
	"io"
	"log"
	"math/rand/v2"
	"net"
	"net/http"
	"sync"
	"testing"
	"time"
)

// Default credentials of the sandbox.
const (
	DefaultKey    = "sandbox"
	DefaultSecret = "sandbox"
)

// DefaultGenDelay is how long the sandbox takes to generate a report.
const DefaultGenDelay = time.Second

// APIPrefix is the path of the API base on the server (as on pro.qcc.com).
const APIPrefix = "/api/yj"

// Server is a fake 基础身份报告 API. Its methods are safe for concurrent use.
type Server struct {
	key, secret string
	seed        int64
	latency     time.Duration
	genDelay    time.Duration
	errorRate   float64
	dropRate    float64
	rateLimit   float64
	clockOffset time.Duration // added to the clock for the Date header and the Timespan check
	gen         genModel
	now         func() time.Time

	mu         sync.Mutex
	rng        *rand.Rand
	seq        uint64
	orders     map[string]int // accepted orders per search key
	placed     []PlacedOrder  // every accepted order, in order: the vendor's order list
	attempts   map[string]int // CreateReport calls per search key
	total      int
	creates    int
	polls      int
	downloads  int
	throttled  int
	quota      int // accepted orders left before 112; -1 = unlimited
	fatal      int
	httpFault  int
	faultRetry time.Duration
	orderFault orderFault
	rewrite    Rewrite
	pending    int       // GetReportInfo answers with ReportStatus P
	lastReady  time.Time // latest ready time of the orders accepted
	tokens     float64
	tokensAt   time.Time
	httpServer *http.Server
	url        string
}

// Option configures a Server.
type Option func(*Server)

// WithKey sets the API key the server accepts [sandbox].
func WithKey(key string) Option { return func(s *Server) { s.key = key } }

// WithSecret sets the secret key Tokens are checked against [sandbox].
func WithSecret(secret string) Option { return func(s *Server) { s.secret = secret } }

// WithSeed seeds the fault injection, so a run is repeatable [1].
func WithSeed(seed int64) Option { return func(s *Server) { s.seed = seed } }

// WithLatency delays every API answer by d [0].
func WithLatency(d time.Duration) Option { return func(s *Server) { s.latency = max(d, 0) } }

// WithGenDelay sets the report generation time: polls answer P until d
// after the order, then S (or F) [1s].
func WithGenDelay(d time.Duration) Option { return func(s *Server) { s.genDelay = max(d, 0) } }

// WithErrorRate replaces share f (0 to 1) of API answers by an HTML 502
// page; the request is not processed.
func WithErrorRate(f float64) Option { return func(s *Server) { s.errorRate = clamp01(f) } }

// WithDropRate closes the connection, with no answer, after share f (0 to
// 1) of the accepted orders: the order is placed and counted, the answer
// is lost.
func WithDropRate(f float64) Option { return func(s *Server) { s.dropRate = clamp01(f) } }

// WithRateLimit answers code 120 to API requests past n per second
// (a token bucket holding one second's worth); 0 = no limit.
func WithRateLimit(n float64) Option { return func(s *Server) { s.rateLimit = max(n, 0) } }

// WithClockOffset sets the server's clock d ahead of its clock (behind if
// d < 0) for the Date header of every answer and the Timespan check, as an
// API whose clock differs from the client's by d [0]. Generation and the
// rate limit keep the true clock.
func WithClockOffset(d time.Duration) Option { return func(s *Server) { s.clockOffset = d } }

// WithOrderFault makes every CreateReport answer HTTP status with an HTML
// page instead of a QCC answer: 502 is a gateway error page, 200 a proxy's
// or captive portal's page. With placed, the order is placed and counted
// first (a gateway that lost the backend's answer); without, the request
// never reaches the API (nothing placed). 0 turns it off [0]. See also
// SetOrderFault.
func WithOrderFault(status int, placed bool) Option {
	return func(s *Server) { s.orderFault = orderFault{status: status, placed: placed} }
}

// WithClock sets the server's clock (Timespan check, generation, rate).
func WithClock(now func() time.Time) Option {
	return func(s *Server) {
		if now != nil {
			s.now = now
		}
	}
}

func clamp01(f float64) float64 { return min(max(f, 0), 1) }

// NewUnstartedServer returns a server that is not listening yet: call
// Start or Serve, give Transport to an in-process client, or mount Handler
// yourself.
func NewUnstartedServer(opts ...Option) *Server {
	s := &Server{
		key: DefaultKey, secret: DefaultSecret, seed: 1, genDelay: DefaultGenDelay,
		gen: genModel{sigma: DefaultGenSigma}, now: time.Now, orders: map[string]int{}, attempts: map[string]int{}, quota: -1,
	}
	for _, o := range opts {
		o(s)
	}
	s.rng = rand.New(rand.NewPCG(uint64(s.seed), 0x9e3779b97f4a7c15))
	s.tokens, s.tokensAt = max(s.rateLimit, 1), s.now()
	return s
}

// NewServer starts a server on a loopback port (127.0.0.1, or [::1] when
// IPv4 is unavailable) and returns it, like httptest.NewServer; the
// caller must Close it. It panics if it cannot listen, as httptest does.
// Use New in tests and NewUnstartedServer to choose the address.
func NewServer(opts ...Option) *Server {
	s := NewUnstartedServer(opts...)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		if ln, err = net.Listen("tcp6", "[::1]:0"); err != nil {
			panic("qcctest: failed to listen on a port: " + err.Error())
		}
	}
	if err := s.Serve(ln); err != nil {
		panic("qcctest: " + err.Error()) // a new server cannot be started twice
	}
	return s
}

// New starts a server on a loopback port for the test and closes it when
// the test ends.
func New(t testing.TB, opts ...Option) *Server {
	t.Helper()
	s := NewUnstartedServer(opts...)
	if err := s.Start("127.0.0.1:0"); err != nil {
		t.Fatalf("qcctest: %v", err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s
}

// Start listens on addr (host:port; port 0 picks one) and serves in the
// background until Close.
func (s *Server) Start(addr string) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	return s.Serve(ln)
}

// Serve serves on ln in the background until Close.
func (s *Server) Serve(ln net.Listener) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.httpServer != nil {
		_ = ln.Close()
		return errors.New("qcctest: server already started")
	}
	s.httpServer = &http.Server{
		Handler:           s.Handler(),
		ReadHeaderTimeout: 10 * time.Second,
		IdleTimeout:       2 * time.Minute,
		ErrorLog:          log.New(io.Discard, "", 0),
	}
	s.url = "http://" + ln.Addr().String()
	go func(hs *http.Server) { _ = hs.Serve(ln) }(s.httpServer) // returns ErrServerClosed on Close
	return nil
}

// Close stops the server and drops open connections.
func (s *Server) Close() error {
	s.mu.Lock()
	hs := s.httpServer
	s.mu.Unlock()
	if hs == nil {
		return nil
	}
	return hs.Close()
}

// URL returns the root URL, e.g. http://127.0.0.1:41234 ("" before Start).
func (s *Server) URL() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.url
}

// BaseURL returns the API base to give the client: URL() + "/api/yj".
func (s *Server) BaseURL() string { return s.URL() + APIPrefix }

// Key returns the API key the server accepts.
func (s *Server) Key() string { return s.key }

// Secret returns the secret key the server checks Tokens with.
func (s *Server) Secret() string { return s.secret }
