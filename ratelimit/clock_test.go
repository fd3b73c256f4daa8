package ratelimit

import (
	"context"
	"sync"
	"time"
)

// manualClock is a clock that moves only when a test advances it: a sleep
// blocks until the clock has passed its end or its context is done.
type manualClock struct {
	mu     sync.Mutex
	t      time.Time
	timers map[*manualTimer]struct{}
	seq    int // sleeps begun so far
}

type manualTimer struct {
	at  time.Time
	who any // the whoKey value of the sleeper's context
	seq int // 1 for the first sleep of the clock, and so on
	ch  chan struct{}
}

// whoKey names the caller in a test context, so the clock can say who sleeps.
type whoKey struct{}

func newManualClock() *manualClock {
	return &manualClock{t: time.Unix(1_700_000_000, 0), timers: map[*manualTimer]struct{}{}}
}

func (c *manualClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *manualClock) sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	c.mu.Lock()
	c.seq++
	tm := &manualTimer{at: c.t.Add(d), who: ctx.Value(whoKey{}), seq: c.seq, ch: make(chan struct{})}
	c.timers[tm] = struct{}{}
	c.mu.Unlock()
	select {
	case <-tm.ch:
		return nil
	case <-ctx.Done():
		c.mu.Lock()
		delete(c.timers, tm)
		c.mu.Unlock()
		return ctx.Err()
	}
}

// advance moves the clock on by d and ends the sleeps that are over.
func (c *manualClock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
	for tm := range c.timers {
		if !tm.at.After(c.t) {
			close(tm.ch)
			delete(c.timers, tm)
		}
	}
}

// mark returns how many sleeps have begun, for asleepUntil.
func (c *manualClock) mark() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.seq
}

// asleepUntil says whether who is in a sleep begun after mark, and until
// when. A test that advances the clock first waits for the sleep it means
// to end: a sleep computed before an advance but begun after it would
// otherwise be measured from the new time (as a real timer started late
// would, by a few microseconds), and a sleep begun before the test's last
// action may be about to be cut short.
func (c *manualClock) asleepUntil(who string, mark int) (time.Time, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for tm := range c.timers {
		if tm.who == who && tm.seq > mark {
			return tm.at, true
		}
	}
	return time.Time{}, false
}
