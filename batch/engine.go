package batch

import (
	"context"
	"sync"
	"sync/atomic"
	"time"

	"github.com/qccbatch/qccbatch/batch/msg"
	"github.com/qccbatch/qccbatch/batch/outcome"
)

// ProgressEvery is how often a run sends an EventProgress while it goes
// on; one more follows its end.
const ProgressEvery = 200 * time.Millisecond

// Confirmed is what a front end confirmed before Start: the plan's number
// of new orders and, optionally, its Digest (Plan.Confirmation). Start
// wants one that covers its plan when the plan places more than
// ConfirmAbove new orders, and whenever the Confirmed names a plan (a
// count or a Digest): a person who agreed to 5 orders never gets 45. The
// zero Confirmed names none and covers no plan above ConfirmAbove.
type Confirmed struct {
	// Orders is the number of new orders confirmed (Plan.ToOrder).
	Orders int
	// Digest, when not empty, must also be the plan's (Plan.Digest): the
	// same number of other companies is another plan.
	Digest string
	// All confirms whatever the plan is: a front end with nobody to ask
	// (qccbatch run --yes, or no terminal).
	All bool
}

// covers reports whether c confirms plan p.
func (c Confirmed) covers(p *Plan) bool {
	if c.All {
		return true
	}
	return c.Orders == p.ToOrder && (c.Digest == "" || c.Digest == p.Digest)
}

// names reports whether c confirms one plan in particular: its count or
// its Digest.
func (c Confirmed) names() bool { return !c.All && (c.Orders != 0 || c.Digest != "") }

// PlanChangedError refuses a Start whose plan is not the one confirmed
// (when it places more than ConfirmAbove new orders, or the Confirmed
// names a plan): another run ordered in between, the state file or the
// input changed. Nothing was ordered; Plan is the plan found, for the
// front end to confirm again.
type PlanChangedError struct {
	Plan      *Plan
	Confirmed Confirmed
}

func (e *PlanChangedError) Error() string { return e.Msg().String() }

// Msg returns the error's sentence, for msg.Render.
func (e *PlanChangedError) Msg() msg.Message {
	return msg.M(msg.CfgPlanChanged, e.Plan.ToOrder, e.Confirmed.Orders)
}

// EventKind says what an Event reports.
type EventKind int

// The events of a run, in the order they come: one EventPlan first, then
// EventProgress, EventRow and at most one EventStop as the run goes on,
// one last EventProgress with the final counters, and one EventDone last.
const (
	// EventPlan carries the plan the run follows (Event.Plan).
	EventPlan EventKind = iota + 1
	// EventProgress carries the run's counters (Event.Counters), every
	// ProgressEvery and once at the end. A consumer slower than that
	// gets the latest counters only: progress events are coalesced.
	EventProgress
	// EventRow says a data row became final in this run (Event.Row): one
	// event per row, each row at most once. Rows final before the run
	// (invalid rows, companies a state file holds as final) are in the
	// plan, not in events.
	EventRow
	// EventStop says the run is stopping early and why (Event.Stop): the
	// first account, quota, failure-rate or state-file stop, or a Cancel
	// (StopIncomplete). At most one per run; the final error is EventDone's.
	EventStop
	// EventDone ends the events: the run's summary (Event.Summary) and how
	// it ended (Event.Err, as Handle.Wait returns them).
	EventDone
)

// String names the kind for logs and JSON: plan, progress, row, stop, done.
func (k EventKind) String() string {
	switch k {
	case EventPlan:
		return "plan"
	case EventProgress:
		return "progress"
	case EventRow:
		return "row"
	case EventStop:
		return "stop"
	case EventDone:
		return "done"
	}
	return "unknown"
}

// Event is one report of a run to its front end. Only the fields of its
// Kind are set.
type Event struct {
	// Seq numbers the events of a run 1, 2, 3... in the order they are
	// delivered, with no gap (a coalesced progress event takes no number).
	Seq  int64
	Kind EventKind
	At   time.Time // when it happened (Config.Now)

	Plan     *Plan       // EventPlan
	Counters Counters    // EventProgress
	Row      RowFinal    // EventRow
	Stop     *StopError  // EventStop
	Summary  *RunSummary // EventDone
	Err      error       // EventDone: nil when every row is final
}

// RowFinal is a data row that became final in a run.
type RowFinal struct {
	Row       int    // the data row, 0-based (Portfolio.RowCompany's index)
	Line      int    // its sheet row (or CSV line), as people count
	Company   int    // its company, an index into Portfolio.Companies
	SearchKey string // what was ordered
	Outcome   outcome.Outcome
	// Message is the row's message, rendered where it is shown: a
	// warning about its identifier, why it failed.
	Message msg.Message
	OrderNo string // the vendor's order number, if one was placed
}

