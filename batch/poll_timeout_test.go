package batch_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/qccbatch/qccbatch/batch"
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
