package ratelimit

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// deadline bounds every wait of these tests.
const deadline = 5 * time.Second

type grant struct {
	at            time.Time
	lane          Lane
	ordersWaiting int // orders queued when the slot was given, the granted one included
}

// recordGrants makes l log every slot it gives out.
func recordGrants(l *Limiter) func() []grant {
	var mu sync.Mutex
	var log []grant
	l.onGrant = func(now time.Time, lane Lane) { // called with l.mu held
		mu.Lock()
		defer mu.Unlock()
		log = append(log, grant{at: now, lane: lane, ordersWaiting: l.queue[Order].Len()})
	}
	return func() []grant {
		mu.Lock()
		defer mu.Unlock()
		return append([]grant(nil), log...)
	}
}

// names is the order in which waiters got their slot.
type names struct {
	mu  sync.Mutex
	got []string
}

func (n *names) add(s string) {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.got = append(n.got, s)
}

func (n *names) list() []string {
	n.mu.Lock()
	defer n.mu.Unlock()
	return append([]string(nil), n.got...)
}

func laneOf(name string) Lane {
	if name[0] == 'o' {
		return Order
	}
	return Poll
}

// enqueue starts a caller named name ("o…" an order, "p…" a poll) and
// returns once it waits in its lane.
func enqueue(t *testing.T, ctx context.Context, l *Limiter, name string, got *names, errs chan<- error) {
	t.Helper()
	lane := laneOf(name)
	before := l.Waiting(lane)
	ctx = context.WithValue(ctx, whoKey{}, name)
	go func() {
		err := l.WaitLane(ctx, lane)
		if err == nil {
			got.add(name)
		}
		errs <- err
	}()
	require.Eventually(t, func() bool { return l.Waiting(lane) == before+1 }, deadline, time.Millisecond, "%s never queued", name)
}

func TestLimiter_OrdersFirst(t *testing.T) {
	tests := []struct {
		name string
		// arrive[k] are the callers that arrive before the k-th slot.
		arrive [][]string
		want   []string
	}{
		{
			name:   "orders overtake waiting polls",
			arrive: [][]string{{"p1", "p2", "p3", "o1", "o2"}},
			want:   []string{"o1", "o2", "p1", "p2", "p3"},
		},
		{
			name:   "interleaved arrivals",
			arrive: [][]string{{"p1", "o1", "p2", "o2", "p3", "o3"}},
			want:   []string{"o1", "o2", "o3", "p1", "p2", "p3"},
		},
		{
			name:   "an order arriving later takes the next slot",
			arrive: [][]string{{"p1", "p2", "p3"}, {"o1"}, {}, {"o2"}},
			want:   []string{"p1", "o1", "p2", "o2", "p3"},
		},
		{
			name:   "polls alone: first come, first served, at the full rate",
			arrive: [][]string{{"p1", "p2", "p3", "p4"}},
			want:   []string{"p1", "p2", "p3", "p4"},
		},
		{
			name:   "orders alone: first come, first served",
			arrive: [][]string{{"o1", "o2", "o3"}},
			want:   []string{"o1", "o2", "o3"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := newManualClock()
			l := New(10, WithClock(c.now, c.sleep)) // a slot every 100 ms
			grants := recordGrants(l)
			ctx, cancel := context.WithTimeout(context.Background(), deadline)
			defer cancel()
			require.NoError(t, l.Wait(ctx), "the burst slot")
			start := c.now()

			got := &names{}
			errs := make(chan error, len(tc.want))
			mark := 0
			for k := range tc.want {
				if k < len(tc.arrive) {
					for _, name := range tc.arrive[k] {
						enqueue(t, ctx, l, name, got, errs)
					}
				}
				asleepUntil(t, c, tc.want[k], mark, c.now().Add(100*time.Millisecond))
				mark = c.mark()
				c.advance(100 * time.Millisecond)
				require.Eventually(t, func() bool { return len(got.list()) == k+1 }, deadline, time.Millisecond, "slot %d", k+1)
			}
			for range tc.want {
				require.NoError(t, <-errs)
			}
			assert.Equal(t, tc.want, got.list())
			assert.Zero(t, l.Waiting(Order)+l.Waiting(Poll))

			// One slot per 100 ms, each exactly when it became free.
			g := grants()
			require.Len(t, g, len(tc.want)+1)
			for i, gr := range g {
				assert.Equal(t, start.Add(time.Duration(i)*100*time.Millisecond), gr.at, "slot %d", i)
			}
		})
	}
}

// asleepUntil waits until caller who sleeps until at, the head's wait for
// the next slot, in a sleep begun after mark.
func asleepUntil(t *testing.T, c *manualClock, who string, mark int, at time.Time) {
	t.Helper()
	require.Eventually(t, func() bool {
		got, ok := c.asleepUntil(who, mark)
		return ok && got.Equal(at)
	}, deadline, time.Millisecond, "%s never waited for %v", who, at)
}

