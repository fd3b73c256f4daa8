package batch_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/qccbatch/qccbatch/batch"
	"github.com/qccbatch/qccbatch/batch/journal"
	"github.com/qccbatch/qccbatch/batch/msg"
	"github.com/qccbatch/qccbatch/batch/outcome"
	"github.com/qccbatch/qccbatch/client/qcctest"
)

// engineDeadline bounds every run of these tests.
const engineDeadline = 60 * time.Second

// collect reads a handle's events to the end, within ctx. onRow, when set,
// is called after each EventRow with the rows seen so far.
func collect(t *testing.T, ctx context.Context, h *batch.Handle, onRow func(rows int)) []batch.Event {
	t.Helper()
	var evs []batch.Event
	rows := 0
	for {
		select {
		case e, ok := <-h.Events():
			if !ok {
				return evs
			}
			evs = append(evs, e)
			if e.Kind == batch.EventRow {
				rows++
				if onRow != nil {
					onRow(rows)
				}
			}
		case <-ctx.Done():
			require.FailNow(t, "the events did not end within the deadline", "%d events", len(evs))
		}
	}
}

// TestEngine_WholeRun drives a whole run through the engine API alone, as
// a second front end would, with no command-line code: plan, a start
// without confirmation refused, confirm, start, every event, the summary,
// and what the fake API counted (one order per company).
func TestEngine_WholeRun(t *testing.T) {
	names := companyNames(150)
	rows := append(append([]string{}, names...), names[0], "") // a duplicate of row 1, an invalid row
	e := newEnv(t, rows)
	cfg := e.cfg
	cfg.ExitCodes = map[batch.Stop]int{0: 10, batch.StopIncomplete: 14} // data, not a callback: the front end's numbers
	api := e.client("sandbox", "sandbox")
	ctx, cancel := context.WithTimeout(context.Background(), engineDeadline)
	defer cancel()

	plan, err := batch.PlanRun(cfg)
	require.NoError(t, err)
	assert.Equal(t, 152, plan.Portfolio.Rows)
	assert.Len(t, plan.Portfolio.Companies, 150)
	assert.Equal(t, 1, plan.Portfolio.Invalid())
	assert.Equal(t, 1, plan.Portfolio.Duplicates)
	assert.Equal(t, 150, plan.ToOrder)
	assert.True(t, plan.NeedsConfirm())
	assert.NoError(t, plan.Refusal)
	assert.NotEmpty(t, plan.Digest)
	inv := plan.Portfolio.InvalidRows("en")
	require.Len(t, inv, 1)
	assert.Equal(t, 153, inv[0].Line, "the sheet row of the empty name")
	assert.NotEqual(t, msg.None, inv[0].Reason)
	assert.NotEmpty(t, inv[0].Message)
	assert.Equal(t, []batch.DuplicateRow{{Row: 150, Line: 152, FirstRow: 0, FirstLine: 2, Company: 0}}, plan.Portfolio.DuplicateRows())

	_, err = batch.Start(ctx, api, cfg, batch.Confirmed{}) // nobody confirmed 150 orders
	var changed *batch.PlanChangedError
	require.ErrorAs(t, err, &changed)
	assert.Equal(t, 150, changed.Plan.ToOrder)
	assert.Zero(t, e.srv.TotalOrders(), "a refused start orders nothing")

	h, err := batch.Start(ctx, api, cfg, plan.Confirmation())
	require.NoError(t, err)
	evs := collect(t, ctx, h, nil)
	sum, runErr := h.Wait()
	require.NoError(t, runErr)

	require.NotEmpty(t, evs)
	assert.Equal(t, batch.EventPlan, evs[0].Kind, "the plan comes first")
	assert.Equal(t, plan.Digest, evs[0].Plan.Digest, "the plan followed is the one confirmed")
	last := evs[len(evs)-1]
	require.Equal(t, batch.EventDone, last.Kind, "done comes last")
	assert.Same(t, sum, last.Summary)
	assert.NoError(t, last.Err)
	final := evs[len(evs)-2]
	require.Equal(t, batch.EventProgress, final.Kind, "the final counters come before done")
	assert.Equal(t, int64(152), final.Counters.FinalRows)
	assert.Equal(t, int64(150), final.Counters.Ordered)

	seen := map[int]int{}
	for i, ev := range evs {
		assert.Equal(t, int64(i+1), ev.Seq, "events are numbered without a gap")
		switch ev.Kind {
		case batch.EventRow:
			seen[ev.Row.Row]++
			assert.Equal(t, outcome.Ready, ev.Row.Outcome, "row %d", ev.Row.Row)
			assert.NotEmpty(t, ev.Row.OrderNo)
			assert.Equal(t, ev.Row.Row+2, ev.Row.Line, "the sheet row: header on row 1")
			assert.Equal(t, rows[ev.Row.Row], ev.Row.SearchKey)
		case batch.EventStop:
			t.Errorf("a complete run sends no stop: %v", ev.Stop)
		case batch.EventPlan:
			assert.Zero(t, i, "one plan, first")
		}
	}
	assert.Len(t, seen, 151, "every valid row became final in this run (the invalid row is in the plan)")
	for row, n := range seen {
		assert.Equal(t, 1, n, "row %d final once", row)
	}
	assert.Equal(t, 150, e.srv.TotalOrders())
	for name, n := range e.srv.OrderCounts() {
		assert.Equal(t, 1, n, name)
	}
	assert.Equal(t, 150, sum.NewOrders)
	assert.Equal(t, 151, sum.Counts[outcome.Ready])
	assert.Len(t, e.results(), 152)

	j, err := journal.Open(cfg.State, journal.Options{ReadOnly: true})
	require.NoError(t, err)
	defer j.Close()
	runs := j.Runs()
	require.Len(t, runs, 1)
	assert.Equal(t, 10, runs[0].Exit, "the run's record takes its number from Config.ExitCodes")
}

