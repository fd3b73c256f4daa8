package batch_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/qccbatch/qccbatch/batch"
	"github.com/qccbatch/qccbatch/client"
	"github.com/qccbatch/qccbatch/client/qcctest"
	"github.com/qccbatch/qccbatch/ratelimit"
)

// TestRun_StarvedPollIsMade: orders go first at the limiter, so while a
// book is ordered at --qps the polls of its first orders wait for their
// turn. An order whose --timeout passes while its poll waits is still
// polled, once, when the turn comes: it must not end pending without a
// single poll (CI saw that in TestPollSchedule_Invariants on a loaded
// machine, and a million-row book at --qps 20 orders for longer than the
// default --timeout).
func TestRun_StarvedPollIsMade(t *testing.T) {
	const n = 24
	e := newEnv(t, companyNames(n))
	e.cfg.PollInterval = 20 * time.Millisecond
	e.cfg.PollMax = 50 * time.Millisecond
	e.cfg.Timeout = 300 * time.Millisecond
	// 24 orders at 20/s take ~1.15 s: the first orders' polls come due
	// within 20 ms and wait at the limiter past their 300 ms deadline.
	e.cfg.Limiter = ratelimit.New(20)
	_, err := batch.Run(context.Background(), e.client("sandbox", "sandbox"), e.cfg)
	require.NoError(t, err, "every report was ready at its first poll")
	for _, row := range e.results() {
		assert.Equal(t, "ready", row["outcome"], "%s: %s", row["search_key"], row["message"])
	}
	assert.Equal(t, n, e.srv.TotalOrders())
}

// slowPollAPI answers no poll: each GetReportInfo hangs until its context
// ends, as a 1-byte-per-second body would.
type slowPollAPI struct{ batch.API }

func (a *slowPollAPI) GetReportInfo(ctx context.Context, orderNo string) (client.ReportInfo, error) {
	<-ctx.Done()
	return client.ReportInfo{}, &client.TransportError{Op: "GetReportInfo", MaybeSent: true, Err: ctx.Err()}
}

// TestRun_TimeoutBoundsEachPollRequest: a poll request that never answers
// ends with --timeout (issue 12 item 4: each request's deadline is bounded
// by the time left), and the row says the polls got no usable answer.
func TestRun_TimeoutBoundsEachPollRequest(t *testing.T) {
	e := newEnv(t, companyNames(3), qcctest.WithGenDelay(time.Hour))
	e.cfg.Timeout = time.Second
	e.cfg.PollInterval = 100 * time.Millisecond
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second) // a regression fails, never hangs
	defer cancel()
	start := time.Now()
	_, err := e.run(ctx, &slowPollAPI{API: e.client("sandbox", "sandbox")})
	elapsed := time.Since(start)
	var se *batch.StopError
	require.ErrorAs(t, err, &se)
	assert.Equal(t, batch.StopIncomplete, se.Stop)
	assert.Less(t, elapsed, 8*time.Second, "each poll request ends with --timeout, not the client's own timeout")
	for _, r := range e.results() {
		assert.Equal(t, "pending", r["outcome"])
		assert.Contains(t, r["message"], "no usable poll answer within 1s")
	}
}
