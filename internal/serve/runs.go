package serve

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"github.com/qccbatch/qccbatch/batch/msg"
	"io"
	"net/http"
	"sync"
	"time"

	"github.com/qccbatch/qccbatch/batch"
	"github.com/qccbatch/qccbatch/batch/outcome"
)

// The states of a run.
const (
	stateQueued    = "queued"
	stateApproval  = "awaiting_approval"
	stateRunning   = "running"
	stateStopping  = "stopping"
	stateDone      = "done"
	eventKeepAlive = 15 * time.Second
)

// run is one run of a book started from the page or the API.
type run struct {
	ID, Book string

	mu         sync.Mutex
	state      string
	user       string // who started it
	approver   string // who approved it (team mode, above --approve-above)
	orders     int    // new orders confirmed
	digest     string // the confirmed plan's digest
	lang       string
	started    time.Time
	ended      time.Time
	progress   batch.Counters
	outcomes   map[string]int
	exit       *int
	errText    string
	stopReason string
	handle     runHandle
	cancelWait context.CancelFunc // ends the wait for an approval
	approve    chan string        // receives the approver's name
	finished   chan struct{}      // closed when the run is done and its files are written

	// events is the run's event log for server-sent events: the state
	// changes, and only the latest progress snapshot (snapshots are
	// cumulative, so a client that reconnects misses nothing).
	seq       int
	events    []sseEvent
	rowEvents int
	changed   chan struct{} // closed and replaced on every new event
}

type sseEvent struct {
	ID   int
	Name string
	Data []byte
}

// runJSON is the snapshot of a run: GET /api/runs/{RUN} and every event.
type runJSON struct {
	ID         string         `json:"run"`
	Book       string         `json:"book"`
	State      string         `json:"state"`
	User       string         `json:"user"`
	Approver   string         `json:"approver,omitempty"`
	Orders     int            `json:"orders"`
	Started    time.Time      `json:"started"`
	Ended      time.Time      `json:"ended,omitzero"`
	Progress   progressJSON   `json:"progress"`
	Outcomes   map[string]int `json:"outcomes"`
	Exit       *int           `json:"exit"`
	Error      string         `json:"error,omitempty"`
	StopReason string         `json:"stop_reason,omitempty"`
	// Rate is the API calls per second so far; ETA the seconds left at
	// that rate (-1: unknown).
	Rate float64 `json:"rate"`
	ETA  int64   `json:"eta_seconds"`
}

type progressJSON struct {
	TotalRows  int64 `json:"total_rows"`
	FinalRows  int64 `json:"final_rows"`
	ToOrder    int64 `json:"to_order"`
	Ordered    int64 `json:"ordered"`
	Ready      int64 `json:"ready"`
	Pending    int64 `json:"pending"`
	APICalls   int64 `json:"api_calls"`
	Retries    int64 `json:"retries"`
	Downloaded int64 `json:"downloaded"`
	SlowDowns  int64 `json:"slow_downs"`
}

func (r *run) snapshotLocked() runJSON {
	p := r.progress
	out := runJSON{ID: r.ID, Book: r.Book, State: r.state, User: r.user, Approver: r.approver, Orders: r.orders,
		Started: r.started, Ended: r.ended, Outcomes: r.outcomes, Exit: r.exit, Error: r.errText, StopReason: r.stopReason,
		Progress: progressJSON{TotalRows: p.TotalRows, FinalRows: p.FinalRows, ToOrder: p.ToOrder, Ordered: p.Ordered,
			Ready: p.Ready, Pending: p.Pending, APICalls: p.APICalls, Retries: p.Retries, Downloaded: p.Downloaded, SlowDowns: p.SlowDowns},
		ETA: -1}
	if out.Outcomes == nil {
		out.Outcomes = map[string]int{}
	}
	if r.state == stateRunning || r.state == stateStopping {
		if el := time.Since(r.started).Seconds(); el > 0.5 {
			out.Rate = float64(p.APICalls) / el
			if done := p.FinalRows; done > 0 && p.TotalRows > done {
				out.ETA = int64(el / float64(done) * float64(p.TotalRows-done))
			}
		}
	}
	return out
}

// rowJSON is a row that became final and needs a person: the data of a
// "row" event.
type rowJSON struct {
	Row       int    `json:"row"` // its sheet row (CSV line)
	SearchKey string `json:"search_key"`
	Outcome   string `json:"outcome"`
	Label     string `json:"label"`
	Message   string `json:"message"`
	OrderNo   string `json:"order_no,omitempty"`
}

