package serve

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/qccbatch/qccbatch/batch"
	"github.com/qccbatch/qccbatch/batch/input"
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

// inputExts are the portfolio files the reader takes.
var inputExts = map[string]bool{".xlsx": true, ".csv": true, ".txt": true}

// errTooLarge is an upload past --max-upload.
var errTooLarge = errors.New("too large")

// receiveUpload streams the multipart request's "file" part to a file in
// dir named by the server (name + the upload's extension, when allowed) and
// returns the other fields (short values only) and the uploaded name. The
// body is capped by http.MaxBytesReader: nothing past the cap is read, and
// the file is never held in memory.
func (s *Server) receiveUpload(w http.ResponseWriter, r *http.Request, dir, name string, exts map[string]bool) (fields map[string]string, orig, stored string, err error) {
	limit := s.opt.MaxUpload + 1<<20 // the form's other fields on top
	if r.ContentLength > limit {
		return nil, "", "", errTooLarge
	}
	r.Body = http.MaxBytesReader(w, r.Body, limit)
	mr, err := r.MultipartReader()
	if err != nil {
		return nil, "", "", fmt.Errorf("want a multipart/form-data upload with a file field: %v", err)
	}
	fields = map[string]string{}
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, "", "", uploadErr(err)
		}
		if part.FormName() != "file" {
			v, err := io.ReadAll(io.LimitReader(part, 4<<10))
			if err != nil {
				return nil, "", "", uploadErr(err)
			}
			fields[part.FormName()] = strings.TrimSpace(string(v))
			continue
		}
		if stored != "" {
			return nil, "", "", errors.New("one file per upload")
		}
		orig = filepath.Base(strings.ReplaceAll(part.FileName(), `\`, "/"))
		ext := strings.ToLower(filepath.Ext(orig))
		if !exts[ext] {
			return nil, "", "", fmt.Errorf("unsupported file type %q: use an .xlsx workbook or a .csv/.txt file", ext)
		}
		stored = name + ext
		if err := writePart(filepath.Join(dir, stored), part, s.opt.MaxUpload); err != nil {
			return nil, "", "", uploadErr(err)
		}
	}
	if stored == "" {
		return nil, "", "", errors.New("no file in the upload (the multipart field is named file)")
	}
	return fields, orig, stored, nil
}

func uploadErr(err error) error {
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) || errors.Is(err, errTooLarge) {
		return errTooLarge
	}
	return err
}

// writePart copies one part to path, at most max bytes.
func writePart(path string, part *multipart.Part, max int64) error {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o600)
	if err != nil {
		return err
	}
	n, err := io.Copy(f, io.LimitReader(part, max+1))
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil && n > max {
		err = errTooLarge
	}
	if err != nil {
		_ = os.Remove(path)
	}
	return err
}

// uploadStatus is the status of a failed upload.
func uploadStatus(err error) int {
	if errors.Is(err, errTooLarge) {
		return http.StatusRequestEntityTooLarge
	}
	return http.StatusBadRequest
}

// handleNewBook is POST /api/books: the upload becomes a new book, and the
// answer is its plan.
func (s *Server) handleNewBook(w http.ResponseWriter, r *http.Request) {
	id := randomID(8)
	dir := filepath.Join(s.opt.Data, "books", id)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		apiError(w, http.StatusInternalServerError, err.Error())
		return
	}
	fields, orig, stored, err := s.receiveUpload(w, r, dir, "input", inputExts)
	if err != nil {
		_ = os.RemoveAll(dir)
		if errors.Is(err, errTooLarge) {
			apiError(w, uploadStatus(err), fmt.Sprintf("the upload is larger than %d MiB", s.opt.MaxUpload>>20))
			return
		}
		apiError(w, uploadStatus(err), err.Error())
		return
	}
	b := &book{dir: dir, meta: bookMeta{ID: id, Name: orig, File: stored, Created: time.Now().UTC(), User: userOf(r)}}
	b.setOptions(fields)
	if err := b.save(); err != nil {
		_ = os.RemoveAll(dir)
		apiError(w, http.StatusInternalServerError, err.Error())
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
			apiError(w, http.StatusBadRequest, err.Error())
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
		apiError(w, http.StatusInternalServerError, err.Error())
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

// runConfig is the batch configuration of a run of b.
func (s *Server) runConfig(b *book, lang string) batch.Config {
	b.mu.Lock()
	m := b.meta
	b.mu.Unlock()
	return batch.Config{
		Input: b.input(), Output: b.results(".xlsx"), State: b.state(),
		Read: input.Options{Sheet: m.Sheet, HeaderRow: m.HeaderRow, Column: m.Column, NameColumn: m.NameColumn},
		Lang: lang, Version: s.opt.Version,
		Concurrency: s.opt.Concurrency, PollInterval: s.opt.PollInterval,
		Price: s.opt.Price, DownloadDir: b.reports(),
		Account: s.opt.Account, APIHost: s.opt.APIHost, Limiter: s.limiter,
		QPS: s.opt.QPS, ExitCodes: s.opt.ExitCodes, Logger: s.opt.Logger,
	}
}

// planJSON is the plan of a book as the API answers it.
type planJSON struct {
	ID         string   `json:"id"`
	Name       string   `json:"name"`
	Error      string   `json:"error,omitempty"` // the file cannot be read as asked, or a run would refuse it
	Sheet      string   `json:"sheet"`
	HeaderRow  int      `json:"header_row"`
	Column     string   `json:"column"`      // the code column's letter, "" if none
	NameColumn string   `json:"name_column"` // the name column's letter, "" if none
	Header     []string `json:"header"`
	Format     string   `json:"format"`

	Rows           int            `json:"rows"`
	Companies      int            `json:"companies"`
	InvalidCount   int            `json:"invalid_count"`
	Invalid        []rowNote      `json:"invalid"`
	InvalidReasons map[string]int `json:"invalid_reasons"`
	DuplicateCount int            `json:"duplicate_count"`
	Duplicates     []rowNote      `json:"duplicates"`
	Warnings       []rowNote      `json:"warnings"`
	Done           int            `json:"done"`
	NewOrders      int            `json:"new_orders"`
	Polls          int            `json:"polls"`
	Price          float64        `json:"price"`
	Cost           float64        `json:"cost"`
	// EstimateSeconds is the estimated time at the configured rate; -1:
	// unlimited rate.
	EstimateSeconds int64 `json:"estimate_seconds"`
	// TypeToConfirm: above this many new orders the page asks to type the
	// count.
	TypeToConfirm int `json:"type_to_confirm_above"`
	// Running is the book's run going on, if any.
	Running string `json:"running,omitempty"`
	// Held new orders are held back until a resolution reconciles the
	// state file's lost records (HeldReason says so).
	Held       int    `json:"held,omitempty"`
	HeldReason string `json:"held_reason,omitempty"`
	// Digest identifies the companies the plan orders: a run may send it
	// back with its count ({"orders": N, "digest": D}).
	Digest string `json:"digest"`
}

// rowNote is one row of the plan: its sheet row number, a reason, and for
// a duplicate the row it repeats.
type rowNote struct {
	Row     int    `json:"row"`
	Reason  string `json:"reason,omitempty"`
	Repeats int    `json:"repeats,omitempty"`
}

// maxPlanRows bounds each list of rows in a plan.
const maxPlanRows = 500

// plan computes the plan of b in lang; on an error the plan names it.
func (s *Server) plan(b *book, lang string) (*planJSON, error) {
	b.mu.Lock()
	m := b.meta
	b.mu.Unlock()
	pj := &planJSON{ID: m.ID, Name: m.Name, Sheet: m.Sheet, HeaderRow: m.HeaderRow, Column: m.Column, NameColumn: m.NameColumn,
		Price: s.opt.Price, TypeToConfirm: batch.ConfirmAbove, Invalid: []rowNote{}, Duplicates: []rowNote{}, Warnings: []rowNote{},
		InvalidReasons: map[string]int{}, Header: []string{}}
	if r := s.activeRun(m.ID); r != nil {
		pj.Running = r.ID
	}
	cfg := s.runConfig(b, lang)
	ep, err := s.eng.Plan(cfg)
	if err != nil {
		pj.Error = err.Error()
		return pj, err
	}
	fillPlan(pj, ep, lang)
	if ep.Refusal != nil { // a column of people, a --format change...: shown, not asked
		pj.Error = ep.Refusal.Error()
	}
	return pj, nil
}

// fillPlan copies an engine plan into pj.
func fillPlan(pj *planJSON, ep *batch.Plan, lang string) {
	p := ep.Portfolio
	pj.Sheet, pj.HeaderRow, pj.Format = p.Sheet, p.HeaderRow, p.Format
	if p.Header != nil {
		pj.Header = p.Header
	}
	if p.CodeColumn >= 0 {
		pj.Column = input.ColumnName(p.CodeColumn)
	} else {
		pj.Column = ""
	}
	if p.NameColumn >= 0 {
		pj.NameColumn = input.ColumnName(p.NameColumn)
	} else {
		pj.NameColumn = ""
	}
	pj.Rows, pj.Companies = p.Rows, len(p.Companies)
	pj.InvalidCount, pj.DuplicateCount = p.Invalid(), p.Duplicates
	for id, n := range p.InvalidByReason {
		pj.InvalidReasons[msg.Text(lang, id)] += n
	}
	line := func(i int) int {
		if i >= 0 && i < len(p.RowLine) {
			return int(p.RowLine[i])
		}
		return i + 1
	}
	for i, c := range p.RowCompany {
		switch {
		case c < 0:
			if len(pj.Invalid) < maxPlanRows {
				pj.Invalid = append(pj.Invalid, rowNote{Row: line(i), Reason: p.Message(i, lang)})
			}
		case int32(i) != p.Companies[c].FirstRow:
			if len(pj.Duplicates) < maxPlanRows {
				pj.Duplicates = append(pj.Duplicates, rowNote{Row: line(i), Repeats: line(int(p.Companies[c].FirstRow))})
			}
		default:
			if _, warn := p.RowReason[i]; warn && len(pj.Warnings) < maxPlanRows {
				pj.Warnings = append(pj.Warnings, rowNote{Row: line(i), Reason: p.Message(i, lang)})
			}
		}
	}
	sort.Slice(pj.Warnings, func(a, b int) bool { return pj.Warnings[a].Row < pj.Warnings[b].Row })
	d := ep
	pj.Done, pj.NewOrders, pj.Polls, pj.Cost = d.Done, d.ToOrder, d.ToPoll, d.Cost
	pj.Held, pj.HeldReason, pj.Digest = d.Held, d.HeldReason, d.Digest
	switch {
	case d.Estimate < 0:
		pj.EstimateSeconds = -1
	default:
		pj.EstimateSeconds = int64(d.Estimate.Round(time.Second) / time.Second)
	}
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
		out = append(out, s.bookInfo(b))
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
	writeJSON(w, http.StatusOK, s.bookInfo(b))
}

// bookInfo reads the book's state file (read-only: it works during a run).
func (s *Server) bookInfo(b *book) bookJSON {
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
			bj.Uncert = append(bj.Uncert, uncertJSON{SearchKey: c.SearchKey, Requested: c.OrderedAt, Message: firstLine(c.Message)})
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