// Handle is a run started by Start: its events, its cancel and its end.
// Its methods may be called from any goroutine.
type Handle struct {
	plan     *Plan
	progress *Progress
	cancel   context.CancelFunc
	done     chan struct{} // closed once the run ended and sum, err are set
	q        *eventQueue   // nil for Run: no events are kept
	pump     sync.Once
	sum      *RunSummary
	err      error
}

// Start begins a run of cfg through api: it does, before returning,
// everything a run does before its first request (check the paths, read
// the portfolio, open and lock the state file, plan, record the run's
// start), then orders, polls, downloads and writes the results in the
// background. ok is the front end's confirmation of the plan: a plan of
// more than ConfirmAbove new orders that ok does not cover, or any plan
// other than the one ok names, is refused with a *PlanChangedError
// carrying the plan found (compute one first with PlanRun and ask). Other errors are those Run returns before any order:
// *input.Error, *ConfigError, the journal's errors.
//
// The run ends by itself when every row is final or it stopped; Cancel
// (or ctx ending) stops it early like Ctrl-C. Read Events to the end, or
// not at all: events wait for their reader.
func Start(ctx context.Context, api API, cfg Config, ok Confirmed) (*Handle, error) {
	return start(ctx, api, cfg, ok, true)
}

// start is Start; withEvents false keeps no event (Run has no reader).
func start(ctx context.Context, api API, cfg Config, ok Confirmed, withEvents bool) (*Handle, error) {
	cfg = cfg.withDefaults()
	began := cfg.Now()
	r, pl, plan, err := open(api, cfg, ok)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithCancel(ctx)
	h := &Handle{plan: plan, progress: cfg.Progress, cancel: cancel, done: make(chan struct{})}
	if withEvents {
		h.q = newEventQueue()
		r.h = h
		r.rowStart, r.rowIndex = companyRows(r.p)
	}
	h.emit(Event{Kind: EventPlan, At: began, Plan: plan})
	runID, err := r.j.StartRun(r.runInfo())
	if err != nil {
		_ = r.j.Close()
		cancel()
		return nil, &StopError{Stop: StopStateFile, Reason: msg.M(msg.StopStateFile, err)}
	}
	r.work, r.stopWork = context.WithCancel(ctx)
	r.calls, r.stopCalls = context.WithCancel(context.WithoutCancel(ctx))
	go func() { // after an interrupt, requests in flight get a short grace
		<-r.work.Done()
		t := time.NewTimer(cfg.Grace)
		defer t.Stop()
		select {
		case <-t.C:
			r.stopCalls()
		case <-r.calls.Done():
		}
	}()
	go h.run(ctx, r, pl, runID, began)
	return h, nil
}

// run is the run's goroutine: it executes the plan and sends the events.
func (h *Handle) run(ctx context.Context, r *runner, pl runPlan, runID string, began time.Time) {
	defer close(h.done)
	defer h.cancel()
	defer r.stopCalls()
	defer r.stopWork()
	executed := make(chan struct{})
	ticked := make(chan struct{})
	if h.q == nil { // Run: nobody reads events, so nothing to tick
		close(ticked)
	} else {
		go h.tick(ctx, r, executed, ticked)
	}
	sum, err := r.finish(ctx, pl, runID, began, func() { close(executed); <-ticked })
	h.sum, h.err = sum, err
	now := r.cfg.Now()
	h.emit(Event{Kind: EventProgress, At: now, Counters: r.cfg.Progress.Counters()})
	h.emit(Event{Kind: EventDone, At: now, Summary: sum, Err: err})
	h.q.close()
}

// tick sends an EventProgress every ProgressEvery, and the stop of a
// Cancel, until executed is closed; it closes ticked when it returns.
func (h *Handle) tick(ctx context.Context, r *runner, executed <-chan struct{}, ticked chan<- struct{}) {
	defer close(ticked)
	t := time.NewTicker(ProgressEvery)
	defer t.Stop()
	cancelled := ctx.Done()
	for {
		select {
		case <-executed:
			return
		case <-cancelled:
			cancelled = nil
			r.mu.Lock()
			if r.stop == nil {
				h.emitStop(r.cfg.Now(), &StopError{Stop: StopIncomplete, Reason: msg.M(msg.StopCancelled)})
			}
			r.mu.Unlock()
		case <-t.C:
			h.emit(Event{Kind: EventProgress, At: r.cfg.Now(), Counters: r.cfg.Progress.Counters()})
		}
	}
}

// Plan is the plan the run follows (the EventPlan's).
func (h *Handle) Plan() *Plan { return h.plan }

// Counters returns the run's counters now.
func (h *Handle) Counters() Counters { return h.progress.Counters() }

// Events returns the run's events, closed after EventDone. Every call
// returns the same channel; a run's events are delivered once.
func (h *Handle) Events() <-chan Event {
	h.pump.Do(func() { go h.q.pump() })
	return h.q.out
}

