package serve

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/qccbatch/qccbatch/batch/journal"
	"github.com/qccbatch/qccbatch/batch/msg"
	"github.com/qccbatch/qccbatch/batch/outcome"
)

// book is one uploaded portfolio with its own state file, results and
// reports, in its own directory under --data/books. The client names a book
// by its id only; every path is the server's.
type book struct {
	mu   sync.Mutex // guards meta and the files of the book (uploads, exports)
	dir  string
	meta bookMeta
}

// bookMeta is book.json.
type bookMeta struct {
	ID         string    `json:"id"`
	Name       string    `json:"name"` // the uploaded file's name, for people only
	File       string    `json:"file"` // the stored input, in dir
	Created    time.Time `json:"created"`
	User       string    `json:"user"`
	Sheet      string    `json:"sheet,omitempty"`
	HeaderRow  int       `json:"header_row,omitempty"`
	Column     string    `json:"column,omitempty"`
	NameColumn string    `json:"name_column,omitempty"`
}

func (b *book) input() string   { return filepath.Join(b.dir, b.meta.File) }
func (b *book) state() string   { return filepath.Join(b.dir, "state.qccstate") }
func (b *book) reports() string { return filepath.Join(b.dir, "reports") }

// results is the path of the results of the book's last run: .xlsx or .csv.
func (b *book) results(ext string) string { return filepath.Join(b.dir, "results"+ext) }

func (b *book) save() error {
	data, err := json.MarshalIndent(b.meta, "", "  ")
	if err != nil {
		return err
	}
	tmp := filepath.Join(b.dir, "book.json.tmp")
	if err := os.WriteFile(tmp, data, 0o600); err != nil {
		return err
	}
	return os.Rename(tmp, filepath.Join(b.dir, "book.json"))
}

var bookIDPattern = regexp.MustCompile(`^[0-9a-f]{16}$`)

// loadBooks reads the books of --data.
func (s *Server) loadBooks() error {
	root := filepath.Join(s.opt.Data, "books")
	ents, err := os.ReadDir(root)
	if err != nil {
		return err
	}
	for _, e := range ents {
		if !e.IsDir() || !bookIDPattern.MatchString(e.Name()) {
			continue
		}
		dir := filepath.Join(root, e.Name())
		data, err := os.ReadFile(filepath.Join(dir, "book.json"))
		if err != nil {
			continue
		}
		b := &book{dir: dir}
		if json.Unmarshal(data, &b.meta) != nil || b.meta.ID != e.Name() {
			continue
		}
		s.books[b.meta.ID] = b
	}
	return nil
}

// book returns the book of id, or nil.
func (s *Server) book(id string) *book {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.books[id]
}

// handleNewBook is POST /api/books: the upload becomes a new book, and the
// answer is its plan.
func (s *Server) handleNewBook(w http.ResponseWriter, r *http.Request) {
	id := randomID(8)
	dir := filepath.Join(s.opt.Data, "books", id)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		apiError(w, http.StatusInternalServerError, msg.Render(err, msg.For(langOf(r))))
		return
	}
	fields, orig, stored, err := s.receiveUpload(w, r, dir, "input", inputExts)
	if err != nil {
		_ = os.RemoveAll(dir)
		if errors.Is(err, errTooLarge) {
			apiError(w, uploadStatus(err), fmt.Sprintf("the upload is larger than %d MiB", s.opt.MaxUpload>>20))
			return
		}
		apiError(w, uploadStatus(err), msg.Render(err, msg.For(langOf(r))))
		return
	}
	b := &book{dir: dir, meta: bookMeta{ID: id, Name: orig, File: stored, Created: time.Now().UTC(), User: userOf(r)}}
	b.setOptions(fields)
	if err := b.save(); err != nil {
		_ = os.RemoveAll(dir)
		apiError(w, http.StatusInternalServerError, msg.Render(err, msg.For(langOf(r))))
		return
	}
	s.mu.Lock()
	s.books[id] = b
	s.mu.Unlock()
	s.record(userOf(r), "upload", "book", id, "name", orig)
	s.answerPlan(w, r, b, http.StatusCreated)
}

