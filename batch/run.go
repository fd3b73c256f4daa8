package batch

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"reflect"
	"sync"
	"sync/atomic"
	"time"

	"github.com/qccbatch/qccbatch/batch/internal/fsutil"
	"github.com/qccbatch/qccbatch/batch/internal/pollsched"
	"github.com/qccbatch/qccbatch/batch/journal"
	"github.com/qccbatch/qccbatch/batch/msg"
	"github.com/qccbatch/qccbatch/batch/outcome"
	"github.com/qccbatch/qccbatch/batch/results"
)

// RunSummary is what a finished run tells its front end: the counts of the
// Summary sheet and what the run did beside them.
type RunSummary struct {
	results.Summary       // what the Summary sheet shows: rows, companies, counts per row, new orders, times
	Downloaded      int64 // report files written this run
	SlowDowns       int64 // answers that asked the run to slow down
	Output          string
	Warnings        []string // things the user should check (export: an input that matches few companies)
	Split           []string // the results files per value of --split-by
}

// runner is the state of one run.
type runner struct {
	cfg    Config
	api    API
	j      *journal.Journal
	p      *Portfolio
	format int

	work, calls         context.Context // work: may new work start; calls: requests in flight
	stopWork, stopCalls context.CancelFunc
	perCompany          []companyRun
	inflight            chan struct{} // one slot per request in flight (--concurrency)
	pollSlots           chan struct{} // Concurrency-1 slots polls and downloads take first; nil with --concurrency 1
	polls               *pollsched.Schedule
	budget              atomic.Int64 // orders left this run; < 0 = unlimited
	// reorderRoom is how many re-orders of --reorder-failed a poll may
	// still place beyond the plan (< 0: any): a run never places more new
	// orders than the person confirmed, nor more than ConfirmAbove when
	// nothing was asked (see setReorderRoom). reorderLeft counts those it
	// left to the next run, which asks first.
	reorderRoom, reorderLeft    atomic.Int64
	reorderLimit                int // the new orders the run may place without asking again
	answered, badParams         atomic.Int64
	ordersStopped, pollsStopped atomic.Bool
	bound                       atomic.Bool // the state file belongs to the run's account (see bindOnAnswer)
	downloadsFailed             atomic.Int64
	orderNos                    orderNos // the order numbers held, so that no two companies share one

	mu             sync.Mutex
	stop           *StopError         // the first account/quota/breaker stop
	recent         [outageWindow]bool // the last order requests: ambiguous?
	recentN        int
	ambiguousTotal int                     // order requests this run that got no usable answer: possibly charged
	outage         *StopError              // the outage breaker's stop, if it was the run's stop
	outageRecent   int                     // ambiguous answers in the window when the breaker tripped
	incomplete     []msg.Message           // reasons the run could not finish everything
	companyCounts  map[outcome.Outcome]int // companies per outcome at the end (report)
	sched          *scheduler
	// damageHeld says why the run places no new order: the state file lost
	// records that no resolution has reconciled yet (see holdForDamage).
	// damage is that loss (nil: none), and held the new orders it holds,
	// re-orders of --reorder-failed found by a poll included.
	damageHeld msg.Message
	damage     *journal.Damage
	held       int
	// refresh decides refreshes by risk rating and review date (nil: by
	// RefreshAfter alone); ratings counts them per rating.
	refresh *refreshRule
	ratings *ratingStats

	// h receives the run's events (nil: none are kept, as for Run), and
	// rowStart, rowIndex list every company's rows (companyRows) for them.
	h                  *Handle
	rowStart, rowIndex []int32
}

// companyRun is what a run learns about one company beyond the journal.
type companyRun struct {
	note         msg.Message // shown in the row's message
	ordersPlaced int32       // order requests sent (intents), placed or not
	ordersBefore int32       // the orders the state file held at the plan (placedThisRun)
	final        atomic.Bool // markFinal counted it; its EventRow is not sent yet (rowsFinal)
}

// Run executes the whole pipeline without a front end to confirm or watch
// it: Start with every order confirmed (Confirmed{All: true}) and no
// events, then Wait. It returns a *StopError when the run stopped early or
// left rows to resume, an *input.Error, *journal.LockedError or
// *journal.CorruptError for unusable files, and nil when every row is
// final.
func Run(ctx context.Context, api API, cfg Config) (*RunSummary, error) {
	h, err := start(ctx, api, cfg, Confirmed{All: true}, false)
	if err != nil {
		return nil, err
	}
	return h.Wait()
}

