package pollsched_test

import (
	"fmt"
	"math/rand/v2"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/qccbatch/qccbatch/batch/internal/pollsched"
)

var t0 = time.Date(2026, 1, 2, 9, 0, 0, 0, time.UTC)

// observe polls n orders whose generation times come from dist: ordered
// uniformly over orderSpan, polled first at first and then every gap
// (uniform in [gapLo, gapHi]) until found finished or until the snapshot
// time stop, when the pending ones stay censored. It feeds s and returns
// the generation times of the finished orders.
func observe(s *pollsched.Schedule, dist lognormal, seed uint64, n int, orderSpan, first, gapLo, gapHi, stop time.Duration) []time.Duration {
	r := rand.New(rand.NewPCG(seed, 1))
	var finished []time.Duration
	for range n {
		ordered := t0.Add(time.Duration(r.Float64() * float64(orderSpan)))
		gen := dist.sample(r)
		prev := ordered
		poll := ordered.Add(first)
		for poll.Sub(t0) <= stop {
			if poll.Sub(ordered) >= gen {
				s.Done(ordered, prev, poll)
				finished = append(finished, gen)
				break
			}
			s.Pending(ordered, prev, poll)
			prev = poll
			poll = poll.Add(gapLo + time.Duration(r.Float64()*float64(gapHi-gapLo)))
		}
	}
	return finished
}

func TestSchedule_RecoversLognormal(t *testing.T) {
	tests := []struct {
		name                    string
		first, gapLo, gapHi     time.Duration
		orderSpan, stop         time.Duration
		tolerance               float64 // relative, on every quantile
		finishedOnlyBiasedBelow bool    // fitting the finished alone would put the median below the tolerance
		maxP                    float64 // highest quantile checked: past it too few orders are observed [0.9]
	}{
		{name: "jittered polls, mid-run while ordering", first: 10 * time.Second, gapLo: 3 * time.Second, gapHi: 12 * time.Second,
			orderSpan: 120 * time.Second, stop: 120 * time.Second, tolerance: 0.12, finishedOnlyBiasedBelow: true},
		{name: "a fixed 10 s grid, mid-run", first: 10 * time.Second, gapLo: 10 * time.Second, gapHi: 10 * time.Second,
			orderSpan: 120 * time.Second, stop: 120 * time.Second, tolerance: 0.10, finishedOnlyBiasedBelow: true},
		{name: "frequent polls, heavy censoring", first: 2 * time.Second, gapLo: 1 * time.Second, gapHi: 3 * time.Second,
			orderSpan: 60 * time.Second, stop: 60 * time.Second, tolerance: 0.08, finishedOnlyBiasedBelow: true, maxP: 0.75},
		{name: "everything finished", first: 10 * time.Second, gapLo: 3 * time.Second, gapHi: 12 * time.Second,
			orderSpan: 30 * time.Second, stop: time.Hour, tolerance: 0.12},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := pollsched.New(pollsched.Config{})
			finished := observe(s, issue15, 7, 4000, tc.orderSpan, tc.first, tc.gapLo, tc.gapHi, tc.stop)
			st := s.Stats()
			require.Equal(t, len(finished), st.Finished)
			t.Logf("finished %d, pending %d", st.Finished, st.Pending)

			for _, p := range []float64{0.1, 0.25, 0.5, 0.75, 0.9} {
				if tc.maxP > 0 && p > tc.maxP {
					continue
				}
				want := issue15.quantile(p)
				got, ok := s.Quantile(p)
				if want < tc.first {
					// Inside the first poll's interval (0, first] nothing is
					// observed: no estimator can know the shape there, and
					// this one spreads it evenly.
					continue
				}
				require.True(t, ok, "p=%v", p)
				assert.InEpsilon(t, want.Seconds(), got.Seconds(), tc.tolerance, "p=%v: got %v, want %v", p, got, want)
			}

			if tc.finishedOnlyBiasedBelow {
				sort.Slice(finished, func(i, j int) bool { return finished[i] < finished[j] })
				naive := finished[len(finished)/2]
				want := issue15.quantile(0.5)
				assert.Less(t, naive.Seconds(), want.Seconds()*(1-tc.tolerance),
					"the median of the finished alone (%v) is biased low; the censored matter", naive)
			}
		})
	}
}