// setOptions takes the reading options of a form (sheet, header_row,
// column, name_column); a field absent leaves the option as it was.
func (b *book) setOptions(f map[string]string) {
	if v, ok := f["sheet"]; ok {
		b.meta.Sheet = v
	}
	if v, ok := f["header_row"]; ok {
		b.meta.HeaderRow = max(atoiOr(v, 0), 0)
	}
	if v, ok := f["column"]; ok {
		b.meta.Column = v
	}
	if v, ok := f["name_column"]; ok {
		b.meta.NameColumn = v
	}
}

// handlePlan is POST /api/books/{id}/plan: change the reading options
// (JSON or form: sheet, header_row, column, name_column) and answer the
// new plan.
func (s *Server) handlePlan(w http.ResponseWriter, r *http.Request) {
	b := s.book(r.PathValue("id"))
	if b == nil {
		apiError(w, http.StatusNotFound, "no such book")
		return
	}
	f := map[string]string{}
	if strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") {
		var in map[string]any
		if err := json.NewDecoder(io.LimitReader(r.Body, 64<<10)).Decode(&in); err != nil && !errors.Is(err, io.EOF) {
			apiError(w, http.StatusBadRequest, "bad JSON: "+err.Error())
			return
		}
		for k, v := range in {
			f[k] = strings.TrimSpace(fmt.Sprint(v))
		}
	} else {
		r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
		if err := r.ParseForm(); err != nil {
			apiError(w, http.StatusBadRequest, msg.Render(err, msg.For(langOf(r))))
			return
		}
		for k := range r.PostForm {
			f[k] = strings.TrimSpace(r.PostForm.Get(k))
		}
	}
	b.mu.Lock()
	b.setOptions(f)
	err := b.save()
	b.mu.Unlock()
	if err != nil {
		apiError(w, http.StatusInternalServerError, msg.Render(err, msg.For(langOf(r))))
		return
	}
	s.answerPlan(w, r, b, http.StatusOK)
}

// handleGetPlan is GET /api/books/{id}: the book's plan, runs and
// uncertain companies.
func (s *Server) handleGetPlan(w http.ResponseWriter, r *http.Request) {
	b := s.book(r.PathValue("id"))
	if b == nil {
		apiError(w, http.StatusNotFound, "no such book")
		return
	}
	s.answerPlan(w, r, b, http.StatusOK)
}

// answerPlan writes the plan of b as JSON; a book whose file cannot be
// read as asked answers 422 with the reason and the book's id, so that the
// options can be changed.
func (s *Server) answerPlan(w http.ResponseWriter, r *http.Request, b *book, status int) {
	lang := langOf(r)
	p, err := s.plan(b, lang)
	if err != nil {
		writeJSON(w, http.StatusUnprocessableEntity, p)
		return
	}
	writeJSON(w, status, p)
}

// bookJSON is one book in the list of books.
type bookJSON struct {
	ID      string       `json:"id"`
	Name    string       `json:"name"`
	Created time.Time    `json:"created"`
	User    string       `json:"user"`
	State   string       `json:"state_file"` // the state file's name in the book (the server's path, shown, never taken)
	Running string       `json:"running,omitempty"`
	Runs    []ledgerRun  `json:"runs"`
	Stats   *bookStats   `json:"stats,omitempty"`
	Uncert  []uncertJSON `json:"uncertain"`
}

type bookStats struct {
	Companies int            `json:"companies"`
	Outcomes  map[string]int `json:"outcomes"`
}

// ledgerRun is one run, resolution or repair of the state file
// (`qccbatch ledger --runs`).
type ledgerRun struct {
	ID        string    `json:"id"`
	Kind      string    `json:"kind"`
	Started   time.Time `json:"started"`
	Ended     time.Time `json:"ended,omitzero"`
	User      string    `json:"user"` // the page's user (--serve-user), else the OS user
	OSUser    string    `json:"os_user"`
	Approved  string    `json:"approved_by,omitempty"`
	Flags     []string  `json:"flags"`
	NewOrders int       `json:"new_orders"`
	Exit      int       `json:"exit"`
	Killed    bool      `json:"killed,omitempty"`
	Running   bool      `json:"running,omitempty"`
}