// TestEngine_PlanChanged: a front end confirmed 150 orders, then another
// run ordered 20 of them before the start: Start refuses with the new plan
// (130 orders) and orders nothing; confirming that one runs it, and no
// company is ordered twice.
func TestEngine_PlanChanged(t *testing.T) {
	e := newEnv(t, companyNames(150))
	api := e.client("sandbox", "sandbox")
	ctx, cancel := context.WithTimeout(context.Background(), engineDeadline)
	defer cancel()

	plan, err := batch.PlanRun(e.cfg)
	require.NoError(t, err)
	require.Equal(t, 150, plan.ToOrder)

	other := e.cfg // another run in between
	other.MaxOrders = 20
	_, err = batch.Run(ctx, api, other)
	var se *batch.StopError
	require.ErrorAs(t, err, &se)
	require.Equal(t, batch.StopIncomplete, se.Stop)
	require.Equal(t, 20, e.srv.TotalOrders())

	_, err = batch.Start(ctx, api, e.cfg, plan.Confirmation())
	var changed *batch.PlanChangedError
	require.ErrorAs(t, err, &changed)
	assert.Equal(t, 130, changed.Plan.ToOrder, "the plan found")
	assert.NotEqual(t, plan.Digest, changed.Plan.Digest)
	assert.Equal(t, msg.Text("en", msg.CfgPlanChanged, 130, 150), err.Error())
	assert.Equal(t, 20, e.srv.TotalOrders(), "nothing ordered")

	// The same number of orders of other companies is another plan too.
	stale := changed.Plan.Confirmation()
	stale.Digest = plan.Digest
	_, err = batch.Start(ctx, api, e.cfg, stale)
	require.ErrorAs(t, err, &changed)

	h, err := batch.Start(ctx, api, e.cfg, changed.Plan.Confirmation())
	require.NoError(t, err)
	collect(t, ctx, h, nil)
	sum, err := h.Wait()
	require.NoError(t, err)
	assert.Equal(t, 130, sum.NewOrders)
	assert.Equal(t, 150, e.srv.TotalOrders())
	for name, n := range e.srv.OrderCounts() {
		assert.Equal(t, 1, n, name)
	}
}

