package ratelimit

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

type fakeClock struct {
	mu    sync.Mutex
	t     time.Time
	slept []time.Duration
}

func (c *fakeClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

func (c *fakeClock) sleep(ctx context.Context, d time.Duration) error {
	c.mu.Lock()
	c.slept = append(c.slept, d)
	c.t = c.t.Add(d)
	c.mu.Unlock()
	return ctx.Err()
}

func newFake(qps float64, opts ...Option) (*Limiter, *fakeClock) {
	c := &fakeClock{t: time.Unix(1_700_000_000, 0)}
	return New(qps, append([]Option{WithClock(c.now, c.sleep)}, opts...)...), c
}

func TestLimiter_AIMD(t *testing.T) {
	l, c := newFake(40)
	assert.Equal(t, 40.0, l.Rate())

	l.SlowDown(0)
	assert.Equal(t, 20.0, l.Rate(), "multiplicative decrease")
	l.SlowDown(0)
	assert.Equal(t, 20.0, l.Rate(), "a second signal within a second counts once")

	c.advance(1100 * time.Millisecond)
	l.SlowDown(0)
	assert.Equal(t, 10.0, l.Rate())

	// Recovery: +ceiling/20 per second of successes, never above the ceiling.
	l.Success()
	assert.Equal(t, 10.0, l.Rate(), "no increase right after a decrease")
	for i := 0; i < 40; i++ {
		c.advance(time.Second)
		l.Success()
		require.LessOrEqual(t, l.Rate(), 40.0)
	}
	assert.Equal(t, 40.0, l.Rate())
	assert.EqualValues(t, 3, l.SlowDowns())
}

func TestLimiter_Floor(t *testing.T) {
	l, c := newFake(1, WithFloor(0.5))
	for i := 0; i < 10; i++ {
		c.advance(2 * time.Second)
		l.SlowDown(0)
	}
	assert.Equal(t, 0.5, l.Rate())
}

func TestLimiter_RetryAfterPausesEveryone(t *testing.T) {
	l, c := newFake(0)
	l.SlowDown(3 * time.Second)
	require.NoError(t, l.Wait(context.Background()))
	c.mu.Lock()
	defer c.mu.Unlock()
	require.Len(t, c.slept, 1)
	assert.Equal(t, 3*time.Second, c.slept[0])
}

func TestLimiter_UnlimitedSlowsDownFromObservedRate(t *testing.T) {
	l, c := newFake(0)
	for i := 0; i < 100; i++ {
		require.NoError(t, l.Wait(context.Background()))
	}
	c.advance(time.Second)
	l.SlowDown(0)
	assert.InDelta(t, 50.0, l.Rate(), 0.01, "half of the 100 requests sent in the last second")
	// Recovery eventually lifts the ceiling altogether.
	for i := 0; i < 100 && l.Rate() != 0; i++ {
		c.advance(time.Second)
		l.Success()
	}
	assert.Equal(t, 0.0, l.Rate(), "back to unlimited")
}

func TestLimiter_WaitHonoursContext(t *testing.T) {
	l := New(0.001)
	require.NoError(t, l.Wait(context.Background())) // the burst token
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	assert.ErrorIs(t, l.Wait(ctx), context.Canceled)
}

// TestLimiter_Spacing checks the real clock: at 50 req/s, 26 requests take
// about half a second (the first is the burst). Bounds are generous.
func TestLimiter_Spacing(t *testing.T) {
	l := New(50)
	start := time.Now()
	var wg sync.WaitGroup
	for i := 0; i < 4; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := 0; j < 6; j++ {
				assert.NoError(t, l.Wait(context.Background()))
			}
		}()
	}
	wg.Wait()
	require.NoError(t, l.Wait(context.Background()))
	require.NoError(t, l.Wait(context.Background()))
	elapsed := time.Since(start)
	assert.GreaterOrEqual(t, elapsed, 450*time.Millisecond, "never faster than the ceiling")
}