// TestLimiter_LanesUnderContention runs orders and polls from many
// goroutines on the real clock and checks every slot the limiter gave: no
// poll while an order waited, never more than the token bucket allows.
func TestLimiter_LanesUnderContention(t *testing.T) {
	tests := []struct {
		qps   float64
		burst int
	}{
		{qps: 200, burst: 1},
		{qps: 300, burst: 4},
	}
	for _, tc := range tests {
		t.Run(fmt.Sprintf("qps=%v burst=%d", tc.qps, tc.burst), func(t *testing.T) {
			l := New(tc.qps, WithBurst(tc.burst))
			grants := recordGrants(l)
			ctx, cancel := context.WithTimeout(context.Background(), deadline)
			defer cancel()

			const perWorker = 8
			var wg sync.WaitGroup
			for w := 0; w < 16; w++ {
				lane := Lane(w % 2)
				wg.Add(1)
				go func() {
					defer wg.Done()
					for range perWorker {
						if !assert.NoError(t, l.WaitLane(ctx, lane)) {
							return
						}
						if w == 3 {
							l.Success() // exercise the lock paths that touch the rate
						}
					}
				}()
			}
			wg.Wait()

			g := grants()
			require.Len(t, g, 16*perWorker)
			for i, gr := range g {
				if gr.lane == Poll {
					assert.Zero(t, gr.ordersWaiting, "slot %d went to a poll while an order waited", i)
				}
			}
			// Token bucket: any n consecutive slots span at least
			// (n-burst)/qps, less the credit a late wake-up gets back.
			credit := maxLateCredit.Seconds()
			for i := range g {
				for j := i + tc.burst; j < len(g); j++ {
					span := g[j].at.Sub(g[i].at).Seconds()
					n := float64(j - i + 1)
					require.LessOrEqual(t, n, float64(tc.burst)+(span+credit)*tc.qps+1e-6,
						"slots %d..%d: %v in %.4fs", i, j, n, span)
				}
			}
			assert.Equal(t, int64(len(g)), l.Granted())
		})
	}
}

func TestLimiter_WaitLaneCancel(t *testing.T) {
	tests := []struct {
		name    string
		arrive  []string
		cancel  string   // the caller whose context ends
		want    []string // who gets the next slots, in order
		pauseMs int      // a Retry-After in force when the caller cancels
	}{
		{name: "the head order leaves, the poll behind it is served", arrive: []string{"o1", "p1"}, cancel: "o1", want: []string{"p1"}},
		{name: "a queued poll leaves", arrive: []string{"p1", "p2", "o1"}, cancel: "p1", want: []string{"o1", "p2"}},
		{name: "an order behind another leaves", arrive: []string{"o1", "o2", "p1"}, cancel: "o2", want: []string{"o1", "p1"}},
		{name: "the head leaves during a pause", arrive: []string{"p1", "p2"}, cancel: "p1", want: []string{"p2"}, pauseMs: 1000},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := newManualClock()
			l := New(10, WithClock(c.now, c.sleep))
			ctx, cancel := context.WithTimeout(context.Background(), deadline)
			defer cancel()
			require.NoError(t, l.Wait(ctx))

			got := &names{}
			errs := make(chan error, len(tc.arrive))
			var cancelled chan error
			var stop context.CancelFunc
			for _, name := range tc.arrive {
				if name == tc.cancel {
					var cctx context.Context
					cctx, stop = context.WithCancel(ctx)
					cancelled = make(chan error, 1)
					enqueue(t, cctx, l, name, got, cancelled)
					continue
				}
				enqueue(t, ctx, l, name, got, errs)
			}
			if tc.pauseMs > 0 {
				l.SlowDown(time.Duration(tc.pauseMs) * time.Millisecond)
			}
			mark := c.mark()
			stop()
			select {
			case err := <-cancelled:
				require.ErrorIs(t, err, context.Canceled)
			case <-time.After(deadline):
				require.FailNow(t, "a cancelled wait did not return")
			}
			assert.Equal(t, len(tc.arrive)-1, l.Waiting(Order)+l.Waiting(Poll), "the cancelled caller left its queue")

			step := 100 * time.Millisecond
			if tc.pauseMs > 0 {
				step = time.Duration(tc.pauseMs) * time.Millisecond
			}
			for k := range tc.want {
				wait := 100 * time.Millisecond
				if k == 0 && tc.pauseMs > 0 {
					wait = step
				}
				asleepUntil(t, c, tc.want[k], mark, c.now().Add(wait))
				mark = c.mark()
				c.advance(step)
				require.Eventually(t, func() bool { return len(got.list()) == k+1 }, deadline, time.Millisecond, "slot %d", k+1)
			}
			for range tc.want {
				require.NoError(t, <-errs)
			}
			assert.Equal(t, tc.want, got.list())
			assert.Equal(t, int64(1+len(tc.want)), l.Granted(), "no slot taken by the cancelled caller")
		})
	}
}

func TestLimiter_WaitLaneDoneContext(t *testing.T) {
	l := New(1)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	for _, lane := range []Lane{Order, Poll} {
		assert.ErrorIs(t, l.WaitLane(ctx, lane), context.Canceled, lane.String())
	}
	assert.Zero(t, l.Granted(), "a done context takes no slot")

	require.NoError(t, l.WaitLane(context.Background(), Order)) // the burst slot
	ctx, cancel = context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	assert.ErrorIs(t, l.WaitLane(ctx, Order), context.DeadlineExceeded, "the next slot is a second away")
	assert.Zero(t, l.Waiting(Order))
}

