package serve

import (
	"archive/zip"
	"embed"
	"errors"
	"io"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/qccbatch/qccbatch/batch"
	"github.com/qccbatch/qccbatch/batch/journal"
	"github.com/qccbatch/qccbatch/batch/msg"
	"github.com/qccbatch/qccbatch/batch/outcome"
)

//go:embed web
var webFS embed.FS

// routes are the page and the JSON API (README "qccbatch serve").
func (s *Server) routes() http.Handler {
	mux := http.NewServeMux()
	web, _ := fs.Sub(webFS, "web")
	static := http.FileServerFS(web)
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {
		r2 := r.Clone(r.Context())
		r2.URL.Path = "/"
		static.ServeHTTP(w, r2)
	})
	mux.Handle("GET /assets/", http.StripPrefix("/assets/", static))
	mux.HandleFunc("GET /api/messages", s.handleMessages)
	mux.HandleFunc("GET /api/session", s.handleSession)
	mux.HandleFunc("GET /api/books", s.handleBooks)
	mux.HandleFunc("POST /api/books", s.handleNewBook)
	mux.HandleFunc("GET /api/books/{id}", s.handleGetPlan)
	mux.HandleFunc("GET /api/books/{id}/info", s.handleBook)
	mux.HandleFunc("POST /api/books/{id}/plan", s.handlePlan)
	mux.HandleFunc("POST /api/books/{id}/runs", s.handleStartRun)
	mux.HandleFunc("GET /api/books/{id}/ledger.xlsx", s.handleLedger)
	mux.HandleFunc("GET /api/books/{id}/reports.zip", s.handleReports)
	mux.HandleFunc("POST /api/books/{id}/resolve", s.handleResolvePreview)
	mux.HandleFunc("POST /api/books/{id}/resolve/{list}/apply", s.handleResolveApply)
	mux.HandleFunc("GET /api/runs/{run}", s.handleRun)
	mux.HandleFunc("GET /api/runs/{run}/events", s.handleEvents)
	mux.HandleFunc("POST /api/runs/{run}/stop", s.handleStop)
	mux.HandleFunc("POST /api/runs/{run}/approve", s.handleApprove)
	mux.HandleFunc("GET /api/runs/{run}/results.xlsx", s.handleResults)
	mux.HandleFunc("GET /api/runs/{run}/results.csv", s.handleResults)
	mux.HandleFunc("POST /api/logout", s.handleLogout)
	return apiNotFound(mux)
}

// apiNotFound answers an unknown /api/ route, or a method a route does not
// take, as JSON like every other API error: 404 (or 405 with Allow)
// {"error": "..."}; the mux's own answer is plain text.
func apiNotFound(mux *http.ServeMux) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if _, pattern := mux.Handler(r); pattern == "" && strings.HasPrefix(r.URL.Path, "/api/") {
			rec := &statusRecorder{header: http.Header{}}
			mux.ServeHTTP(rec, r) // the mux's 404 or 405, and its Allow
			status := rec.status
			if status != http.StatusMethodNotAllowed {
				status = http.StatusNotFound
			}
			if a := rec.header.Get("Allow"); a != "" {
				w.Header().Set("Allow", a)
				apiError(w, status, r.Method+" "+sanitize(r.URL.Path)+": this route takes "+a)
				return
			}
			apiError(w, status, "no such API route: "+r.Method+" "+sanitize(r.URL.Path)+" (see README, qccbatch serve)")
			return
		}
		mux.ServeHTTP(w, r)
	})
}

// statusRecorder keeps the status and headers of the mux's error answer.
type statusRecorder struct {
	header http.Header
	status int
}

func (s *statusRecorder) Header() http.Header { return s.header }
func (s *statusRecorder) Write(p []byte) (int, error) {
	if s.status == 0 {
		s.status = http.StatusOK
	}
	return len(p), nil
}
func (s *statusRecorder) WriteHeader(code int) {
	if s.status == 0 {
		s.status = code
	}
}

// handleMessages is GET /api/messages?lang=zh|en: the page's texts from the
// command line's catalogue.
func (s *Server) handleMessages(w http.ResponseWriter, r *http.Request) {
	lang := langOf(r)
	out := make(map[string]string, len(msg.PageTexts))
	for name, id := range msg.PageTexts {
		out[name] = msg.Text(lang, id)
	}
	for name, id := range msg.SessionPageTexts {
		out[name] = msg.Text(lang, id)
	}
	for _, o := range outcome.All() { // the results' own outcome labels
		out["outcome_"+string(o)] = msg.For(lang).Outcome(o)
	}
	writeJSON(w, http.StatusOK, map[string]any{"lang": lang, "texts": out})
}

// handleSession is GET /api/session: who is signed in, and the server's
// settings the page shows.
func (s *Server) handleSession(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, map[string]any{"user": userOf(r), "team": s.team(),
		"approve_above": s.opt.ApproveAbove, "price": s.opt.Price, "qps": s.opt.QPS, "version": s.opt.Version})
}