// open does everything a run does before its first request: it checks the
// paths, reads the portfolio, opens (and locks) the state file, plans, and
// refuses what would spend money the user did not mean to (a column of
// people, a second ledger, a --format change, a plan of more than
// ConfirmAbove orders that ok does not cover, a plan other than the one ok
// names). On success the state file
// stays open in the returned runner; on an error it is closed.
func open(api API, cfg Config, ok Confirmed) (*runner, runPlan, *Plan, error) {
	if err := checkPaths(cfg.Input, cfg.Output, cfg.State, cfg.DownloadDir); err != nil {
		return nil, runPlan{}, nil, err
	}
	p, err := ScanPortfolio(cfg.Input, cfg.Read, cfg.Classify)
	if err != nil {
		return nil, runPlan{}, nil, err
	}
	if err := p.PeopleError(); err != nil {
		return nil, runPlan{}, nil, err
	}
	rule, err := newRefreshRule(cfg, p)
	if err != nil {
		return nil, runPlan{}, nil, err
	}
	if err := tooManyRows(cfg, p); err != nil {
		return nil, runPlan{}, nil, err
	}
	if err := checkFreeSpace(cfg.State); err != nil {
		return nil, runPlan{}, nil, err
	}
	_, statErr := os.Lstat(cfg.State)
	if errors.Is(statErr, fs.ErrNotExist) { // a new ledger: refused before it is created
		if err := checkLedgerBeside(cfg); err != nil {
			return nil, runPlan{}, nil, err
		}
	}
	j, err := journal.Open(cfg.State, journal.Options{Now: cfg.Now, Account: cfg.Account, NewEndpoint: cfg.NewEndpoint,
		WriteRetry: cfg.StateWriteRetry})
	if err != nil {
		return nil, runPlan{}, nil, err
	}
	fail := func(err error) (*runner, runPlan, *Plan, error) {
		_ = j.Close()
		return nil, runPlan{}, nil, err
	}
	if statErr == nil && j.HeldOrders() == 0 { // a ledger with no order yet is a new one too
		if err := checkLedgerBeside(cfg); err != nil {
			return fail(err)
		}
	}
	r := &runner{cfg: cfg, api: api, j: j, p: p, format: int(cfg.Format),
		perCompany: make([]companyRun, len(p.Companies)), inflight: make(chan struct{}, cfg.Concurrency),
		polls: pollsched.New(pollsched.Config{Interval: cfg.PollInterval, MinGap: min(cfg.PollInterval, pollsched.DefaultMinGap), MaxGap: cfg.PollMax})}
	r.polls.Prior(pollPrior(j.PollHistory()))
	if st := r.polls.Stats(); st.Prior > 0 {
		cfg.Logger.Info("poll schedule", "prior_orders", st.Prior, "learned", st.Learned)
	}
	if cfg.Concurrency > 1 {
		r.pollSlots = make(chan struct{}, cfg.Concurrency-1)
	}
	r.refresh = rule
	r.bound.Store(j.Bound())
	r.budget.Store(-1) // no limit
	if cfg.MaxOrders > 0 {
		r.budget.Store(int64(cfg.MaxOrders))
	}

	pl := r.plan()
	held := r.holdForDamage(&pl)
	if held > 0 {
		cfg.Logger.Warn("no new orders: the state file lost records", "held", held)
	}
	if err := r.checkFormat(pl); err != nil {
		return fail(err)
	}
	plan := r.publicPlan(pl, held)
	if (plan.NeedsConfirm() || ok.names()) && !ok.covers(plan) {
		return fail(&PlanChangedError{Plan: plan, Confirmed: ok})
	}
	r.setReorderRoom(plan, ok)
	if cfg.DownloadDir != "" {
		if err := os.MkdirAll(cfg.DownloadDir, 0o700); err != nil {
			return fail(configErrorf(msg.CfgPath, "--download", cfg.DownloadDir, fsutil.UnwrapPathError(err)))
		}
	}
	return r, pl, plan, nil
}

