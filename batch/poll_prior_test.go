package batch_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/qccbatch/qccbatch/batch/journal"
)

// TestPollSchedule_HistoryForTheNextRun (issue 22): a run leaves in the
// state file, for every order it saw finish, its order time, the last
// poll that found it pending and the poll that found it ready: the prior
// of the next run's schedule. They match what the API saw.
func TestPollSchedule_HistoryForTheNextRun(t *testing.T) {
	const n = 60
	r := runSched(t, n, 0, 200)
	j, err := journal.Open(r.cfg.State, journal.Options{})
	require.NoError(t, err)
	h := j.PollHistory()
	require.NoError(t, j.Close())
	require.Len(t, h, n, "one record per order seen finished")

	a := r.api
	a.mu.Lock()
	defer a.mu.Unlock()
	firstReady := 0
	for _, p := range h {
		assert.False(t, p.Pending.Before(p.Ordered), "%+v", p)
		assert.True(t, p.Done.After(p.Pending), "%+v", p)
		// The run's clock and the state file's read the order time a
		// moment apart.
		if p.Pending.Sub(p.Ordered) < 20*time.Millisecond {
			firstReady++
		}
	}
	// What the API saw: orders whose first poll found S.
	apiFirst := 0
	for _, o := range a.orders {
		if len(o.polls) == 1 {
			apiFirst++
		}
	}
	assert.Equal(t, apiFirst, firstReady, "orders ready at their first poll")
}
