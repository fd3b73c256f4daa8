package batch

import (
	"context"
	"math/rand/v2"
	"time"

	"github.com/qccbatch/qccbatch/ratelimit"
)

// Backoff is the retry policy for transient and slow-down answers: capped
// exponential backoff with full jitter, never shorter than a Retry-After.
type Backoff struct {
	Base     time.Duration // first delay [500ms]
	Max      time.Duration // cap [30s]
	Attempts int           // tries per request before giving up [8]
	// Sleep waits d or until ctx is done; tests replace it to run with no delay.
	Sleep func(ctx context.Context, d time.Duration) error
}

func (b Backoff) withDefaults() Backoff {
	if b.Base <= 0 {
		b.Base = 500 * time.Millisecond
	}
	if b.Max <= 0 {
		b.Max = 30 * time.Second
	}
	if b.Attempts <= 0 {
		b.Attempts = 8
	}
	if b.Sleep == nil {
		b.Sleep = ratelimit.Sleep
	}
	return b
}

// Delay returns how long to wait before retry number attempt (1-based).
func (b Backoff) Delay(attempt int, retryAfter time.Duration) time.Duration {
	d := b.Base << min(attempt-1, 20)
	if d > b.Max || d <= 0 {
		d = b.Max
	}
	d = d/2 + rand.N(d/2+1) // jitter in [d/2, d]
	return max(d, retryAfter)
}

// Wait sleeps before retry number attempt; it refuses a cancelled context.
func (b Backoff) Wait(ctx context.Context, attempt int, retryAfter time.Duration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	return b.Sleep(ctx, b.Delay(attempt, retryAfter))
}
