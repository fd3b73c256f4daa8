package serve

import (
	"context"
	"crypto/rand"
	"crypto/tls"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"time"

	"github.com/qccbatch/qccbatch/batch"
	"github.com/qccbatch/qccbatch/batch/journal"
	"github.com/qccbatch/qccbatch/ratelimit"
)

// DefaultMaxUpload caps one uploaded file (a portfolio or an order list).
const DefaultMaxUpload = 100 << 20

// Options configure a Server. The command line fills them from its flags.
type Options struct {
	// Data is the directory of the books, state files and results (made
	// with mode 0700).
	Data string
	// API is the one client of the process, Account its endpoint and key
	// fingerprint, APIHost its host (report downloads from it share the
	// limiter).
	API     batch.API
	Account journal.Account
	APIHost string
	// QPS is the one rate limit of the process: every run shares it.
	QPS          float64
	Concurrency  int
	PollInterval time.Duration
	Price        float64
	Version      string
	// ExitCode maps how a run ended to the command line's exit code (the
	// API's "exit"); ExitCodes are the same numbers for the run's record in
	// the state file (batch.Config.ExitCodes).
	ExitCode  func(error) int
	ExitCodes map[batch.Stop]int
	// LedgerWorkbook writes the ledger of a state file (with its Invoice
	// sheet) to out, as `qccbatch ledger -o out` does.
	LedgerWorkbook func(state, out, lang string) error
	// Users are the team's users (name → bcrypt hash); nil: one person on
	// loopback with the launch token.
	Users map[string][]byte
	// ApproveAbove: a run of more new orders waits for a second user's
	// approval (team mode; 0: never).
	ApproveAbove int
	// MaxUpload caps one upload in bytes [DefaultMaxUpload].
	MaxUpload int64
	Logger    *slog.Logger
	// Token is the launch token [random].
	Token string
	// SessionIdle ends a team session after this long without a request
	// [DefaultSessionIdle]; SessionMax this long after its sign-in
	// [DefaultSessionMax].
	SessionIdle, SessionMax time.Duration
	// FailDelay is how long a failed sign-in waits before its answer
	// [DefaultFailDelay]; negative: none.
	FailDelay time.Duration
	// Now and Sleep are the server's clock [time.Now, time.Sleep]: tests
	// replace them.
	Now   func() time.Time
	Sleep func(time.Duration)
}

// Server is the web page and JSON API of `qccbatch serve`.
type Server struct {
	opt     Options
	token   string
	limiter *ratelimit.Limiter
	eng     engine
	handler http.Handler

	mu       sync.Mutex
	port     string
	loopback bool // the listener is on loopback: the Host check applies
	books    map[string]*book
	runs     map[string]*run
	sessions map[string]*session // team mode: session id → session
	throttle throttle            // team mode: failed sign-ins
	decoy    []byte              // team mode: the hash checked for an unknown name
	auditMu  sync.Mutex
	audit    *os.File
	// closing: StopAll has begun, no run starts any more. runCtx is the
	// parent of every run's context; StopAll cancels it (stopRuns).
	closing  bool
	runCtx   context.Context
	stopRuns context.CancelFunc
}

// New returns a server over opt; Serve starts it.
func New(opt Options) (*Server, error) {
	if opt.Data == "" {
		return nil, errors.New("serve: no data directory")
	}
	if opt.Logger == nil {
		opt.Logger = slog.New(slog.DiscardHandler)
	}
	if opt.SessionIdle <= 0 {
		opt.SessionIdle = DefaultSessionIdle
	}
	if opt.SessionMax <= 0 {
		opt.SessionMax = DefaultSessionMax
	}
	if opt.FailDelay == 0 {
		opt.FailDelay = DefaultFailDelay
	}
	if opt.Now == nil {
		opt.Now = time.Now
	}
	if opt.Sleep == nil {
		opt.Sleep = func(d time.Duration) {
			if d > 0 {
				time.Sleep(d)
			}
		}
	}
	if opt.MaxUpload <= 0 {
		opt.MaxUpload = DefaultMaxUpload
	}
	if opt.ExitCode == nil {
		opt.ExitCode = func(err error) int {
			if err == nil {
				return 0
			}
			return 1
		}
	}
	if err := os.MkdirAll(filepath.Join(opt.Data, "books"), 0o700); err != nil {
		return nil, fmt.Errorf("--data %s: %v", opt.Data, err)
	}
	_ = os.Chmod(opt.Data, 0o700)
	s := &Server{opt: opt, token: opt.Token, limiter: ratelimit.New(opt.QPS),
		books: map[string]*book{}, runs: map[string]*run{}, sessions: map[string]*session{}}
	if s.token == "" {
		s.token = randomID(16)
	}
	if s.team() {
		s.decoy = decoyHash(opt.Users)
	}
	s.eng = &batchEngine{api: opt.API}
	s.runCtx, s.stopRuns = context.WithCancel(context.Background())
	if err := s.loadBooks(); err != nil {
		return nil, err
	}
	audit, err := os.OpenFile(filepath.Join(opt.Data, "audit.log"), os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o600)
	if err != nil {
		return nil, fmt.Errorf("--data %s: %v", opt.Data, err)
	}
	s.audit = audit
	s.handler = s.secure(s.routes())
	return s, nil
}

