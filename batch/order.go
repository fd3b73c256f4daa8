package batch

import (
	"context"
	"errors"
	"fmt"
	"sync/atomic"
	"time"

	"github.com/qccbatch/qccbatch/batch/journal"
	"github.com/qccbatch/qccbatch/batch/msg"
	"github.com/qccbatch/qccbatch/batch/outcome"
	"github.com/qccbatch/qccbatch/client"
	"github.com/qccbatch/qccbatch/ratelimit"
)

// cooldownFor is how long API code 110 forbids ordering the same search key.
const cooldownFor = 2 * time.Hour

// breakerMin and the rule "more than half" make the failure-rate breaker:
// when most answers say the parameter is wrong, the column probably is.
const breakerMin = 20

// The outage breaker: outageMin ambiguous answers among the last
// outageWindow order requests stop new orders (SPEC "Ambiguous orders").
const (
	outageWindow = 20
	outageMin    = 10
)

// interruptedError wraps the last error of a request abandoned because the
// run is stopping; the request it follows was certainly not sent again.
type interruptedError struct{ Last error }

func (e interruptedError) Error() string {
	if e.Last == nil {
		return "interrupted"
	}
	return "interrupted after: " + e.Last.Error()
}

// Unwrap returns the last error before the interruption.
func (e interruptedError) Unwrap() error { return e.Last }

// requestKind says how send treats one request.
type requestKind int

const (
	// kindOrder is a CreateReport: retried only when it certainly did not
	// reach the API or was refused before processing (client.OrderDecision),
	// first in line at the rate limiter.
	kindOrder requestKind = iota
	// kindPoll is a GetReportInfo or a download from the API's host:
	// through the rate limiter, retried while transient.
	kindPoll
	// kindForeign is a download from another host: not rate limited, not
	// counted as an API call, retried while transient.
	kindForeign
)

// send sends one request, holding a --concurrency slot, with the retry
// policy of SPEC. Every wait (slots, limiter, backoff, Retry-After) ends
// when the run stops. A Retry-After is honoured up to maxRetryAfter and
// never past the deadline; a longer one stops the run (retryAfterStop), or
// for a download from another host, fails that download. With a time
// left != 0 (a poll's --timeout; negative when it has passed, 0 for none),
// each request's deadline, the backoff and Retry-After pauses are bounded by that
// time, and no retry starts after it: the last real error is returned, so
// the row can say what went wrong rather than "still processing". The first
// attempt, though, always waits for its turn, however long orders keep the
// limiter, and then has at least min(lastChance, --timeout) to be answered:
// a poll that came due before its order's deadline is made (when waiting
// for the turn was bounded too, an order placed while ordering kept the
// limiter busy could time out without ever being polled).
func (r *runner) send(kind requestKind, left time.Duration, fn func(ctx context.Context) error) error {
	work, calls := r.work, r.calls
	retries := work // the backoff between attempts
	var deadline time.Time
	if left != 0 { // a poll's: past already when left < 0, so no retry starts
		deadline = time.Now().Add(left)
		var cancel context.CancelFunc
		retries, cancel = context.WithDeadline(work, deadline)
		defer cancel()
	}
	var last error
	stopped := func() error {
		if r.work.Err() != nil {
			return interruptedError{last}
		}
		return last
	}
	for attempt := 1; ; attempt++ {
		if !r.acquire(work, kind) {
			return stopped()
		}
		if kind != kindForeign {
			lane := ratelimit.Poll
			if kind == kindOrder {
				lane = ratelimit.Order
			}
			if err := r.cfg.Limiter.WaitLane(work, lane); err != nil {
				r.release(kind)
				return stopped()
			}
			r.cfg.Progress.APICalls.Add(1)
		}
		err := r.call(calls, deadline, attempt, fn)
		r.release(kind)
		wait, tooLong := retryAfter(err, deadline)
		if tooLong {
			if kind != kindForeign { // the API: nothing more is sent
				r.retryAfterStop(client.RetryAfter(err))
			}
			return err
		}
		class := client.ClassOf(err)
		switch {
		case kind == kindForeign:
		case class == client.ClassSlowDown:
			r.cfg.Progress.SlowDowns.Add(1)
			r.cfg.Limiter.SlowDown(wait)
		default:
			r.cfg.Limiter.Success()
		}
		if err == nil {
			return nil
		}
		retry := class == client.ClassSlowDown || class == client.ClassTransient || class == client.ClassWait
		if kind == kindOrder {
			retry = client.OrderDecision(err) == client.DecisionRetry
		}
		if !retry || attempt >= r.cfg.Backoff.Attempts || retries.Err() != nil {
			return err
		}
		last = err
		r.cfg.Progress.Retries.Add(1)
		if err := r.cfg.Backoff.Wait(retries, attempt, wait); err != nil || retries.Err() != nil {
			return stopped()
		}
	}
}