// uncertJSON is one uncertain company: an order may have been placed.
type uncertJSON struct {
	SearchKey string    `json:"search_key"`
	Requested time.Time `json:"requested_at"`
	Message   string    `json:"message"`
}

// handleBooks is GET /api/books: every book, newest first.
func (s *Server) handleBooks(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	bs := make([]*book, 0, len(s.books))
	for _, b := range s.books {
		bs = append(bs, b)
	}
	s.mu.Unlock()
	sort.Slice(bs, func(i, j int) bool { return bs[i].meta.Created.After(bs[j].meta.Created) })
	out := make([]bookJSON, 0, len(bs))
	for _, b := range bs {
		out = append(out, s.bookInfo(b, langOf(r)))
	}
	writeJSON(w, http.StatusOK, map[string]any{"books": out})
}

// handleBook is GET /api/books/{id}/info: one book with its runs and
// uncertain companies.
func (s *Server) handleBook(w http.ResponseWriter, r *http.Request) {
	b := s.book(r.PathValue("id"))
	if b == nil {
		apiError(w, http.StatusNotFound, "no such book")
		return
	}
	writeJSON(w, http.StatusOK, s.bookInfo(b, langOf(r)))
}

// bookInfo reads the book's state file (read-only: it works during a run).
func (s *Server) bookInfo(b *book, lang string) bookJSON {
	b.mu.Lock()
	m := b.meta
	b.mu.Unlock()
	bj := bookJSON{ID: m.ID, Name: m.Name, Created: m.Created, User: m.User, State: filepath.Base(b.state()),
		Runs: []ledgerRun{}, Uncert: []uncertJSON{}}
	if r := s.activeRun(m.ID); r != nil {
		bj.Running = r.ID
	}
	if _, err := os.Stat(b.state()); err != nil {
		return bj
	}
	j, err := journal.Open(b.state(), journal.Options{ReadOnly: true, History: true})
	if err != nil {
		return bj
	}
	defer j.Close()
	for _, run := range j.Runs() {
		lr := ledgerRun{ID: run.ID, Kind: string(run.Kind), Started: run.Started, Ended: run.Ended,
			User: run.User, OSUser: run.User, Flags: run.Flags, NewOrders: run.NewOrders, Exit: run.Exit, Killed: run.Killed, Running: run.Running}
		for _, f := range run.Flags {
			if v, ok := strings.CutPrefix(f, "--serve-user="); ok {
				lr.User = v
			}
			if v, ok := strings.CutPrefix(f, "--approved-by="); ok {
				lr.Approved = v
			}
		}
		bj.Runs = append(bj.Runs, lr)
	}
	// A reader sees the run in progress as killed (it has no end yet): the
	// server knows better.
	if n := len(bj.Runs); n > 0 && bj.Running != "" && bj.Runs[n-1].Killed {
		bj.Runs[n-1].Killed, bj.Runs[n-1].Running = false, true
	}
	st := &bookStats{Outcomes: map[string]int{}}
	j.Each(func(c journal.State) bool {
		st.Companies++
		st.Outcomes[string(c.Outcome)]++
		if c.Outcome == outcome.Uncertain && len(bj.Uncert) < maxPlanRows {
			bj.Uncert = append(bj.Uncert, uncertJSON{SearchKey: c.SearchKey, Requested: c.OrderedAt, Message: firstLine(uncertainNote(c, lang))})
		}
		return true
	})
	bj.Stats = st
	return bj
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = s[:i]
	}
	if len(s) > 300 {
		for n := 300; n > 0; n-- {
			if utf8.RuneStart(s[n]) {
				return s[:n] + "…"
			}
		}
	}
	return s
}

// uncertainNote is why company c is uncertain, in lang: its note (the state
// file keeps it as an id), or the API's message of an older file.
func uncertainNote(c journal.State, lang string) string {
	if !c.Note.Zero() {
		return c.Note.In(msg.For(lang))
	}
	return c.Message
}