// TestEngine_Cancel: Cancel midway stops new orders (those in flight
// finish), writes the results with the rows left pending or not ordered,
// sends the stop with its reason and ends StopIncomplete; a rerun resumes
// and orders every company once in all.
func TestEngine_Cancel(t *testing.T) {
	const companies = 200
	e := newEnv(t, companyNames(companies), qcctest.WithLatency(20*time.Millisecond))
	e.cfg.Concurrency = 2
	api := e.client("sandbox", "sandbox")
	ctx, cancel := context.WithTimeout(context.Background(), engineDeadline)
	defer cancel()

	h, err := batch.Start(ctx, api, e.cfg, batch.Confirmed{All: true})
	require.NoError(t, err)
	atCancel := -1
	evs := collect(t, ctx, h, func(rows int) {
		if rows == 10 && atCancel < 0 {
			atCancel = e.srv.TotalOrders()
			h.Cancel()
		}
	})
	sum, runErr := h.Wait()
	require.GreaterOrEqual(t, atCancel, 0, "ten rows became final")
	var se *batch.StopError
	require.ErrorAs(t, runErr, &se)
	assert.Equal(t, batch.StopIncomplete, se.Stop)
	assert.LessOrEqual(t, e.srv.TotalOrders(), atCancel+e.cfg.Concurrency, "no new order after Cancel but those in flight")
	assert.Less(t, e.srv.TotalOrders(), companies)

	var stops []*batch.StopError
	for _, ev := range evs {
		if ev.Kind == batch.EventStop {
			stops = append(stops, ev.Stop)
		}
	}
	require.Len(t, stops, 1, "one stop")
	assert.Equal(t, batch.StopIncomplete, stops[0].Stop)
	assert.Equal(t, msg.Text("en", msg.StopCancelled), stops[0].Reason)
	assert.Equal(t, batch.EventDone, evs[len(evs)-1].Kind)
	assert.True(t, errors.Is(evs[len(evs)-1].Err, runErr) || evs[len(evs)-1].Err == runErr)

	left := sum.Counts[outcome.Pending] + sum.Counts[outcome.NotOrdered]
	assert.Positive(t, left)
	rows := e.results()
	require.Len(t, rows, companies, "the results were written")
	n := 0
	for _, r := range rows {
		if r["outcome"] == string(outcome.Pending) || r["outcome"] == string(outcome.NotOrdered) {
			n++
		}
	}
	assert.Equal(t, left, n)

	rerun, err := batch.Run(ctx, api, e.cfg)
	require.NoError(t, err)
	assert.Equal(t, companies, rerun.Counts[outcome.Ready])
	assert.Equal(t, companies, e.srv.TotalOrders())
	for name, n := range e.srv.OrderCounts() {
		assert.Equal(t, 1, n, name)
	}
}

// TestEngine_EventsNeverBlock: a front end that reads no event until the
// run ended does not hold the run up; it then gets every row, the plan and
// done, and of the progress events only the latest (coalesced).
func TestEngine_EventsNeverBlock(t *testing.T) {
	e := newEnv(t, companyNames(120))
	ctx, cancel := context.WithTimeout(context.Background(), engineDeadline)
	defer cancel()
	h, err := batch.Start(ctx, e.client("sandbox", "sandbox"), e.cfg, batch.Confirmed{All: true})
	require.NoError(t, err)
	select {
	case <-h.Done():
	case <-ctx.Done():
		require.FailNow(t, "the run waited for its events' reader")
	}
	_, err = h.Wait()
	require.NoError(t, err)
	kinds := map[batch.EventKind]int{}
	evs := collect(t, ctx, h, nil)
	for _, ev := range evs {
		kinds[ev.Kind]++
	}
	assert.Equal(t, map[batch.EventKind]int{batch.EventPlan: 1, batch.EventRow: 120, batch.EventProgress: 1, batch.EventDone: 1}, kinds)
	assert.Equal(t, int64(120), evs[len(evs)-2].Counters.FinalRows, "the latest counters, the final ones")
	assert.Equal(t, 120, e.srv.TotalOrders())
}