// maxRetryAfter is the longest Retry-After a run honours (SPEC): a longer
// one stops the run, which a rerun resumes later.
const maxRetryAfter = 5 * time.Minute

// retryAfter returns how long the Retry-After of err makes the run wait:
// at most maxRetryAfter, and never past deadline (a poll's --timeout; zero
// for none). tooLong is set when the API asked for more than
// maxRetryAfter: the run does not wait, it stops.
func retryAfter(err error, deadline time.Time) (wait time.Duration, tooLong bool) {
	wait = client.RetryAfter(err)
	if wait > maxRetryAfter {
		return 0, true
	}
	if !deadline.IsZero() {
		wait = max(min(wait, time.Until(deadline)), 0)
	}
	return wait, false
}

// retryAfterStop stops the run on a Retry-After of ra, longer than the run
// waits: no order is placed and nothing more is sent (the API asked for
// none); what is pending stays pending, and a rerun resumes it.
func (r *runner) retryAfterStop(ra time.Duration) {
	r.halt(StopQuota, msg.M(msg.StopRetryAfter, ra, maxRetryAfter))
	r.pollsStopped.Store(true)
	r.stopWork()
}

// lastChance is the least time the first attempt of a poll has to be
// answered when its turn came near or after its deadline (see send).
const lastChance = 10 * time.Second

// call runs one attempt of a request, within the deadline of a poll's
// --timeout if it has one (zero: none), but giving the first attempt at
// least min(lastChance, --timeout).
func (r *runner) call(ctx context.Context, deadline time.Time, attempt int, fn func(ctx context.Context) error) error {
	if deadline.IsZero() {
		return fn(ctx)
	}
	until := time.Until(deadline)
	if attempt == 1 {
		until = max(until, min(lastChance, r.cfg.Timeout))
	}
	ctx, cancel := context.WithTimeout(ctx, until)
	defer cancel()
	return fn(ctx)
}

// acquire takes one of the --concurrency slots for a request in flight,
// shared by orders, polls and downloads; false when the run is stopping.
// Polls and downloads first take one of their own Concurrency-1 slots, so
// that polls waiting at the rate limiter never hold every slot while an
// order, which goes first there, waits for one.
func (r *runner) acquire(ctx context.Context, kind requestKind) bool {
	if kind != kindOrder && r.pollSlots != nil {
		select {
		case r.pollSlots <- struct{}{}:
		case <-ctx.Done():
			return false
		}
	}
	select {
	case r.inflight <- struct{}{}:
		return true
	case <-ctx.Done():
		if kind != kindOrder && r.pollSlots != nil {
			<-r.pollSlots
		}
		return false
	}
}

func (r *runner) release(kind requestKind) {
	<-r.inflight
	if kind != kindOrder && r.pollSlots != nil {
		<-r.pollSlots
	}
}

// takeBudget reserves one order of --max-orders.
func (r *runner) takeBudget() bool { return takeOne(&r.budget) }

// takeOne takes one from a count of what is left (< 0: no limit), and
// reports false, taking nothing, once it is 0.
func takeOne(left *atomic.Int64) bool {
	for {
		n := left.Load()
		switch {
		case n < 0:
			return true
		case n == 0:
			return false
		case left.CompareAndSwap(n, n-1):
			return true
		}
	}
}

