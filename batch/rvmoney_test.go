package batch_test

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/qccbatch/qccbatch/batch"
	"github.com/qccbatch/qccbatch/batch/journal"
	"github.com/qccbatch/qccbatch/client/qcctest"
)

// TestDamage_ReorderFailedWaitsForResolve: a state file that lost records
// holds every new order until resolve (SPEC "Damage never re-orders"),
// re-orders of --reorder-failed included. The orders of an earlier run
// that a poll now finds failed (F) were re-ordered from the poll, past the
// hold: the lost records may hold that very re-order.
func TestDamage_ReorderFailedWaitsForResolve(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	names := make([]string, 20)
	for i := range names {
		names[i] = fmt.Sprintf("失败测试科技有限公司%04d", i+1)
	}
	clock := qcctest.NewClock(time.Now())
	e := newEnv(t, names, qcctest.WithClock(clock.Now), qcctest.WithGenDelay(time.Hour))
	e.cfg.Timeout = 20 * time.Millisecond // run 1 leaves every order pending
	_, err := e.run(ctx, nil)
	var se *batch.StopError
	require.ErrorAs(t, err, &se)
	require.Equal(t, batch.StopIncomplete, se.Stop)
	require.Equal(t, len(names), e.srv.TotalOrders())

	// A line lost in the middle of the file: repair records the loss.
	data, err := os.ReadFile(e.cfg.State)
	require.NoError(t, err)
	lines := strings.SplitAfter(string(data), "\n")
	mid := len(lines) / 2
	require.NoError(t, os.WriteFile(e.cfg.State, []byte(strings.Join(append(lines[:mid:mid], lines[mid+1:]...), "")), 0o600))
	rep, err := journal.Repair(e.cfg.State, journal.RepairOptions{})
	require.NoError(t, err)
	require.Positive(t, rep.Lost, "the deleted line is a lost record")

	clock.Advance(2 * time.Hour)    // every report has failed (F)
	e.cfg.Timeout = 2 * time.Second // a re-order stays P: it would end the run at 2 s
	e.cfg.ReorderFailed = true
	_, err = e.run(ctx, nil)
	require.ErrorAs(t, err, &se)
	assert.Equal(t, batch.StopUncertain, se.Stop, "exit 5: new orders wait for resolve")
	again := 0
	for _, n := range e.srv.OrderCounts() {
		again += n - 1
	}
	assert.Zero(t, again, "companies ordered again while the state file's damage is not reconciled")
	for _, row := range e.results() {
		assert.Contains(t, []string{"failed", "uncertain"}, row["outcome"], "%v", row)
		if row["outcome"] == "failed" {
			assert.Contains(t, row["message"], "qccbatch resolve", "the row says its re-order waits")
		}
	}
}

// TestEngine_SmallPlanChangedIsRefused: a front end confirmed a plan of 5
// orders (its count and Digest), then the input was edited before the
// start: 40 more companies. Start refused only plans above ConfirmAbove
// that the confirmation did not cover, so it placed 45 orders where the
// person agreed to 5. A confirmation that names a plan (a count or a
// Digest) is checked whatever the plan's size; Confirmed{} still starts a
// plan of at most ConfirmAbove, and Confirmed{All: true} any plan.
func TestEngine_SmallPlanChangedIsRefused(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), engineDeadline)
	defer cancel()
	names := companyNames(45)
	e := newEnv(t, names[:5])
	api := e.client("sandbox", "sandbox")
	plan, err := batch.PlanRun(e.cfg)
	require.NoError(t, err)
	require.Equal(t, 5, plan.ToOrder)
	require.False(t, plan.NeedsConfirm())

	var b strings.Builder // the input edited after the plan was confirmed
	b.WriteString("客户编号,企业名称\r\n")
	for i, n := range names {
		fmt.Fprintf(&b, "C%04d,%s\r\n", i+1, n)
	}
	require.NoError(t, os.WriteFile(e.cfg.Input, []byte(b.String()), 0o600))

	_, err = batch.Start(ctx, api, e.cfg, plan.Confirmation())
	var changed *batch.PlanChangedError
	require.ErrorAs(t, err, &changed, "the plan confirmed was 5 orders")
	assert.Equal(t, 45, changed.Plan.ToOrder)
	assert.Zero(t, e.srv.TotalOrders(), "orders placed beyond the plan confirmed")

	// Same count, other companies: refused too.
	stale := batch.Confirmed{Orders: 45, Digest: plan.Digest}
	_, err = batch.Start(ctx, api, e.cfg, stale)
	require.ErrorAs(t, err, &changed)
	assert.Zero(t, e.srv.TotalOrders())

	// Nothing confirmed: a plan of at most ConfirmAbove starts, as before.
	h, err := batch.Start(ctx, api, e.cfg, batch.Confirmed{})
	require.NoError(t, err)
	_, err = h.Wait()
	require.NoError(t, err)
	assert.Equal(t, 45, e.srv.TotalOrders())
}
