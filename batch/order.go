package batch

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/qccbatch/qccbatch/batch/journal"
	"github.com/qccbatch/qccbatch/batch/outcome"
	"github.com/qccbatch/qccbatch/client"
)

// cooldownFor is how long API code 110 forbids ordering the same search key.
const cooldownFor = 2 * time.Hour

// maxOrdersPerRun bounds the orders of one company in one run
// (--reorder-failed re-orders a report that failed while the run goes on).
const maxOrdersPerRun = 3

// breakerMin and the rule "more than half" make the failure-rate breaker:
// when most answers say the parameter is wrong, the column probably is.
const breakerMin = 20

// errInterrupted wraps the last error of a request abandoned because the
// run is stopping; the request it follows was certainly not sent again.
type errInterrupted struct{ last error }

func (e errInterrupted) Error() string {
	if e.last == nil {
		return "interrupted"
	}
	return "interrupted after: " + e.last.Error()
}

// request says how do treats one request.
type request struct {
	create  bool // a CreateReport: never retried once it may have reached the server
	limited bool // to the API's host: through the shared rate limiter, counted as an API call
}

// do sends one request, holding a --concurrency slot, with the retry policy
// of SPEC.
func (r *runner) do(req request, fn func(ctx context.Context) error) error {
	var last error
	for attempt := 1; ; attempt++ {
		if !r.acquire() {
			return errInterrupted{last}
		}
		if req.limited {
			if err := r.cfg.Limiter.Wait(r.work); err != nil {
				r.release()
				return errInterrupted{last}
			}
			r.cfg.Progress.APICalls.Add(1)
		}
		err := fn(r.calls)
		r.release()
		class := client.ClassOf(err)
		switch {
		case !req.limited:
		case class == client.ClassSlowDown:
			r.cfg.Progress.SlowDowns.Add(1)
			r.cfg.Limiter.SlowDown(client.RetryAfter(err))
		default:
			r.cfg.Limiter.Success()
		}
		if err == nil || (req.create && client.IsAmbiguous(err)) {
			return err
		}
		retry := class == client.ClassSlowDown || class == client.ClassTransient || class == client.ClassWait
		if !retry || attempt >= r.cfg.Backoff.Attempts {
			return err
		}
		last = err
		r.cfg.Progress.Retries.Add(1)
		if err := r.cfg.Backoff.Wait(r.work, attempt, client.RetryAfter(err)); err != nil {
			return errInterrupted{last}
		}
	}
}

// acquire takes one of the --concurrency slots for a request in flight,
// shared by orders, polls and downloads; false when the run is stopping.
func (r *runner) acquire() bool {
	select {
	case r.inflight <- struct{}{}:
		return true
	case <-r.work.Done():
		return false
	}
}

func (r *runner) release() { <-r.inflight }

// takeBudget reserves one order of --max-orders.
func (r *runner) takeBudget() bool {
	for {
		left := r.budget.Load()
		if left < 0 {
			return true
		}
		if left == 0 {
			return false
		}
		if r.budget.CompareAndSwap(left, left-1) {
			return true
		}
	}
}

// placeOrder orders the report of company i: intent (durable), CreateReport,
// answer. On success the order joins the poll schedule.
func (r *runner) placeOrder(i int) {
	c := r.p.Companies[i]
	if r.ordersStopped.Load() || r.work.Err() != nil {
		return
	}
	if !r.takeBudget() {
		r.incompleteBecause("--max-orders reached")
		return
	}
	if err := r.j.Intent(r.calls, journal.Key{ID: c.Key, Format: r.format}, c.SearchKey); err != nil {
		if r.calls.Err() != nil { // stopping: nothing was written, nothing sent
			r.incompleteBecause("interrupted")
			return
		}
		r.halt(StopStateFile, "state file: "+err.Error())
		return
	}
	r.comps[i].ordersPlaced++
	var orderNo string
	err := r.do(request{create: true, limited: true}, func(ctx context.Context) error {
		var err error
		orderNo, err = r.api.CreateReport(ctx, c.SearchKey, r.cfg.Format)
		return err
	})
	r.record(i, r.answer(i, orderNo, err))
}