// placeOrder orders the report of company i (its --max-orders budget is
// already taken, in plan order, by the caller): intent (durable), CreateReport,
// answer. On success the order joins the poll schedule.
func (r *runner) placeOrder(i int) {
	c := r.p.Companies[i]
	if r.ordersStopped.Load() || r.work.Err() != nil {
		return
	}
	if err := r.j.Intent(r.calls, r.key(i), c.SearchKey); err != nil {
		if r.calls.Err() != nil { // stopping: nothing was written, nothing sent
			r.incompleteBecause(msg.M(msg.StopInterrupted))
			return
		}
		r.halt(StopStateFile, msg.M(msg.StopStateFile, err))
		return
	}
	r.perCompany[i].ordersPlaced++
	var orderNo string
	err := r.send(kindOrder, 0, func(ctx context.Context) error {
		var err error
		orderNo, err = r.api.CreateReport(ctx, c.SearchKey, r.cfg.Format)
		return err
	})
	r.bindOnAnswer(err)
	r.record(i, r.answer(i, orderNo, err))
}

// answer journals the answer to a CreateReport and acts on it, as
// client.OrderDecision classifies it.
func (r *runner) answer(i int, orderNo string, err error) error {
	c := r.p.Companies[i]
	k := r.key(i)
	var intr interruptedError
	if errors.As(err, &intr) {
		r.incompleteBecause(msg.M(msg.StopInterrupted))
		return r.j.Cancelled(k, "not sent: "+err.Error())
	}
	var ae *client.APIError // set for every decision but placed, retry, ambiguous and fatal
	errors.As(err, &ae)
	switch client.OrderDecision(err) {
	case client.DecisionPlaced:
		if r.orderNos.claim(r.j, orderNo, k) { // a hostile or broken answer: not this company's order
			r.markFinal(i)
			r.orderOutcome(true)
			return r.j.AmbiguousBecause(k, r.duplicateOrderNo(orderNo, k))
		}
		if err := r.j.Ordered(k, orderNo); err != nil {
			r.cfg.Logger.Error("order placed but the state file could not record it", "search_key", c.SearchKey, "order_no", orderNo, "err", err)
			r.perCompany[i].note = msg.M(msg.NotRecorded, orderNo)
			var nr *journal.OrderNotRecordedError
			if errors.As(err, &nr) {
				return err // it names the order, the company and where the number was saved
			}
			return fmt.Errorf("order %s for %s was placed but not recorded: %w", orderNo, c.SearchKey, err)
		}
		r.orderOutcome(false)
		r.answered.Add(1)
		r.cfg.Progress.Ordered.Add(1)
		r.cfg.Progress.Pending.Add(1)
		now := r.cfg.Now()
		r.sched.add(pollItem{comp: i, ordered: now, last: now, since: now, learn: true,
			due: r.polls.NextPoll(now, now, now.Add(r.cfg.Timeout))})
		return nil
	case client.DecisionAmbiguous:
		// No run note: the state file's message already carries the cause
		// and what to do (journal.State.Note); a note said it twice.
		r.markFinal(i)
		r.orderOutcome(true)
		return r.j.Ambiguous(k, err.Error())
	case client.DecisionRowFinal:
		out := outcome.Rejected
		if ae.Code == 201 {
			out = outcome.NotFound
		}
		r.markFinal(i)
		r.orderOutcome(false)
		r.answered.Add(1)
		if ae.Code == 202 || ae.Code == 213 || ae.Code == 215 {
			r.badParams.Add(1)
		}
		r.checkBreaker()
		return r.j.Refused(k, journal.Refusal{Code: ae.Code, Message: ae.Message, Outcome: out})
	case client.DecisionCooldown:
		until := r.cfg.Now().Add(cooldownFor)
		r.perCompany[i].note = msg.M(msg.Cooldown, until.Local().Format(time.RFC3339))
		r.incompleteBecause(msg.M(msg.StopCooldown))
		return r.j.Cooldown(k, until, ae.Code, ae.Message)
	case client.DecisionQuota:
		r.halt(StopQuota, msg.M(msg.StopQuota, ae.Code, ae.Message))
		return r.j.Cancelled(k, err.Error())
	case client.DecisionRetry: // retries exhausted; certainly not placed
		r.perCompany[i].note = msg.M(msg.NotOrdered, err)
		r.incompleteBecause(msg.M(msg.StopOrdersFailed))
		return r.j.Cancelled(k, err.Error())
	}
	r.halt(StopAccount, fatalReason(err))
	return r.j.Cancelled(k, err.Error())
}