// handleReports is GET /api/books/{id}/reports.zip: the downloaded report
// files of the book.
func (s *Server) handleReports(w http.ResponseWriter, r *http.Request) {
	b := s.book(r.PathValue("id"))
	if b == nil {
		apiError(w, http.StatusNotFound, "no such book")
		return
	}
	ents, err := os.ReadDir(b.reports())
	if err != nil || len(ents) == 0 {
		apiError(w, http.StatusNotFound, "no report file downloaded yet")
		return
	}
	s.record(userOf(r), "download", "book", b.meta.ID, "file", "reports.zip")
	w.Header().Set("Content-Type", "application/zip")
	w.Header().Set("Content-Disposition", "attachment; filename*=UTF-8''"+pathEscape(downloadName(b.meta.Name, "-reports.zip")))
	zw := zip.NewWriter(w)
	for _, e := range ents {
		if !e.Type().IsRegular() {
			continue
		}
		info, err := e.Info()
		if err != nil {
			continue
		}
		f, err := os.Open(filepath.Join(b.reports(), e.Name()))
		if err != nil {
			continue
		}
		hw, err := zw.CreateHeader(&zip.FileHeader{Name: e.Name(), Method: zip.Store, Modified: info.ModTime()})
		if err == nil {
			_, err = io.Copy(hw, f)
		}
		_ = f.Close()
		if err != nil {
			return
		}
	}
	_ = zw.Close()
}

// orderListExts are the vendor order lists resolve reads.
var orderListExts = map[string]bool{".xlsx": true, ".csv": true}

var listIDPattern = regexp.MustCompile(`^orders-[0-9a-f]{8}$`)

// resolveJSON is a resolution's preview or result.
type resolveJSON struct {
	List      string       `json:"list"`
	Applied   bool         `json:"applied"`
	Actions   []resolveAct `json:"actions"`
	Unknown   int          `json:"unknown"`
	Remaining int          `json:"remaining"`
	Error     string       `json:"error,omitempty"`
}

type resolveAct struct {
	SearchKey  string `json:"search_key"`
	From       string `json:"from"`
	OrderNo    string `json:"order_no,omitempty"`
	NotOrdered bool   `json:"not_ordered,omitempty"`
	Why        string `json:"why"`
}

// handleResolvePreview is POST /api/books/{id}/resolve (multipart file):
// the vendor's order list is kept under the book and the preview of
// `qccbatch resolve --orders LIST` answered, with the list's id to apply.
func (s *Server) handleResolvePreview(w http.ResponseWriter, r *http.Request) {
	b := s.book(r.PathValue("id"))
	if b == nil {
		apiError(w, http.StatusNotFound, "no such book")
		return
	}
	list := "orders-" + randomID(4)
	_, orig, stored, err := s.receiveUpload(w, r, b.dir, list, orderListExts)
	if err != nil {
		apiError(w, uploadStatus(err), msg.Render(err, msg.For(langOf(r))))
		return
	}
	s.record(userOf(r), "resolve_preview", "book", b.meta.ID, "list", orig)
	s.resolve(w, r, b, list, filepath.Join(b.dir, stored), false)
}

// handleResolveApply is POST /api/books/{id}/resolve/{list}/apply.
func (s *Server) handleResolveApply(w http.ResponseWriter, r *http.Request) {
	b := s.book(r.PathValue("id"))
	list := r.PathValue("list")
	if b == nil || !listIDPattern.MatchString(list) {
		apiError(w, http.StatusNotFound, "no such book or order list")
		return
	}
	var path string
	for _, ext := range []string{".xlsx", ".csv"} {
		if _, err := os.Stat(filepath.Join(b.dir, list+ext)); err == nil {
			path = filepath.Join(b.dir, list+ext)
		}
	}
	if path == "" {
		apiError(w, http.StatusNotFound, "no such order list")
		return
	}
	// Under the book's lock: a run's start checks its plan and starts
	// under it too, so a resolution never lands between the two.
	b.mu.Lock()
	defer b.mu.Unlock()
	if s.activeRun(b.meta.ID) != nil {
		apiError(w, http.StatusConflict, "this book is running: stop it or wait for its end, then apply")
		return
	}
	s.record(userOf(r), "resolve_apply", "book", b.meta.ID, "list", list)
	s.resolve(w, r, b, list, path, true)
}

func (s *Server) resolve(w http.ResponseWriter, r *http.Request, b *book, list, path string, apply bool) {
	if _, err := os.Stat(b.state()); err != nil {
		apiError(w, http.StatusNotFound, "this book has no state file yet: nothing was ordered")
		return
	}
	lang := langOf(r)
	plan, err := batch.Resolve(r.Context(), batch.ResolveConfig{State: b.state(), Version: s.opt.Version, Apply: apply,
		Orders: path})
	if err != nil {
		status := http.StatusUnprocessableEntity
		var ce *batch.ConfigError
		var le *journal.LockedError
		if !errors.As(err, &ce) && !errors.As(err, &le) {
			status = http.StatusInternalServerError
		}
		writeJSON(w, status, resolveJSON{List: list, Error: msg.Render(err, msg.For(lang)), Actions: []resolveAct{}})
		return
	}
	out := resolveJSON{List: list, Applied: plan.Applied, Unknown: len(plan.Unknown), Remaining: plan.Remaining, Actions: []resolveAct{}}
	for _, a := range plan.Actions {
		out.Actions = append(out.Actions, resolveAct{SearchKey: a.SearchKey, From: string(a.From), OrderNo: a.OrderNo, NotOrdered: a.NotOrdered, Why: a.Why.In(msg.For(lang))})
	}
	writeJSON(w, http.StatusOK, out)
}