// Cancel stops the run like Ctrl-C: no new order, the requests in flight
// finish (within Config.Grace), the results and the run's record are
// written; the run ends with StopIncomplete and a rerun resumes it. It
// returns at once; Wait waits for the end.
func (h *Handle) Cancel() { h.cancel() }

// Done is closed once the run ended.
func (h *Handle) Done() <-chan struct{} { return h.done }

// Wait waits for the run's end and returns its summary and how it ended,
// as Run does.
func (h *Handle) Wait() (*RunSummary, error) {
	<-h.done
	return h.sum, h.err
}

// emit queues e for the reader of Events; nothing without events.
func (h *Handle) emit(e Event) {
	if h == nil || h.q == nil {
		return
	}
	h.q.push(e)
}

// emitStop queues the run's EventStop, once.
func (h *Handle) emitStop(at time.Time, s *StopError) {
	if h == nil || h.q == nil || !h.q.stopped.CompareAndSwap(false, true) {
		return
	}
	c := *s
	h.q.push(Event{Kind: EventStop, At: at, Stop: &c})
}

// rowsFinal sends the EventRow of every row of company i, once the
// company's outcome is in the state file; nothing without events or when
// markFinal did not mark it.
func (r *runner) rowsFinal(i int) {
	if r.h == nil || !r.perCompany[i].final.CompareAndSwap(true, false) {
		return
	}
	res := r.result(i)
	at := r.cfg.Now()
	c := r.p.Companies[i]
	for _, row := range r.rowIndex[r.rowStart[i]:r.rowStart[i+1]] {
		m := joinMessage(r.p.RowMessage[int(row)], res.Message)
		r.h.emit(Event{Kind: EventRow, At: at, Row: RowFinal{Row: int(row), Line: int(r.p.RowLine[row]), Company: i,
			SearchKey: c.SearchKey, Outcome: res.Outcome, Message: m, OrderNo: res.OrderNo}})
	}
}

// companyRows indexes the rows of every company: the rows of company i are
// index[start[i]:start[i+1]], in input order.
func companyRows(p *Portfolio) (start, index []int32) {
	start = make([]int32, len(p.Companies)+1)
	for _, ci := range p.RowCompany {
		if ci >= 0 {
			start[ci+1]++
		}
	}
	for i := 1; i < len(start); i++ {
		start[i] += start[i-1]
	}
	index = make([]int32, start[len(start)-1])
	next := append([]int32(nil), start[:len(p.Companies)]...)
	for row, ci := range p.RowCompany {
		if ci >= 0 {
			index[next[ci]] = int32(row)
			next[ci]++
		}
	}
	return start, index
}

// eventQueue holds a run's events until they are read: the run never
// waits for its reader. Events other than progress are all kept; of
// progress events, only the latest not yet delivered.
type eventQueue struct {
	mu       sync.Mutex
	items    []queued
	progress *queued // the latest progress not yet delivered
	n        int64   // events pushed: their order
	closed   bool
	wake     chan struct{} // a push or the close, for pump
	out      chan Event
	stopped  atomic.Bool // an EventStop was sent
}

type queued struct {
	n int64
	e Event
}

func newEventQueue() *eventQueue {
	return &eventQueue{wake: make(chan struct{}, 1), out: make(chan Event)}
}

func (q *eventQueue) push(e Event) {
	q.mu.Lock()
	if q.closed {
		q.mu.Unlock()
		return
	}
	q.n++
	if e.Kind == EventProgress {
		q.progress = &queued{q.n, e}
	} else {
		q.items = append(q.items, queued{q.n, e})
	}
	q.mu.Unlock()
	q.notify()
}

func (q *eventQueue) close() {
	if q == nil {
		return
	}
	q.mu.Lock()
	q.closed = true
	q.mu.Unlock()
	q.notify()
}

func (q *eventQueue) notify() {
	select {
	case q.wake <- struct{}{}:
	default:
	}
}

// next takes the oldest queued event; ok is false when there is none,
// and end true when there will be none.
func (q *eventQueue) next() (e Event, ok, end bool) {
	q.mu.Lock()
	defer q.mu.Unlock()
	switch {
	case q.progress != nil && (len(q.items) == 0 || q.progress.n < q.items[0].n):
		e, q.progress = q.progress.e, nil
		return e, true, false
	case len(q.items) > 0:
		e = q.items[0].e
		q.items[0] = queued{}
		q.items = q.items[1:]
		return e, true, false
	}
	return Event{}, false, q.closed
}

// pump delivers the queued events on out, numbered, and closes out after
// the last.
func (q *eventQueue) pump() {
	defer close(q.out)
	var seq int64
	for {
		e, ok, end := q.next()
		if end {
			return
		}
		if !ok {
			<-q.wake
			continue
		}
		seq++
		e.Seq = seq
		q.out <- e
	}
}