// duplicateOrderNo says why company k, answered with order number no that
// another company holds, is uncertain.
func (r *runner) duplicateOrderNo(no string, k journal.Key) msg.Message {
	h, ok := holder(r.j, no, k)
	if !ok {
		return msg.M(msg.DupOrderNoThisRun, no)
	}
	name := h.ID
	if h.Format != k.Format {
		name += " (" + client.Format(h.Format).String() + ")"
	}
	return msg.M(msg.DupOrderNo, no, name)
}

// orderOutcome feeds the outage breaker with the end of one order request:
// when outageMin of the last outageWindow ended ambiguous, the API is
// failing (502 pages, a proxy answering HTML): stop placing orders before
// the whole book turns uncertain, keep polling what has a number.
func (r *runner) orderOutcome(ambiguous bool) {
	r.mu.Lock()
	r.recent[r.recentN%outageWindow] = ambiguous
	r.recentN++
	n := 0
	for _, a := range r.recent[:min(r.recentN, outageWindow)] {
		if a {
			n++
		}
	}
	r.ambiguousTotal += btoi(ambiguous)
	total := r.ambiguousTotal
	r.mu.Unlock()
	if n >= outageMin {
		if s := r.halt(StopFailing, msg.M(msg.StopFailing, n, outageWindow, total)); s != nil {
			r.mu.Lock()
			r.outage, r.outageRecent = s, n
			r.mu.Unlock()
		}
	}
}

// recountOutage, once every request has ended, gives the outage stop the
// run's final count of uncertain orders: requests in flight when the
// breaker tripped may have ended ambiguous too, and the stop reason, the
// summary's "possibly charged" and the ledger must say the same number.
func (r *runner) recountOutage() {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.outage != nil && r.stop == r.outage {
		r.stop.Reason = msg.M(msg.StopFailing, r.outageRecent, outageWindow, r.ambiguousTotal)
	}
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

// record stops the run when the state file cannot be written. Once the
// company's event is recorded, a company markFinal counted sends its rows'
// events (rowsFinal).
func (r *runner) record(i int, err error) {
	var nr *journal.OrderNotRecordedError
	if errors.As(err, &nr) {
		r.halt(StopStateFile, msg.M(msg.StopStateFile, err))
		return
	}
	if err != nil {
		r.halt(StopStateFile, msg.M(msg.StopStateFileCompany, err, r.p.Companies[i].SearchKey))
	}
	r.rowsFinal(i)
}

// markFinal counts company i's rows as final in the progress; the next
// record of the company sends their EventRow.
func (r *runner) markFinal(i int) {
	r.cfg.Progress.FinalRows.Add(int64(r.p.Companies[i].Rows))
	if r.h != nil {
		r.perCompany[i].final.Store(true)
	}
}

func (r *runner) checkBreaker() {
	n, bad := r.answered.Load(), r.badParams.Load()
	if n >= breakerMin && bad*2 > n {
		r.halt(StopFailing, msg.M(msg.StopBadParams, bad, n))
	}
}

func fatalReason(err error) msg.Message {
	var ae *client.APIError
	if errors.As(err, &ae) {
		if ae.Code == 115 {
			return msg.M(msg.StopAccountClock, ae.Code, ae.Message)
		}
		return msg.M(msg.StopAccount, ae.Code, ae.Message)
	}
	return msg.M(msg.StopUnexpected, err)
}