// maxRowEvents bounds the row events a run keeps for its clients.
const maxRowEvents = 2000

// emitRowLocked appends a row event (kept: a client that reconnects gets
// the rows it missed).
func (r *run) emitRowLocked(row rowJSON) {
	if r.rowEvents >= maxRowEvents {
		return
	}
	r.rowEvents++
	data, _ := json.Marshal(row)
	r.seq++
	r.events = append(r.events, sseEvent{ID: r.seq, Name: "row", Data: data})
	close(r.changed)
	r.changed = make(chan struct{})
}

// emitLocked appends an event; a progress event replaces the previous one.
func (r *run) emitLocked(name string) {
	data, _ := json.Marshal(r.snapshotLocked())
	r.seq++
	if name == "progress" && len(r.events) > 0 && r.events[len(r.events)-1].Name == "progress" {
		r.events = r.events[:len(r.events)-1]
	}
	r.events = append(r.events, sseEvent{ID: r.seq, Name: name, Data: data})
	close(r.changed)
	r.changed = make(chan struct{})
}

// activeRun is the run of book id that is not done, or nil.
func (s *Server) activeRun(id string) *run {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, r := range s.runs {
		r.mu.Lock()
		active := r.Book == id && r.state != stateDone
		r.mu.Unlock()
		if active {
			return r
		}
	}
	return nil
}

func (s *Server) getRun(id string) *run {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.runs[id]
}

// handleStartRun is POST /api/books/{id}/runs {"orders": N}: start a run
// of the book that places the N new orders of its plan. A plan that has
// changed since (another run ordered in between) answers 409 with the new
// plan; a book already running answers 409 too.
func (s *Server) handleStartRun(w http.ResponseWriter, r *http.Request) {
	b := s.book(r.PathValue("id"))
	if b == nil {
		apiError(w, http.StatusNotFound, "no such book")
		return
	}
	var in struct {
		Orders *int   `json:"orders"`
		Digest string `json:"digest"` // optional: the plan's digest
	}
	if err := json.NewDecoder(io.LimitReader(r.Body, 4<<10)).Decode(&in); err != nil || in.Orders == nil || *in.Orders < 0 {
		apiError(w, http.StatusBadRequest, `want {"orders": N}: the number of new orders of the plan you confirm`)
		return
	}
	lang := langOf(r)
	user := userOf(r)
	s.mu.Lock()
	if s.closing {
		s.mu.Unlock()
		apiError(w, http.StatusServiceUnavailable, "the server is stopping: no new run; start it again to order")
		return
	}
	for _, o := range s.runs {
		o.mu.Lock()
		busy := o.Book == b.meta.ID && o.state != stateDone
		o.mu.Unlock()
		if busy {
			s.mu.Unlock()
			writeJSON(w, http.StatusConflict, map[string]any{"error": "this book is running: run " + o.ID, "run": o.ID})
			return
		}
	}
	rn := &run{ID: randomID(8), Book: b.meta.ID, state: stateQueued, user: user, orders: *in.Orders, lang: lang,
		started: time.Now(), changed: make(chan struct{}), finished: make(chan struct{}), approve: make(chan string, 1)}
	s.runs[rn.ID] = rn
	s.mu.Unlock()

	// The plan is checked now, so that a changed plan is refused before
	// the run is announced (and checked again by the engine at the start).
	pj, err := s.plan(b, lang)
	if pj != nil && pj.Running == rn.ID { // this run is no run of the plan: on a refusal it is dropped
		pj.Running = ""
	}
	if err == nil && pj.Error != "" {
		err = errors.New(pj.Error)
	}
	if err != nil {
		s.dropRun(rn)
		writeJSON(w, http.StatusUnprocessableEntity, pj)
		return
	}
	if pj.NewOrders != *in.Orders {
		s.dropRun(rn)
		writeJSON(w, http.StatusConflict, map[string]any{"error": fmt.Sprintf("the plan changed: %d new orders now, %d confirmed", pj.NewOrders, *in.Orders), "plan": pj})
		return
	}
	if in.Digest != "" && in.Digest != pj.Digest {
		s.dropRun(rn)
		writeJSON(w, http.StatusConflict, map[string]any{"error": "the plan changed: other companies to order than confirmed", "plan": pj})
		return
	}
	rn.digest = pj.Digest
	s.record(user, "run", "book", b.meta.ID, "run", rn.ID, "orders", *in.Orders)
	wait := s.team() && s.opt.ApproveAbove > 0 && *in.Orders > s.opt.ApproveAbove
	ctx, cancel := context.WithCancel(s.runCtx) // not the request's: the run outlives it, not the server
	rn.mu.Lock()
	rn.cancelWait = cancel
	switch {
	case rn.state == stateStopping: // stopped (from another tab) while the plan was checked
		cancel()
	case wait:
		rn.state = stateApproval
	}
	state := rn.state
	rn.emitLocked("state")
	rn.mu.Unlock()
	go s.execute(ctx, b, rn, wait)
	writeJSON(w, http.StatusAccepted, map[string]any{"run": rn.ID, "state": state})
}