// answer journals the answer to a CreateReport and acts on it.
func (r *runner) answer(i int, orderNo string, err error) error {
	c := r.p.Companies[i]
	j, key, f := r.j, c.Key, r.format
	var intr errInterrupted
	switch {
	case err == nil:
		if err := j.Ordered(journal.Key{ID: key, Format: f}, orderNo); err != nil {
			r.cfg.Logger.Error("order placed but the state file could not record it", "search_key", c.SearchKey, "order_no", orderNo, "err", err)
			r.comps[i].note = "order " + orderNo + " was placed but the state file could not record it: keep this order number"
			return fmt.Errorf("order %s for %s was placed but not recorded: %w", orderNo, c.SearchKey, err)
		}
		r.answered.Add(1)
		r.cfg.Progress.Ordered.Add(1)
		r.cfg.Progress.Pending.Add(1)
		now := r.cfg.Now()
		r.sched.add(pollItem{comp: i, due: now.Add(r.cfg.PollInterval), interval: r.cfg.PollInterval, since: now})
		return nil
	case client.IsAmbiguous(err):
		r.comps[i].note = "no complete answer to the order (" + err.Error() + "); an order may have been placed: check with Qichacha, then rerun with --reorder-uncertain if needed"
		r.finalRows(i)
		return j.Ambiguous(journal.Key{ID: key, Format: f}, err.Error())
	case errors.As(err, &intr):
		r.incompleteBecause("interrupted")
		return j.Cancelled(journal.Key{ID: key, Format: f}, "not sent: "+err.Error())
	}
	var ae *client.APIError
	isAPI := errors.As(err, &ae)
	switch class := client.ClassOf(err); {
	case isAPI && (class == client.ClassNotFound || class == client.ClassRejected):
		out := outcome.Rejected
		if class == client.ClassNotFound {
			out = outcome.NotFound
		}
		r.finalRows(i)
		r.answered.Add(1)
		if ae.Code == 202 || ae.Code == 213 || ae.Code == 215 {
			r.badParams.Add(1)
		}
		r.checkBreaker()
		return j.Refused(journal.Key{ID: key, Format: f}, journal.Refusal{Code: ae.Code, Message: ae.Message, Outcome: out})
	case isAPI && class == client.ClassCooldown:
		until := r.cfg.Now().Add(cooldownFor)
		r.comps[i].note = cooldownNote(until)
		r.incompleteBecause("cooldown (API 110)")
		return j.Cooldown(journal.Key{ID: key, Format: f}, until, ae.Code, ae.Message)
	case isAPI && class == client.ClassQuota:
		r.halt(StopQuota, fmt.Sprintf("API %d %s: daily limit or balance reached; run again later to resume", ae.Code, ae.Message))
		return j.Cancelled(journal.Key{ID: key, Format: f}, err.Error())
	case class == client.ClassFatal:
		r.halt(StopAccount, fatalReason(err))
		return j.Cancelled(journal.Key{ID: key, Format: f}, err.Error())
	default: // transient or slow-down, retries exhausted, certainly not placed
		r.comps[i].note = "not ordered: " + err.Error()
		r.incompleteBecause("some orders failed to reach the API")
		return j.Cancelled(journal.Key{ID: key, Format: f}, err.Error())
	}
}

// record stops the run when the state file cannot be written.
func (r *runner) record(i int, err error) {
	if err != nil {
		r.halt(StopStateFile, fmt.Sprintf("state file: %v (company %s)", err, r.p.Companies[i].SearchKey))
	}
}

// finalRows counts company i's rows as final in the progress.
func (r *runner) finalRows(i int) {
	r.cfg.Progress.FinalRows.Add(int64(r.p.Companies[i].Rows))
}

func (r *runner) checkBreaker() {
	n, bad := r.answered.Load(), r.badParams.Load()
	if n >= breakerMin && bad*2 > n {
		r.halt(StopFailing, fmt.Sprintf("%d of %d orders were rejected as bad parameters (API 202/213/215): is the identifier column right? Check with `qccbatch validate`, fix the input or use --column", bad, n))
	}
}

func fatalReason(err error) string {
	var ae *client.APIError
	if errors.As(err, &ae) {
		s := fmt.Sprintf("API %d %s: account problem, all requests stopped", ae.Code, ae.Message)
		if ae.Code == 115 {
			s += " (check the system clock and the key/secret)"
		}
		return s
	}
	return "unexpected answer, all requests stopped: " + err.Error()
}
