package batch

import (
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestWorkers: every function runs, never more than n at once, and Wait
// returns after the last.
func TestWorkers(t *testing.T) {
	const n, jobs = 3, 200
	w := startWorkers(n)
	var running, most, done atomic.Int32
	release := make(chan struct{})
	for i := range jobs {
		w.Go(func() {
			cur := running.Add(1)
			for {
				m := most.Load()
				if cur <= m || most.CompareAndSwap(m, cur) {
					break
				}
			}
			if i < n { // the first n block until all n are running
				<-release
			}
			running.Add(-1)
			done.Add(1)
		})
		if i == n-1 {
			close(release)
		}
	}
	w.Wait()
	require.Equal(t, int32(jobs), done.Load())
	require.LessOrEqual(t, most.Load(), int32(n))
}