func (s *Server) dropRun(rn *run) {
	s.mu.Lock()
	delete(s.runs, rn.ID)
	s.mu.Unlock()
	close(rn.finished)
}

// execute waits for an approval when one is needed, runs the book, and
// writes the CSV beside the workbook.
func (s *Server) execute(ctx context.Context, b *book, rn *run, wait bool) {
	defer close(rn.finished)
	finish := func(errText string, exit int) {
		rn.mu.Lock()
		rn.state, rn.ended, rn.errText = stateDone, time.Now(), errText
		rn.exit = &exit
		rn.emitLocked("done")
		rn.mu.Unlock()
	}
	if wait {
		select {
		case approver := <-rn.approve:
			rn.mu.Lock()
			rn.approver = approver
			rn.mu.Unlock()
		case <-ctx.Done():
			finish("stopped before approval: nothing was ordered", s.opt.ExitCode(&batch.StopError{Stop: batch.StopIncomplete, Reason: msg.Plain("stopped before approval")}))
			return
		}
	}
	rn.mu.Lock()
	if rn.state == stateStopping || ctx.Err() != nil {
		rn.mu.Unlock()
		finish("stopped before it started: nothing was ordered", s.opt.ExitCode(&batch.StopError{Stop: batch.StopIncomplete, Reason: msg.Plain("stopped")}))
		return
	}
	user, approver, lang, orders, digest := rn.user, rn.approver, rn.lang, rn.orders, rn.digest
	rn.mu.Unlock()
	cfg := s.runConfig(b, lang)
	cfg.Progress = &batch.Progress{}
	cfg.Flags = []string{"--serve", "--serve-user=" + user, fmt.Sprintf("--orders=%d", orders)}
	if approver != "" {
		cfg.Flags = append(cfg.Flags, "--approved-by="+approver)
	}
	b.mu.Lock() // no options change and no resolution while the run reads the files
	h, err := s.startConfirmed(ctx, cfg, orders, digest)
	b.mu.Unlock()
	if err != nil { // a *batch.PlanChangedError among them: nothing was ordered
		finish(msg.Render(err, msg.For(lang)), s.opt.ExitCode(err))
		return
	}
	rn.mu.Lock()
	rn.handle = h
	if rn.state != stateStopping {
		rn.state = stateRunning
	} else {
		h.Cancel()
	}
	rn.started = time.Now()
	rn.emitLocked("state")
	rn.mu.Unlock()
	var rep *batch.RunSummary
	var runErr error
	for ev := range h.Events() {
		rn.mu.Lock()
		switch ev.Kind {
		case batch.EventProgress:
			rn.progress = ev.Counters
			rn.emitLocked("progress")
		case batch.EventRow:
			if ev.Row.Outcome != outcome.Ready { // the rows that need a person, as they appear
				rn.emitRowLocked(rowJSON{Row: ev.Row.Line, SearchKey: ev.Row.SearchKey, Outcome: string(ev.Row.Outcome),
					Label: msg.For(lang).Outcome(ev.Row.Outcome), Message: ev.Row.Message.In(msg.For(lang)), OrderNo: ev.Row.OrderNo})
			}
		case batch.EventStop:
			rn.stopReason = ev.Stop.Reason.In(msg.For(lang))
			rn.emitLocked("state")
		case batch.EventDone:
			rep, runErr = ev.Summary, ev.Err
		}
		rn.mu.Unlock()
	}
	if rep != nil && rep.Output != "" { // the CSV from the same state file, as `qccbatch export` writes it
		b.mu.Lock()
		_, _ = batch.Export(batch.ExportConfig{State: cfg.State, Input: cfg.Input, Output: b.results(".csv"),
			Read: cfg.Read, Format: cfg.Format, ResultsLang: msg.For(lang), Version: s.opt.Version})
		b.mu.Unlock()
	}
	rn.mu.Lock()
	if rep != nil {
		rn.outcomes = map[string]int{}
		for _, o := range outcome.All() {
			rn.outcomes[string(o)] = rep.Counts[o]
		}
		rn.stopReason = rep.StopReason.In(msg.For(lang))
	}
	rn.mu.Unlock()
	errText := ""
	if runErr != nil {
		errText = msg.Render(runErr, msg.For(lang))
	}
	finish(errText, s.opt.ExitCode(runErr))
	s.record(user, "run_end", "book", b.meta.ID, "run", rn.ID, "exit", s.opt.ExitCode(runErr), "approved_by", approver)
}

