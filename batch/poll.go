package batch

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/qccbatch/qccbatch/batch/journal"
	"github.com/qccbatch/qccbatch/client"
)

// poll asks for the status of one order and acts on the answer.
func (r *runner) poll(it pollItem) {
	if r.pollsStopped.Load() {
		return
	}
	i := it.comp
	c := r.p.Companies[i]
	st, _ := r.lookup(i)
	var info client.ReportInfo
	err := r.do(request{limited: true}, func(ctx context.Context) error {
		var err error
		info, err = r.api.GetReportInfo(ctx, st.OrderNo)
		return err
	})
	if err != nil {
		r.pollFailed(it, err)
		return
	}
	switch info.Status {
	case "S":
		r.comps[i].note = ""
		r.record(i, r.j.Polled(journal.Key{ID: c.Key, Format: r.format}, journal.Poll{OrderNo: st.OrderNo, Status: "S", URL: info.URL}))
		r.cfg.Progress.Pending.Add(-1)
		r.cfg.Progress.Ready.Add(1)
		r.finalRows(i)
		if r.cfg.DownloadDir != "" {
			r.download(i)
		}
	case "F":
		r.record(i, r.j.Polled(journal.Key{ID: c.Key, Format: r.format}, journal.Poll{OrderNo: st.OrderNo, Status: "F", URL: ""}))
		r.cfg.Progress.Pending.Add(-1)
		if r.cfg.ReorderFailed && r.comps[i].ordersPlaced < maxOrdersPerRun && !r.ordersStopped.Load() {
			r.placeOrder(i)
			return
		}
		r.finalRows(i)
	default: // P or N: not ready yet; journal only a change of status
		if info.Status != st.ReportStatus {
			r.record(i, r.j.Polled(journal.Key{ID: c.Key, Format: r.format}, journal.Poll{OrderNo: st.OrderNo, Status: info.Status, URL: ""}))
		}
		r.again(it)
	}
}

// again schedules the next poll of an order, backing off to PollMax, unless
// the order has been polled for longer than --timeout.
func (r *runner) again(it pollItem) {
	now := r.cfg.Now()
	if now.Sub(it.since) >= r.cfg.Timeout {
		r.comps[it.comp].note = fmt.Sprintf("still processing after %s (--timeout); rerun to keep polling", r.cfg.Timeout)
		r.incompleteBecause("polling timed out")
		return
	}
	next := min(it.interval*2, r.cfg.PollMax)
	r.sched.add(pollItem{comp: it.comp, due: now.Add(it.interval), interval: next, since: it.since})
}

// pollFailed handles a GetReportInfo that gave no status.
func (r *runner) pollFailed(it pollItem, err error) {
	var intr errInterrupted
	if errors.As(err, &intr) {
		return // the order stays pending; a rerun polls it
	}
	switch client.ClassOf(err) {
	case client.ClassFatal:
		r.halt(StopAccount, fatalReason(err))
	case client.ClassQuota:
		r.halt(StopQuota, fmt.Sprintf("%v: daily limit or balance reached; run again later to resume", err))
		r.pollsStopped.Store(true) // the polls get the same answer: stop them too
	default: // retries exhausted, or a row-level code: poll again later
		r.comps[it.comp].note = "last poll failed: " + err.Error()
		r.cfg.Progress.Retries.Add(1)
		r.again(pollItem{comp: it.comp, interval: max(it.interval, time.Second), since: it.since})
	}
}