// TestLimiter_RetryAfterWakesHead: a Retry-After given while the head sleeps
// until its slot holds it (and everyone behind it) until the pause ends.
func TestLimiter_RetryAfterWakesHead(t *testing.T) {
	c := newManualClock()
	l := New(10, WithClock(c.now, c.sleep))
	ctx, cancel := context.WithTimeout(context.Background(), deadline)
	defer cancel()
	require.NoError(t, l.Wait(ctx))
	got := &names{}
	errs := make(chan error, 2)
	enqueue(t, ctx, l, "o1", got, errs)
	enqueue(t, ctx, l, "p1", got, errs)
	t0 := c.now()
	asleepUntil(t, c, "o1", 0, t0.Add(100*time.Millisecond))

	mark := c.mark()
	l.SlowDown(2 * time.Second)
	asleepUntil(t, c, "o1", mark, t0.Add(2*time.Second))
	mark = c.mark()
	c.advance(time.Second)
	assert.Empty(t, got.list(), "paused")
	c.advance(time.Second)
	require.Eventually(t, func() bool { return len(got.list()) == 1 }, deadline, time.Millisecond)
	asleepUntil(t, c, "p1", mark, t0.Add(2200*time.Millisecond)) // the halved rate: a slot every 200 ms
	c.advance(200 * time.Millisecond)
	require.Eventually(t, func() bool { return len(got.list()) == 2 }, deadline, time.Millisecond)
	assert.Equal(t, []string{"o1", "p1"}, got.list())
	require.NoError(t, <-errs)
	require.NoError(t, <-errs)
}

func TestLimiter_RecentRate(t *testing.T) {
	tests := []struct {
		name  string
		perS  []int // grants in each successive second
		after time.Duration
		want  float64
	}{
		{name: "nothing sent", want: 0},
		{name: "within the first second", perS: []int{30}, after: 0, want: 0},
		{name: "one whole second", perS: []int{30}, after: time.Second, want: 30},
		{name: "three seconds", perS: []int{10, 20, 30}, after: time.Second, want: 20},
		{name: "the last ten seconds only", perS: []int{100, 100, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5}, after: time.Second, want: 5},
		{name: "idle since", perS: []int{50, 50}, after: 30 * time.Second, want: 0},
		{name: "partly idle", perS: []int{50, 50, 50, 50, 50}, after: 6 * time.Second, want: 25},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			l, c := newFake(0)
			for _, n := range tc.perS {
				for range n {
					require.NoError(t, l.Wait(context.Background()))
				}
				c.advance(time.Second)
			}
			if len(tc.perS) > 0 {
				c.advance(tc.after - time.Second)
			}
			assert.InDelta(t, tc.want, l.RecentRate(), 1e-9)
			total := 0
			for _, n := range tc.perS {
				total += n
			}
			assert.Equal(t, int64(total), l.Granted())
		})
	}
}

func TestLane_String(t *testing.T) {
	assert.Equal(t, "order", Order.String())
	assert.Equal(t, "poll", Poll.String())
}

// TestLimiter_LateWakeUpIsNotLost: a caller whose timer wakes it late is
// served as of the time its slot came due, so the next slot comes at the
// rate's spacing from then, not from the late wake-up (a millisecond lost per
// slot was 2.4 % of the budget at --qps 40); the credit is capped.
func TestLimiter_LateWakeUpIsNotLost(t *testing.T) {
	c := newManualClock()
	l := New(10, WithClock(c.now, c.sleep)) // a slot every 100 ms
	grants := recordGrants(l)
	ctx, cancel := context.WithTimeout(context.Background(), deadline)
	defer cancel()
	require.NoError(t, l.Wait(ctx), "the burst slot")
	t0 := c.now()

	got := &names{}
	errs := make(chan error, 3)
	for _, name := range []string{"p1", "p2", "p3"} {
		enqueue(t, ctx, l, name, got, errs)
	}
	asleepUntil(t, c, "p1", 0, t0.Add(100*time.Millisecond))
	mark := c.mark()
	c.advance(101 * time.Millisecond) // the timer fires 1 ms late
	require.Eventually(t, func() bool { return len(got.list()) == 1 }, deadline, time.Millisecond)
	asleepUntil(t, c, "p2", mark, t0.Add(200*time.Millisecond)) // not 201 ms

	mark = c.mark()
	c.advance(149 * time.Millisecond) // now t0+250 ms: 50 ms late, 2 ms credited
	require.Eventually(t, func() bool { return len(got.list()) == 2 }, deadline, time.Millisecond)
	asleepUntil(t, c, "p3", mark, t0.Add(250*time.Millisecond-maxLateCredit+100*time.Millisecond))
	c.advance(98 * time.Millisecond)
	require.Eventually(t, func() bool { return len(got.list()) == 3 }, deadline, time.Millisecond)
	for range 3 {
		require.NoError(t, <-errs)
	}
	assert.Len(t, grants(), 4)
}