// TestSchedule_ConditionalQuantile: NextPoll is the time at which the
// report is q likely finished given it was not at the last poll, under the
// estimate exactly and under the truth within a tolerance.
func TestSchedule_ConditionalQuantile(t *testing.T) {

	// Ages where the estimate of the tail past the quantile rests on at
	// least ~50 orders: (1-q)·S(age)·4000 >= 50.
	ages := map[float64][]time.Duration{
		0.5: {0, 5 * time.Second, 10 * time.Second, 20 * time.Second, 40 * time.Second, 70 * time.Second},
		0.9: {0, 5 * time.Second, 10 * time.Second, 20 * time.Second, 40 * time.Second},
	}
	for _, q := range []float64{0.5, 0.9} {
		s := pollsched.New(pollsched.Config{FirstQuantile: q, Quantile: q, MaxGap: time.Hour})
		observe(s, issue15, 11, 4000, 120*time.Second, 10*time.Second, 3*time.Second, 12*time.Second, 200*time.Second)
		require.True(t, s.Stats().Learned)
		for _, age := range ages[q] {
			t.Run(fmt.Sprintf("q=%v age=%v", q, age), func(t *testing.T) {
				ordered := t0
				last := t0.Add(age)
				next := s.NextPoll(ordered, last, time.Time{})
				require.True(t, next.After(last))
				t1 := next.Sub(ordered)

				// Under the estimate: exactly q (S is continuous, piecewise linear).
				cond := 1 - s.Survival(t1)/s.Survival(age)
				assert.InDelta(t, q, cond, 1e-6, "P(T <= %v | T > %v)", t1, age)
				// Just before, not yet.
				assert.Less(t, 1-s.Survival(t1-10*time.Millisecond)/s.Survival(age), q)

				// Under the truth.
				want := issue15.quantileAfter(age, q)
				assert.InEpsilon(t, want.Seconds(), t1.Seconds(), 0.10, "got %v, want %v", t1, want)
			})
		}
	}
}

func TestSchedule_NextPollBounds(t *testing.T) {
	learned := func() *pollsched.Schedule {
		s := pollsched.New(pollsched.Config{})
		// 400 orders each seen finished within 75 ms, spread evenly over
		// (0, 30 s]: S falls from 1 at 0 to 0 at 30 s, with at least 10
		// at risk in every bin.
		for i := range 400 {
			lo := time.Duration(i) * 75 * time.Millisecond
			s.Done(t0, t0.Add(lo), t0.Add(lo+75*time.Millisecond))
		}
		return s
	}
	tests := []struct {
		name     string
		sched    func() *pollsched.Schedule
		q        float64
		age      time.Duration // lastPoll - orderedAt
		deadline time.Duration // after orderedAt; 0 for none
		want     time.Duration // the gap after lastPoll
	}{
		{name: "no data: the fixed interval", sched: func() *pollsched.Schedule { return pollsched.New(pollsched.Config{}) }, want: 10 * time.Second},
		{name: "no data, later polls too", sched: func() *pollsched.Schedule { return pollsched.New(pollsched.Config{Interval: 7 * time.Second}) }, age: 21 * time.Second, want: 7 * time.Second},
		{name: "19 finished are not enough", sched: func() *pollsched.Schedule {
			s := pollsched.New(pollsched.Config{})
			for range 19 {
				s.Done(t0, t0, t0.Add(30*time.Second))
			}
			for range 500 {
				s.Pending(t0, t0, t0.Add(5*time.Second))
			}
			return s
		}, want: 10 * time.Second},
		{name: "learned: the 0.99 quantile", sched: learned, want: 29700 * time.Millisecond},
		{name: "learned: conditional on age", sched: learned, age: 20 * time.Second, want: 9 * time.Second},
		{name: "learned: q 0.5", sched: learned, q: 0.5, age: 20 * time.Second, want: 5 * time.Second},
		{name: "learned: the first poll keeps FirstQuantile", sched: learned, q: 0.5, want: 29700 * time.Millisecond},
		{name: "never less than MinGap", sched: learned, age: 29800 * time.Millisecond, want: time.Second},
		// Past the data the hazard is extrapolated as constant, at its
		// average over the last quarter of the ages before the edge
		// (where fewer than 10 remain, ~29 s): about 0.25/s, so q 0.9 is
		// ln 10 / 0.25 s later.
		{name: "past the data: the constant-hazard tail", sched: learned, age: 40 * time.Second, want: 9197289393},
		{name: "not past the deadline", sched: learned, deadline: 15 * time.Second, want: 15 * time.Second},
		{name: "a deadline already passed", sched: learned, age: 20 * time.Second, deadline: 15 * time.Second, want: -5 * time.Second},
		{name: "MaxGap bounds the fixed interval", sched: func() *pollsched.Schedule {
			return pollsched.New(pollsched.Config{Interval: 2 * time.Minute, MaxGap: 90 * time.Second})
		}, want: 90 * time.Second},
		{name: "a long tail: MaxGap", sched: func() *pollsched.Schedule {
			s := pollsched.New(pollsched.Config{})
			for range 20 {
				s.Done(t0, t0, t0.Add(time.Second))
			}
			for range 200 {
				s.Pending(t0, t0, t0.Add(50*time.Minute)) // S stays above 0.1 · S(age)
			}
			return s
		}, age: 2 * time.Second, want: 120 * time.Second},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := tc.sched()
			if tc.q > 0 {
				s.SetQuantile(tc.q)
			}
			var deadline time.Time
			if tc.deadline > 0 {
				deadline = t0.Add(tc.deadline)
			}
			last := t0.Add(tc.age)
			got := s.NextPoll(t0, last, deadline).Sub(last)
			assert.InDelta(t, float64(tc.want), float64(got), float64(50*time.Millisecond), "got %v, want %v", got, tc.want)
		})
	}
}

