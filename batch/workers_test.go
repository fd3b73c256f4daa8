package batch

import (
	"context"
	"errors"
	"runtime"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestPool: every job runs, never more than n at once, on n goroutines that
// live for the whole pool (not one per job), and Wait returns after the
// last. A job that returns nil (a row's failure) stops nothing.
func TestPool(t *testing.T) {
	const n, jobs = 3, 200
	before := runtime.NumGoroutine()
	var running, most, done atomic.Int32
	goroutines := make(chan int, jobs)
	release := make(chan struct{})
	p := startPool(context.Background(), n, func(i int) error {
		cur := running.Add(1)
		for {
			m := most.Load()
			if cur <= m || most.CompareAndSwap(m, cur) {
				break
			}
		}
		goroutines <- runtime.NumGoroutine()
		if i < n { // the first n block until all n are running
			<-release
		}
		running.Add(-1)
		done.Add(1)
		return nil // a failed row is recorded elsewhere: never an error here
	})
	for i := range jobs {
		require.True(t, p.send(i))
		if i == n-1 {
			close(release)
		}
	}
	require.NoError(t, p.Wait())
	close(goroutines)
	require.Equal(t, int32(jobs), done.Load())
	require.LessOrEqual(t, most.Load(), int32(n))
	for g := range goroutines {
		// the test's own goroutines, the n workers and errgroup's context
		// watcher: never one per job
		require.LessOrEqual(t, g, before+n+2)
	}
}

// TestPool_FatalErrorStopsTheProducer: a job's fatal error cancels the
// pool's context, the producer's next send reports false without handing the
// job out, jobs already running finish, and Wait returns the error.
func TestPool_FatalErrorStopsTheProducer(t *testing.T) {
	fatal := errors.New("state file unwritable")
	var ran atomic.Int32
	p := startPool(context.Background(), 2, func(i int) error {
		ran.Add(1)
		if i == 5 {
			return fatal
		}
		return nil
	})
	sent := 0
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	for i := 0; ctx.Err() == nil; i++ {
		if !p.send(i) {
			break
		}
		sent++
	}
	require.NoError(t, ctx.Err(), "the producer never saw the fatal error")
	require.ErrorIs(t, p.Wait(), fatal)
	assert.GreaterOrEqual(t, sent, 6)
	assert.Equal(t, int32(sent), ran.Load(), "every job handed out ran")
	assert.False(t, p.send(99), "nothing is handed out after a fatal error")
}

// TestPool_ParentCancelled: an interrupt (the parent context) stops the
// producer as well, and Wait returns no error: it is not a fatal condition
// of the pool.
func TestPool_ParentCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	block := make(chan struct{})
	p := startPool(ctx, 1, func(int) error { <-block; return nil })
	require.True(t, p.send(1)) // the only worker is busy now
	sent := make(chan bool, 1)
	go func() { sent <- p.send(2) }()
	cancel()
	select {
	case ok := <-sent:
		assert.False(t, ok, "not handed out after the cancel")
	case <-time.After(10 * time.Second):
		t.Error("a producer blocked on a busy pool stayed blocked after the cancel")
	}
	close(block)
	require.NoError(t, p.Wait())
}