// finish runs the plan to its end: it orders, polls and downloads, writes
// the results and the run's end record, and closes the state file. ctx is
// the run's own (Handle.Cancel cancels it).
func (r *runner) finish(ctx context.Context, pl runPlan, runID string, start time.Time, executed func()) (*RunSummary, error) {
	cfg, j := r.cfg, r.j
	execErr := r.execute(pl)
	executed()
	if n := r.reorderLeft.Load(); n > 0 {
		r.incompleteBecause(msg.M(msg.StopReorderBeyondConfirmed, n, r.reorderLimit))
	}
	r.recountOutage()
	var runErr error
	if err := j.Sync(); err != nil {
		runErr = msg.Errorf(msg.StopStateFile, err)
	}
	rep := r.report(start)
	r.addRatings(&rep.Summary)
	var end error // how the run ended, before the results are written
	r.mu.Lock()
	stop := r.stop
	r.mu.Unlock()
	switch {
	case stop != nil: // the first reason the run stopped explains the rest
		end = stop
	case execErr != nil: // a fatal stop is in r.stop too: not reached
		end = execErr
	case runErr != nil:
		end = &StopError{Stop: StopStateFile, Reason: msg.Of(runErr)}
	case !r.damageHeld.Zero() && ctx.Err() == nil:
		end = &StopError{Stop: StopUncertain, Reason: r.damageHeld}
	default:
		end = r.verdict(ctx, rep)
	}
	if end != nil {
		rep.StopReason = msg.Of(end)
	}
	var resErr error
	if cfg.Output != "" {
		resErr = r.writeResults(rep)
		if resErr == nil {
			rep.Split, resErr = r.writeSplits(rep)
		}
	}
	final := end
	if resErr != nil {
		final = r.resultsFailed(resErr, runErr)
	}
	if err := j.EndRun(runID, r.runEnd(rep, final)); err != nil && end == nil {
		end = &StopError{Stop: StopStateFile, Reason: msg.M(msg.StopStateFile, err)}
	}
	if err := j.Close(); err != nil {
		closeErr := msg.Errorf(msg.StopStateFile, err)
		if end == nil {
			reason := closeErr.Message
			if runErr != nil {
				reason = msg.Join(msg.StopJoin, msg.Of(runErr), reason)
			}
			end = &StopError{Stop: StopStateFile, Reason: reason}
		}
		runErr = errors.Join(runErr, closeErr)
	}
	if resErr != nil {
		rep.Output = "" // the summary must not name a file that was not written
		return rep, r.resultsFailed(resErr, runErr)
	}
	return rep, end
}

// holdForDamage takes every new order out of the plan while the state
// file has lost records no resolution has reconciled (journal.Damage):
// the companies of the lost records cannot be told, so any company the
// ledger shows as never ordered (or due for a refresh) may have been
// ordered already. Polls and downloads of known orders go on; the run ends
// with exit 5, naming `qccbatch resolve`. It returns how many orders it
// held.
func (r *runner) holdForDamage(pl *runPlan) int {
	d, ok := r.j.Damage()
	if !ok {
		return 0
	}
	r.damage = &d
	if len(pl.orders) == 0 {
		return 0
	}
	note := msg.M(msg.NotOrdered, msg.M(msg.RowDamageHeld))
	for _, i := range pl.orders {
		r.perCompany[i].note = note
	}
	held := len(pl.orders)
	r.mu.Lock()
	r.held = held
	r.damageHeld = msg.M(msg.StopDamage, d.At.Local().Format(time.RFC3339), held, r.cfg.State)
	r.mu.Unlock()
	pl.orders = nil
	return held
}

// setReorderRoom sets how many failed reports found by a poll the run may
// re-order (--reorder-failed) beyond its plan: any when ok confirms
// whatever the plan is, else up to ConfirmAbove new orders in all (none
// past a plan that needed a confirmation: the person agreed to its count).
func (r *runner) setReorderRoom(plan *Plan, ok Confirmed) {
	room := int64(-1)
	if !ok.All {
		r.reorderLimit = max(plan.ToOrder, ConfirmAbove)
		if plan.NeedsConfirm() {
			r.reorderLimit = plan.ToOrder
		}
		room = int64(r.reorderLimit - plan.ToOrder)
	}
	r.reorderRoom.Store(room)
}