func TestSchedule_SetQuantileIgnoresNonsense(t *testing.T) {
	s := pollsched.New(pollsched.Config{})
	for _, q := range []float64{0, 1, -0.5, 2} {
		s.SetQuantile(q)
		assert.Equal(t, pollsched.DefaultQuantile, s.Stats().Quantile)
	}
	s.SetQuantile(0.5)
	assert.Equal(t, 0.5, s.Stats().Quantile)
}

// TestSchedule_Concurrent is for the race detector: polls finish on many
// goroutines at once.
func TestSchedule_Concurrent(t *testing.T) {
	s := pollsched.New(pollsched.Config{MinFinished: 5})
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := rand.New(rand.NewPCG(uint64(g), 2))
			for range 500 {
				ordered := t0.Add(time.Duration(r.IntN(1000)) * time.Millisecond)
				first := s.NextPoll(ordered, ordered, time.Time{})
				s.Pending(ordered, ordered, first)
				second := s.NextPoll(ordered, first, time.Time{})
				assert.True(t, second.After(first))
				s.Done(ordered, first, second)
				_ = s.Survival(10 * time.Second)
			}
		}()
	}
	wg.Wait()
	st := s.Stats()
	assert.Equal(t, 8*500, st.Finished)
	assert.Zero(t, st.Pending)
}

// TestSchedule_NextPollWithinBounds: whatever it has seen, NextPoll never
// polls sooner than MinGap or later than MaxGap after the last poll, nor
// after the deadline; so every pending order is polled again within its
// --timeout, and a report that becomes ready is seen within MaxGap.
func TestSchedule_NextPollWithinBounds(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 5))
	cfg := pollsched.Config{MinGap: 2 * time.Second, MaxGap: 45 * time.Second, MinFinished: 5}
	s := pollsched.New(cfg)
	for i := range 5000 {
		ordered := t0.Add(time.Duration(r.IntN(600)) * time.Second)
		age := time.Duration(r.ExpFloat64() * float64(40*time.Second))
		last := ordered.Add(age)
		switch i % 3 {
		case 0:
			s.Pending(ordered, ordered, last)
		case 1:
			s.Done(ordered, ordered, last)
		}
		if i%500 == 0 {
			s.SetQuantile(0.1 + 0.8*r.Float64())
		}
		var deadline time.Time
		if r.IntN(4) == 0 {
			deadline = last.Add(time.Duration(r.IntN(60)) * time.Second)
		}
		next := s.NextPoll(ordered, last, deadline)
		gap := next.Sub(last)
		if !deadline.IsZero() && deadline.Before(last.Add(cfg.MinGap)) {
			require.Equal(t, deadline, next, "i=%d", i)
			continue
		}
		require.GreaterOrEqual(t, gap, cfg.MinGap, "i=%d", i)
		require.LessOrEqual(t, gap, cfg.MaxGap, "i=%d", i)
		if !deadline.IsZero() {
			require.False(t, next.After(deadline), "i=%d", i)
		}
	}
}