// startConfirmed starts the run of cfg if its plan is still the one
// confirmed: the same count and the same companies (digest). The engine
// itself checks the confirmation of plans above batch.ConfirmAbove only, and
// an approval or a second tab can come long after the check of the POST:
// the book's reading options may have changed since (other companies, the
// same count). b.mu is held by the caller.
func (s *Server) startConfirmed(ctx context.Context, cfg batch.Config, orders int, digest string) (runHandle, error) {
	ok := batch.Confirmed{Orders: orders, Digest: digest}
	ep, err := s.eng.Plan(cfg)
	if err != nil {
		return nil, err
	}
	if ep.ToOrder != orders || ep.Digest != digest {
		return nil, &batch.PlanChangedError{Plan: ep, Confirmed: ok}
	}
	return s.eng.Start(ctx, cfg, orders, digest)
}

// handleRun is GET /api/runs/{run}: the run's snapshot.
func (s *Server) handleRun(w http.ResponseWriter, r *http.Request) {
	rn := s.getRun(r.PathValue("run"))
	if rn == nil {
		apiError(w, http.StatusNotFound, "no such run")
		return
	}
	rn.mu.Lock()
	out := rn.snapshotLocked()
	rn.mu.Unlock()
	writeJSON(w, http.StatusOK, out)
}

// handleStop is POST /api/runs/{run}/stop: Ctrl-C. No new order; requests
// in flight finish; the results are written.
func (s *Server) handleStop(w http.ResponseWriter, r *http.Request) {
	rn := s.getRun(r.PathValue("run"))
	if rn == nil {
		apiError(w, http.StatusNotFound, "no such run")
		return
	}
	rn.mu.Lock()
	if rn.state != stateDone {
		rn.state = stateStopping
		rn.emitLocked("state")
		if rn.handle != nil {
			rn.handle.Cancel()
		} else if rn.cancelWait != nil {
			rn.cancelWait()
		}
	}
	out := rn.snapshotLocked()
	rn.mu.Unlock()
	s.record(userOf(r), "stop", "run", rn.ID)
	writeJSON(w, http.StatusAccepted, out)
}

// handleEvents is GET /api/runs/{run}/events: server-sent events. Each
// event's data is the run's snapshot; its id lets a client that reconnects
// (Last-Event-ID, or ?last_event_id= after a page reload) get what it
// missed. The stream ends after the "done" event.
func (s *Server) handleEvents(w http.ResponseWriter, r *http.Request) {
	rn := s.getRun(r.PathValue("run"))
	if rn == nil {
		apiError(w, http.StatusNotFound, "no such run")
		return
	}
	last := -1
	if v := r.Header.Get("Last-Event-ID"); v != "" {
		last = atoiOr(v, -1)
	} else if v := r.URL.Query().Get("last_event_id"); v != "" {
		last = atoiOr(v, -1)
	}
	fl, ok := w.(http.Flusher)
	if !ok {
		apiError(w, http.StatusInternalServerError, "streaming unsupported")
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/event-stream; charset=utf-8")
	h.Set("X-Accel-Buffering", "no")
	w.WriteHeader(http.StatusOK)
	_, _ = io.WriteString(w, "retry: 1000\n\n")
	fl.Flush()
	keep := time.NewTicker(eventKeepAlive)
	defer keep.Stop()
	for {
		rn.mu.Lock()
		var out []sseEvent
		for _, e := range rn.events {
			if e.ID > last {
				out = append(out, e)
			}
		}
		changed := rn.changed
		done := rn.state == stateDone
		rn.mu.Unlock()
		for _, e := range out {
			fmt.Fprintf(w, "id: %d\nevent: %s\ndata: %s\n\n", e.ID, e.Name, e.Data)
			last = e.ID
		}
		if len(out) > 0 {
			fl.Flush()
		}
		if done {
			return
		}
		select {
		case <-changed:
		case <-keep.C:
			_, _ = io.WriteString(w, ": keep-alive\n\n")
			fl.Flush()
		case <-r.Context().Done():
			return
		}
	}
}
