package batch

import (
	"context"
	"errors"
	"time"

	"github.com/qccbatch/qccbatch/batch/internal/pollsched"
	"github.com/qccbatch/qccbatch/batch/journal"
	"github.com/qccbatch/qccbatch/batch/msg"
	"github.com/qccbatch/qccbatch/client"
)

// poll asks for the status of one order and acts on the answer.
func (r *runner) poll(it pollItem) {
	if r.pollsStopped.Load() {
		return
	}
	i := it.comp
	k := r.key(i)
	st, _ := r.lookup(i)
	var info client.ReportInfo
	err := r.send(kindPoll, it.since.Add(r.cfg.Timeout).Sub(r.cfg.Now()), func(ctx context.Context) error {
		var err error
		info, err = r.api.GetReportInfo(ctx, st.OrderNo)
		return err
	})
	r.bindOnAnswer(err)
	if err != nil {
		r.pollFailed(it, err)
		return
	}
	now := r.cfg.Now()
	switch info.Status {
	case "S":
		r.learn(it, now, true)
		r.perCompany[i].note = msg.Message{}
		r.cfg.Progress.Pending.Add(-1)
		r.endgame()
		r.cfg.Progress.Ready.Add(1)
		r.markFinal(i)
		r.record(i, r.j.Polled(k, journal.Poll{OrderNo: st.OrderNo, Status: "S", URL: info.URL, Pending: lastPending(it)}))
		if r.cfg.DownloadDir != "" {
			r.download(i)
		}
	case "F":
		r.learn(it, now, true)
		r.cfg.Progress.Pending.Add(-1)
		r.endgame()
		if r.cfg.ReorderFailed && r.damage != nil {
			r.holdReorder(i) // a re-order is a new order: it waits for resolve too
		} else if r.cfg.ReorderFailed && r.perCompany[i].ordersPlaced < 1 && !r.ordersStopped.Load() {
			room := r.takeReorderRoom()
			if room && r.takeBudget() {
				r.record(i, r.j.Polled(k, journal.Poll{OrderNo: st.OrderNo, Status: "F", Pending: lastPending(it)}))
				r.placeOrder(i) // at most one new order per company per run
				return
			}
			if !room {
				r.perCompany[i].note = msg.M(msg.RowReorderBeyondConfirmed)
			}
		}
		r.markFinal(i)
		r.record(i, r.j.Polled(k, journal.Poll{OrderNo: st.OrderNo, Status: "F", Pending: lastPending(it)}))
	default: // P or N: not ready yet; journal only a change of status
		r.learn(it, now, false)
		r.cfg.Progress.PollsPending.Add(1)
		if info.Status != st.ReportStatus {
			r.record(i, r.j.Polled(k, journal.Poll{OrderNo: st.OrderNo, Status: info.Status}))
		}
		it.last = now
		r.pollLater(it, r.endgameCap(r.polls.NextPoll(it.ordered, now, it.since.Add(r.cfg.Timeout))), "")
	}
}

// lastPending is what the state file keeps of an order's polls for the
// schedule of later runs (journal.Poll.Pending): the last poll that found
// it pending, or its order time; zero for an order placed by an earlier
// run, whose earlier polls this run does not know.
func lastPending(it pollItem) time.Time {
	if !it.learn {
		return time.Time{}
	}
	return it.last
}

// endgame pulls in the polls of the last pending orders once every order
// is placed (see scheduler.endgameLimit).
func (r *runner) endgame() {
	if limit, ok := r.sched.endgameLimit(r.cfg.Progress.Pending.Load()); ok {
		r.sched.pullIn(limit)
	}
}

// endgameCap brings due forward to the endgame's limit, if any.
func (r *runner) endgameCap(due time.Time) time.Time {
	if limit, ok := r.sched.endgameLimit(r.cfg.Progress.Pending.Load()); ok && due.After(limit) {
		return limit
	}
	return due
}

// learn feeds the poll schedule with what a poll at now found, for orders
// placed in this run (an order resumed from an earlier run has no known
// first interval).
func (r *runner) learn(it pollItem, now time.Time, done bool) {
	if !it.learn {
		return
	}
	if done {
		r.polls.Done(it.ordered, it.last, now)
	} else {
		r.polls.Pending(it.ordered, it.last, now)
	}
}

// nextPoll is asked again when a poll comes due: a schedule that has
// learned since the poll was planned may now say later, except in the
// endgame (scheduler.dueAgain).
func (r *runner) nextPoll(it pollItem) time.Time {
	return r.sched.dueAgain(it, r.cfg.Progress.Pending.Load(), r.polls.NextPoll(it.ordered, it.last, it.since.Add(r.cfg.Timeout)))
}

// pollLater schedules the next poll of an order at due, unless the order
// has been polled for longer than --timeout; cause is the last real problem
// (an unreadable answer, say), shown in the row when time runs out.
func (r *runner) pollLater(it pollItem, due time.Time, cause string) {
	now := r.cfg.Now()
	if !now.Before(it.since.Add(r.cfg.Timeout)) {
		note := msg.M(msg.StillProcessing, r.cfg.Timeout)
		if cause != "" {
			note = msg.M(msg.NoPollAnswer, r.cfg.Timeout, cause)
		}
		r.perCompany[it.comp].note = note
		r.incompleteBecause(msg.M(msg.StopPollTimeout))
		return
	}
	it.due = due
	r.sched.add(it)
}

// pollFailed handles a GetReportInfo that gave no status.
func (r *runner) pollFailed(it pollItem, err error) {
	var intr interruptedError
	if errors.As(err, &intr) || r.pollsStopped.Load() {
		return // the order stays pending; a rerun polls it
	}
	if r.unknownOrder(it, err) {
		return
	}
	switch client.ClassOf(err) {
	case client.ClassFatal:
		r.halt(StopAccount, fatalReason(err))
	case client.ClassQuota:
		r.halt(StopQuota, msg.M(msg.StopQuotaErr, err))
		r.pollsStopped.Store(true) // the polls get the same answer: stop them too
	default: // retries exhausted, or a row-level code: poll again later
		r.perCompany[it.comp].note = msg.M(msg.PollFailed, err)
		r.cfg.Progress.Retries.Add(1)
		now := r.cfg.Now()
		r.pollLater(it, maxTime(r.endgameCap(r.polls.NextPoll(it.ordered, it.last, it.since.Add(r.cfg.Timeout))), now.Add(r.cfg.PollInterval)), err.Error())
	}
}

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

// pollPrior turns the state file's poll history into the prior of this
// run's schedule: the first polls of a run on a state file that has seen
// reports finish are placed by what they took.
func pollPrior(h []journal.PollTimes) []pollsched.Observation {
	obs := make([]pollsched.Observation, len(h))
	for i, p := range h {
		obs[i] = pollsched.Observation{Ordered: p.Ordered, Pending: p.Pending, Done: p.Done}
	}
	return obs
}