// takeReorderRoom takes room for one re-order; false when there is none
// (the caller leaves the company failed, for the next run to plan).
func (r *runner) takeReorderRoom() bool {
	if !takeOne(&r.reorderRoom) {
		r.reorderLeft.Add(1)
		return false
	}
	return true
}

// holdReorder holds the re-order of company i, whose order a poll found
// failed (--reorder-failed), while the state file's damage holds every new
// order: the records it lost may hold that very re-order. The run ends
// with exit 5 like one whose plan was held.
func (r *runner) holdReorder(i int) {
	r.perCompany[i].note = msg.M(msg.RowDamageHeld)
	r.mu.Lock()
	defer r.mu.Unlock()
	r.held++
	r.damageHeld = msg.M(msg.StopDamage, r.damage.At.Local().Format(time.RFC3339), r.held, r.cfg.State)
}

// execute orders, polls and downloads until nothing is left to do or the run
// is stopped. It returns the fatal stop that ended it early, if any (the
// same one r.stop holds).
func (r *runner) execute(pl runPlan) error {
	r.cfg.Progress.TotalRows.Store(int64(r.p.Rows))
	r.cfg.Progress.ToOrder.Store(int64(len(pl.orders)))
	r.cfg.Progress.FinalRows.Store(int64(pl.doneRows))
	r.cfg.Progress.Pending.Store(int64(len(pl.polls)))
	r.cfg.Progress.Ready.Store(int64(pl.ready))
	r.cfg.Logger.Info("plan", "rows", r.p.Rows, "companies", len(r.p.Companies),
		"to_order", len(pl.orders), "to_poll", len(pl.polls), "to_download", len(pl.downloads))

	now := r.cfg.Now()
	r.sched = newScheduler(r.cfg.Now)
	for _, i := range pl.polls { // ordered by an earlier run: poll now
		r.sched.add(pollItem{comp: i, due: now, ordered: now, last: now, since: now})
	}

	// A row's outcome, errors included, goes to the journal and the runner's
	// stop state; a worker returns an error only for a fatal stop (account,
	// state file), which cancels its pool's producer.
	polls := startPool(r.work, r.cfg.Concurrency, func(it pollItem) error {
		defer r.sched.done()
		r.poll(it)
		return r.fatal()
	})
	pollErr := make(chan error, 1)
	go func() {
		r.sched.run(polls.Context(), polls.send, r.nextPoll)
		pollErr <- polls.Wait()
	}()

	// While orders remain, polls may hold only half the --concurrency slots:
	// a poll takes its slot before it waits at the rate limiter, so polls
	// queued there would otherwise leave one slot for orders, and the rate
	// limiter would grant the next slot to a poll whenever no order was
	// waiting (measured: orders at 17/s instead of 20/s). The placeholders
	// go once ordering is over.
	reserved := 0
	if r.pollSlots != nil && len(pl.orders) > 0 {
		for reserved < r.cfg.Concurrency/2-1 {
			r.pollSlots <- struct{}{}
			reserved++
		}
	}
	orders := startPool(r.work, r.cfg.Concurrency, func(job func()) error {
		job()
		return r.fatal()
	})
	r.produceOrders(pl, orders)
	orderErr := orders.Wait()
	for range reserved {
		<-r.pollSlots
	}
	r.cfg.Progress.ToOrder.Store(r.cfg.Progress.Ordered.Load()) // ordering is over, whatever stopped it
	r.polls.SetQuantile(pollsched.AfterOrdersQuantile)          // every order is placed: the budget goes to the slow reports
	r.sched.producersDone()
	r.endgame()
	if err := <-pollErr; orderErr == nil {
		orderErr = err
	}
	return orderErr
}

