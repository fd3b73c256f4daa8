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
	"github.com/qccbatch/qccbatch/client/qcctest"
)

// TestEngine_ReorderFailedWithinConfirmed: --reorder-failed re-orders an
// earlier run's order that a poll finds failed. Those re-orders came on
// top of the plan: a person who confirmed "place 105 orders?" got 105 and
// one more per failed pending report (10 here). A run now places no more
// new orders than the person confirmed, nor more than ConfirmAbove when
// nothing was asked; the rest stay failed, the run is incomplete (exit 4),
// and the next run plans them and asks. Confirmed{All: true} (nobody to
// ask: a scheduled run) re-orders them all, as before.
func TestEngine_ReorderFailedWithinConfirmed(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), engineDeadline)
	defer cancel()
	failing := make([]string, 10)
	for i := range failing {
		failing[i] = fmt.Sprintf("失败测试科技有限公司%04d", i+1)
	}
	for _, tc := range []struct {
		name      string
		newOnes   int  // companies new to the second run
		all       bool // Confirmed{All: true}
		reordered int  // re-orders the second run may place
	}{
		{"a plan of 105 confirmed: none past it", 105, false, 0},
		{"a plan of 94, nothing asked: up to 100 in all", 94, false, 6},
		{"nobody to ask: all", 105, true, 10},
	} {
		t.Run(tc.name, func(t *testing.T) {
			clock := qcctest.NewClock(time.Now())
			e := newEnv(t, failing, qcctest.WithClock(clock.Now), qcctest.WithGenDelay(time.Hour))
			e.cfg.Timeout = 20 * time.Millisecond // run 1 leaves every order pending
			_, err := e.run(ctx, nil)
			var se *batch.StopError
			require.ErrorAs(t, err, &se)
			require.Equal(t, len(failing), e.srv.TotalOrders())

			var b strings.Builder // run 2: the same companies and new ones
			b.WriteString("客户编号,企业名称\r\n")
			for i, n := range append(append([]string(nil), failing...), companyNames(tc.newOnes)...) {
				fmt.Fprintf(&b, "C%04d,%s\r\n", i+1, n)
			}
			require.NoError(t, os.WriteFile(e.cfg.Input, []byte(b.String()), 0o600))
			clock.Advance(2 * time.Hour) // every earlier report has failed (F)
			e.cfg.Timeout = time.Second  // a re-order stays P until then
			e.cfg.ReorderFailed = true
			plan, err := batch.PlanRun(e.cfg)
			require.NoError(t, err)
			require.Equal(t, tc.newOnes, plan.ToOrder)
			require.Equal(t, len(failing), plan.ToPoll)
			ok := plan.Confirmation()
			if tc.all {
				ok = batch.Confirmed{All: true}
			}
			h, err := batch.Start(ctx, e.client("sandbox", "sandbox"), e.cfg, ok)
			require.NoError(t, err)
			_, err = h.Wait()
			require.ErrorAs(t, err, &se)
			assert.Equal(t, batch.StopIncomplete, se.Stop, "re-orders left pending, or left for the next run")

			assert.Equal(t, len(failing)+tc.newOnes+tc.reordered, e.srv.TotalOrders(),
				"new orders: %d planned, %d re-orders allowed", tc.newOnes, tc.reordered)
			left := 0
			for _, row := range e.results() {
				if row["outcome"] == "failed" {
					left++
					assert.Contains(t, row["message"], "not re-ordered in this run", "%v", row)
				}
			}
			assert.Equal(t, len(failing)-tc.reordered, left, "failed rows left for the next run")
		})
	}
}