// Token is the launch token.
func (s *Server) Token() string { return s.token }

// team reports whether the server runs in team mode (users and logins).
func (s *Server) team() bool { return s.opt.Users != nil }

// URL returns the address to open, with the launch token (loopback mode).
func (s *Server) URL(scheme, host string) string {
	u := scheme + "://" + net.JoinHostPort(host, s.Port()) + "/"
	if !s.team() {
		u += "?token=" + s.token
	}
	return u
}

// Port is the port the server listens on ("" before Serve).
func (s *Server) Port() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.port
}

// Bind takes the port of ln: the Host check and the cookie's name follow
// it. Serve calls it; call it first to print the URL before serving.
func (s *Server) Bind(ln net.Listener) {
	_, port, _ := net.SplitHostPort(ln.Addr().String())
	s.mu.Lock()
	s.port = port
	s.loopback = IsLoopbackAddr(ln.Addr().String())
	s.mu.Unlock()
}

// Serve serves on ln until ctx ends; then it stops every run as Ctrl-C
// does, waits for their results, and returns.
func (s *Server) Serve(ctx context.Context, ln net.Listener, tlsCfg *tls.Config) error {
	s.Bind(ln)
	hs := &http.Server{Handler: s.handler, ReadHeaderTimeout: 10 * time.Second, TLSConfig: tlsCfg,
		BaseContext: func(net.Listener) context.Context { return ctx }}
	errc := make(chan error, 1)
	go func() {
		if tlsCfg != nil {
			errc <- hs.ServeTLS(ln, "", "")
		} else {
			errc <- hs.Serve(ln)
		}
	}()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	s.StopAll()
	sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_ = hs.Shutdown(sctx)
	return nil
}

// StopAll stops every run and waits until their results are written; no
// run starts after it began (a POST of one answers 503).
func (s *Server) StopAll() {
	s.mu.Lock()
	s.closing = true
	s.stopRuns() // a run registered but not started yet stops too
	var hs []runHandle
	for _, r := range s.runs {
		r.mu.Lock()
		if r.handle != nil {
			hs = append(hs, r.handle)
		}
		if r.cancelWait != nil {
			r.cancelWait()
		}
		r.mu.Unlock()
	}
	s.mu.Unlock()
	for _, h := range hs {
		h.Cancel()
	}
	for _, h := range hs {
		_, _ = h.Wait()
	}
	s.mu.Lock()
	var fins []chan struct{}
	for _, r := range s.runs {
		fins = append(fins, r.finished)
	}
	s.mu.Unlock()
	for _, f := range fins {
		<-f
	}
	if s.audit != nil {
		_ = s.audit.Sync()
	}
}

// record appends one action to the audit log under --data, with its user.
// It takes auditMu only: it may be called with s.mu held.
func (s *Server) record(user, action string, kv ...any) {
	m := map[string]any{"time": s.now().UTC().Format(time.RFC3339), "user": user, "action": action}
	for i := 0; i+1 < len(kv); i += 2 {
		m[fmt.Sprint(kv[i])] = kv[i+1]
	}
	b, _ := json.Marshal(m)
	s.auditMu.Lock()
	_, _ = s.audit.Write(append(b, '\n'))
	s.auditMu.Unlock()
	s.opt.Logger.Info("serve: "+action, append([]any{"user", user}, kv...)...)
}

// randomID returns n random bytes in hex.
func randomID(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// writeJSON answers v as JSON with status.
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// apiError answers a one-line error as JSON: {"error": "..."}.
func apiError(w http.ResponseWriter, status int, msg string) {
	writeJSON(w, status, map[string]string{"error": msg})
}

// langOf is the language of a request: ?lang=en, else zh.
func langOf(r *http.Request) string {
	if r.URL.Query().Get("lang") == "en" { // never the body: an upload is streamed
		return "en"
	}
	return "zh"
}

// atoiOr parses a decimal, or returns def.
func atoiOr(s string, def int) int {
	n, err := strconv.Atoi(s)
	if err != nil {
		return def
	}
	return n
}