// produceOrders feeds the order pool: the downloads left by an earlier
// run, then the orders in plan order (never-ordered first, oldest refresh
// first) while the budget lasts. It stops once the pool's context is done
// (an interrupt or a fatal stop) or a stop ended new orders.
func (r *runner) produceOrders(pl runPlan, orders *pool[func()]) {
	for _, i := range pl.downloads {
		if !orders.send(func() { r.download(i) }) {
			return
		}
	}
	for _, i := range pl.orders {
		if r.ordersStopped.Load() || orders.Context().Err() != nil {
			return
		}
		if !r.takeBudget() {
			r.incompleteBecause(msg.M(msg.StopMaxOrders))
			return
		}
		if !r.bound.Load() {
			// The API has not accepted the run's key yet: this order goes
			// alone, and its answer binds the state file to the key (or,
			// an account error, stops the run) before another intent is
			// written.
			r.placeOrder(i)
			continue
		}
		if !orders.send(func() { r.placeOrder(i) }) {
			return
		}
	}
}

// fatal returns the stop that ended every call (account, state file), or
// nil: the only error a worker returns. A row's failure never is one.
func (r *runner) fatal() error {
	if !r.pollsStopped.Load() { // set by halt for a fatal stop only
		return nil
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.stop
}

// resultsFailed is the error of a run whose results could not be written:
// never an input error (exit 2 says nothing was ordered), and a stop keeps
// its exit code.
func (r *runner) resultsFailed(err, runErr error) error {
	why := msg.M(msg.StopResultsNotWritten, err)
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.stop != nil {
		return &StopError{Stop: r.stop.Stop, Reason: msg.Join(msg.StopJoin, r.stop.Reason, why)}
	}
	if runErr != nil {
		why = msg.Join(msg.StopJoin, msg.Of(runErr), why)
	}
	return &StopError{Stop: StopResults, Reason: why}
}

// halt records the first stop and stops new orders; a stop that is not
// ordersOnly (account, state file) also ends polling and every call. It
// returns the run's stop when this one became it, else nil.
func (r *runner) halt(s Stop, reason msg.Message) *StopError {
	var first *StopError
	r.mu.Lock()
	if r.stop == nil {
		r.stop = &StopError{Stop: s, Reason: reason}
		first = r.stop
		r.cfg.Logger.Warn("stopping", "reason", reason)
		r.h.emitStop(r.cfg.Now(), r.stop)
	}
	r.mu.Unlock()
	r.ordersStopped.Store(true)
	if !s.ordersOnly() {
		r.pollsStopped.Store(true)
		r.stopWork()
	}
	return first
}

// incompleteBecause notes why some rows were left to a later run.
func (r *runner) incompleteBecause(reason msg.Message) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, s := range r.incomplete {
		if reflect.DeepEqual(s, reason) {
			return
		}
	}
	r.incomplete = append(r.incomplete, reason)
}

func (r *runner) lookup(i int) (journal.State, bool) {
	return r.j.Lookup(r.key(i))
}

// key is company i's key in the state file.
func (r *runner) key(i int) journal.Key {
	return journal.Key{ID: r.p.Companies[i].Key, Format: r.format}
}

// verdict maps how a run that was not stopped ended to nil (complete) or a
// *StopError of StopIncomplete.
func (r *runner) verdict(ctx context.Context, rep *RunSummary) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	left := rep.Counts[outcome.Pending] + rep.Counts[outcome.NotOrdered]
	if ctx.Err() != nil {
		return &StopError{Stop: StopIncomplete, Reason: msg.M(msg.StopInterruptedLeft, left)}
	}
	if left == 0 && len(r.incomplete) == 0 {
		if n := r.downloadsFailed.Load(); n > 0 {
			return &StopError{Stop: StopIncomplete, Reason: msg.M(msg.StopDownloadsFailed, n)}
		}
		if n := rep.Counts[outcome.Uncertain]; n > 0 {
			return &StopError{Stop: StopUncertain, Reason: msg.M(msg.StopUncertain, n, r.cfg.State)}
		}
		return nil
	}
	reason := msg.M(msg.StopIncomplete)
	if len(r.incomplete) > 0 {
		reason = msg.Join(msg.StopJoin, r.incomplete...)
	}
	if left == 0 { // e.g. refreshes skipped by --max-orders: the rows keep their older result
		return &StopError{Stop: StopIncomplete, Reason: msg.M(msg.StopNotPlaced, reason)}
	}
	return &StopError{Stop: StopIncomplete, Reason: msg.M(msg.StopLeft, reason, left)}
}

// minFreeSpace is the free space a run needs beside its state file before
// it starts placing orders: a run that cannot record what it buys must not
// buy.
const minFreeSpace = 16 << 20
