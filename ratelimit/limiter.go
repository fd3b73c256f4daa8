package ratelimit

import (
	"container/list"
	"context"
	"math"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// Limiter spaces the API requests of one process. It is safe for concurrent
// use. The zero value is not usable; call New.
//
// The configured ceiling is never exceeded. On a slow-down signal (API code
// 120, HTTP 429 or 503) the rate is halved, at most once per second so that a
// burst of throttled answers from requests already in flight counts as one
// signal; after each second without a slow-down it grows again by a twentieth
// of the ceiling (additive increase). A Retry-After pauses every caller until
// it has passed.
//
// Callers wait in one of two lanes (see Lane): orders before polls.
type Limiter struct {
	mu          sync.Mutex
	lim         *rate.Limiter // nil while unlimited
	lastTake    time.Time     // the bucket time of the last slot lim granted (see take)
	ceiling     float64       // configured requests per second; 0 = unlimited
	cur         float64       // current rate; 0 = unlimited
	floor       float64
	burst       int
	pausedUntil time.Time
	lastDown    time.Time
	lastUp      time.Time
	window      rateWindow
	recent      recentWindow
	slowDowns   int64
	queue       [Order + 1]list.List // *waiter per lane, first come first
	now         func() time.Time
	sleep       func(ctx context.Context, d time.Duration) error
	onGrant     func(now time.Time, lane Lane) // test hook, called with mu held
}

// Option configures a Limiter.
type Option func(*Limiter)

// WithBurst sets how many requests may go out at once after an idle period
// (default 1: even spacing).
func WithBurst(n int) Option {
	return func(l *Limiter) {
		if n > 0 {
			l.burst = n
		}
	}
}

// WithFloor sets the lowest rate a slow-down can push the limiter to
// (default 0.2 requests per second).
func WithFloor(qps float64) Option {
	return func(l *Limiter) {
		if qps > 0 {
			l.floor = qps
		}
	}
}

// WithClock replaces time.Now and the pause timer, for tests.
func WithClock(now func() time.Time, sleep func(ctx context.Context, d time.Duration) error) Option {
	return func(l *Limiter) {
		l.now = now
		l.sleep = sleep
	}
}

// New returns a limiter allowing at most qps requests per second; qps 0 means
// no ceiling (the limiter still slows down when the server asks it to).
func New(qps float64, opts ...Option) *Limiter {
	l := &Limiter{
		ceiling: math.Max(qps, 0),
		burst:   1,
		floor:   0.2,
		now:     time.Now,
		sleep:   Sleep,
	}
	for _, o := range opts {
		o(l)
	}
	l.cur = l.ceiling
	if l.cur > 0 {
		l.lim = rate.NewLimiter(rate.Limit(l.cur), l.burst)
	}
	return l
}

// SlowDown tells the limiter the server asked for fewer requests. retryAfter,
// when positive, pauses every caller for that long.
func (l *Limiter) SlowDown(retryAfter time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	l.slowDowns++
	if retryAfter > 0 {
		if until := now.Add(retryAfter); until.After(l.pausedUntil) {
			l.pausedUntil = until
			l.wakeHead()
		}
	}
	l.lastUp = now
	if now.Sub(l.lastDown) < time.Second {
		return
	}
	l.lastDown = now
	base := l.cur
	if base == 0 { // unlimited: start from what was actually sent
		base = math.Max(l.window.rate(now), 2*l.floor)
	}
	l.setRate(math.Max(base/2, l.floor))
}

// Success tells the limiter a request was answered without a slow-down
// signal; it lets the rate recover towards the ceiling.
func (l *Limiter) Success() {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.cur == l.ceiling {
		return
	}
	now := l.now()
	if now.Sub(l.lastUp) < time.Second || now.Sub(l.lastDown) < time.Second {
		return
	}
	l.lastUp = now
	step := l.ceiling / 20
	if l.ceiling == 0 {
		step = math.Max(l.cur/10, 1)
	}
	next := l.cur + math.Max(step, 0.5)
	if l.ceiling > 0 && next >= l.ceiling {
		next = l.ceiling
	}
	if l.ceiling == 0 && next > 4*l.window.peak {
		next = 0 // recovered well past what was ever sent: unlimited again
	}
	l.setRate(next)
}

// setRate must be called with l.mu held.
func (l *Limiter) setRate(r float64) {
	defer l.wakeHead() // the head's wait was computed at the old rate
	l.cur = r
	if r == 0 {
		l.lim = nil
		return
	}
	if l.lim == nil {
		l.lim = rate.NewLimiter(rate.Limit(r), l.burst)
		return
	}
	l.lim.SetLimitAt(l.now(), rate.Limit(r))
}

// Rate returns the current rate in requests per second (0 = unlimited).
func (l *Limiter) Rate() float64 {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.cur
}

// SlowDowns returns how many slow-down signals the limiter has received.
func (l *Limiter) SlowDowns() int64 {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.slowDowns
}

// Sleep waits d or until ctx is done, whichever comes first, and returns
// ctx's error in the second case.
func Sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