// BenchmarkSchedule is one poll's work: record the answer and ask for the
// next poll, over a run of a million orders.
func BenchmarkSchedule(b *testing.B) {
	s := pollsched.New(pollsched.Config{})
	r := rand.New(rand.NewPCG(1, 1))
	const orders = 1_000_000
	gen := make([]time.Duration, 4096)
	for i := range gen {
		gen[i] = issue15.sample(r)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		ordered := t0.Add(time.Duration(i%orders) * time.Millisecond)
		first := s.NextPoll(ordered, ordered, time.Time{})
		if g := gen[i%len(gen)]; first.Sub(ordered) >= g {
			s.Done(ordered, ordered, first)
			continue
		}
		s.Pending(ordered, ordered, first)
		_ = s.NextPoll(ordered, first, time.Time{})
	}
}

// TestSchedule_FirstPollPastMaxGap: when the orders seen so far show most
// reports take longer than MaxGap, the first poll comes at FirstQuantile of
// them, up to FirstMaxGap (issue 22: a first poll at 120 s of a bimodal
// whose slow reports take 90-180 s found 5 % pending, each a second call),
// but no later than the oldest age observed: where the estimate only
// extrapolates past MaxGap it stays at MaxGap. Every later poll keeps
// within MaxGap.
func TestSchedule_FirstPollPastMaxGap(t *testing.T) {
	slow := func(until time.Duration) *pollsched.Schedule {
		s := pollsched.New(pollsched.Config{})
		// 300 orders finished evenly over (100 s, until]: 1 s each.
		for i := range 300 {
			lo := 100*time.Second + time.Duration(i)*(until-100*time.Second)/300
			s.Done(t0, t0.Add(lo), t0.Add(lo+time.Second))
		}
		return s
	}
	first := func(s *pollsched.Schedule) time.Duration { return s.NextPoll(t0, t0, time.Time{}).Sub(t0) }

	// Observed up to 200 s: q 0.99, a little past it where the tail is
	// extrapolated, comes at 200 s, the oldest age observed.
	s := slow(200 * time.Second)
	assert.Equal(t, 200*time.Second, first(s))
	// A later poll keeps within MaxGap.
	assert.LessOrEqual(t, s.NextPoll(t0, t0.Add(time.Second), time.Time{}).Sub(t0.Add(time.Second)), pollsched.DefaultMaxGap)
	// Up to FirstMaxGap (2.5 × MaxGap) and no further.
	assert.Equal(t, 300*time.Second, first(slow(400*time.Second)))
	s = pollsched.New(pollsched.Config{MaxGap: 40 * time.Second})
	for i := range 300 {
		lo := time.Duration(i) * time.Second
		s.Done(t0, t0.Add(lo), t0.Add(lo+time.Second))
	}
	assert.Equal(t, 100*time.Second, first(s), "FirstMaxGap follows MaxGap")

	// Observed only up to 60 s, 80 % still pending there: q 0.99 is a
	// constant-hazard guess far past the data, and the first poll stays at
	// MaxGap.
	s = pollsched.New(pollsched.Config{})
	for i := range 60 {
		s.Done(t0, t0.Add(time.Duration(i)*time.Second), t0.Add(time.Duration(i+1)*time.Second))
	}
	for range 240 {
		s.Pending(t0, t0, t0.Add(60*time.Second))
	}
	assert.Equal(t, pollsched.DefaultMaxGap, first(s))

	// The deadline still bounds it.
	s = slow(200 * time.Second)
	assert.Equal(t, 150*time.Second, s.NextPoll(t0, t0, t0.Add(150*time.Second)).Sub(t0))
}
