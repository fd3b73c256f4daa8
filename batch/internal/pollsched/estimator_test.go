package pollsched

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const s = time.Second

// obs is one order's observation: finished in (lo, hi], or pending at lo
// when hi is 0.
type obs struct{ lo, hi time.Duration }

// fitted is the bare Turnbull estimate (no tail extrapolation) over o.
func fitted(o []obs) *estimator {
	e := newEstimator(s, 20*s)
	e.minAtRisk = 0
	for _, x := range o {
		if x.hi == 0 {
			e.addPending(x.lo)
		} else {
			e.addFinished(x.lo, x.hi)
		}
	}
	e.fit()
	return e
}

func TestEstimator_Turnbull(t *testing.T) {
	tests := []struct {
		name string
		obs  []obs
		want map[time.Duration]float64 // S at whole seconds
	}{
		{
			name: "exact observations: the empirical survival",
			obs:  []obs{{0, 1 * s}, {1 * s, 2 * s}, {1 * s, 2 * s}, {3 * s, 4 * s}},
			want: map[time.Duration]float64{0: 1, 1 * s: 0.75, 2 * s: 0.25, 3 * s: 0.25, 4 * s: 0, 10 * s: 0},
		},
		{
			// The textbook case: events at 1, 3, 4, censored at 2 (its
			// last poll's bin counts as possibly pending).
			name: "a censored order shares its weight with the later ones",
			obs:  []obs{{0, 1 * s}, {2 * s, 0}, {2 * s, 3 * s}, {3 * s, 4 * s}},
			want: map[time.Duration]float64{1 * s: 0.75, 2 * s: 0.75, 3 * s: 0.375, 4 * s: 0},
		},
		{
			// Ready by the first poll, whatever its wait: the innermost
			// interval they share is (0, 2 s], and nothing was observed in
			// it, so its mass goes as early as the data allow.
			name: "ready at the first poll: as early as allowed",
			obs:  []obs{{0, 2 * s}, {0, 6 * s}, {0, 9 * s}, {0, 4 * s}},
			want: map[time.Duration]float64{1 * s: 0, 5 * s: 0},
		},
		{
			// The innermost intervals are (0, 5] and (5, 10]; the orders
			// seen in (0, 10] fit either, so the likelihood p²(1-p)² makes
			// them even. Uniform imputation would give (0, 5] 7/12.
			name: "overlapping intervals: self-consistent",
			obs:  []obs{{0, 10 * s}, {0, 10 * s}, {5 * s, 10 * s}, {5 * s, 10 * s}, {0, 5 * s}, {0, 5 * s}},
			want: map[time.Duration]float64{5 * s: 0.5, 10 * s: 0},
		},
		{
			name: "nothing observed",
			want: map[time.Duration]float64{0: 1, 10 * s: 1},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := fitted(tc.obs)
			for age, want := range tc.want {
				assert.InDelta(t, want, e.survival(age), 1e-4, "S(%v)", age)
			}
		})
	}
}

// dist is a generation-time distribution with its survival function.
type dist struct {
	name   string
	sample func(r *rand.Rand) time.Duration
	surv   func(time.Duration) float64
}

func lognormalSurv(median time.Duration, sigma float64) func(time.Duration) float64 {
	return func(t time.Duration) float64 {
		if t <= 0 {
			return 1
		}
		return 0.5 * math.Erfc(math.Log(float64(t)/float64(median))/sigma/math.Sqrt2)
	}
}

func lognormalSample(median time.Duration, sigma float64) func(r *rand.Rand) time.Duration {
	return func(r *rand.Rand) time.Duration {
		return time.Duration(float64(median) * math.Exp(sigma*r.NormFloat64()))
	}
}

// TestEstimator_KnownDistributions: orders polled at jittered times, each
// observation interval censored (the last pending poll, the poll that saw
// it finished) or right censored at a snapshot; the estimate recovers the
// true survival at the ages the polls observe.
func TestEstimator_KnownDistributions(t *testing.T) {
	fixed := func(d time.Duration) dist {
		return dist{fmt.Sprintf("fixed %v", d), func(*rand.Rand) time.Duration { return d },
			func(t time.Duration) float64 {
				if t < d {
					return 1
				}
				return 0
			}}
	}
	logn := lognormalSurv(20*s, 0.75)
	dists := []dist{
		fixed(0), fixed(30 * s),
		{"lognormal 20 s, 0.75", lognormalSample(20*s, 0.75), logn},
		{"bimodal 70 % ~10 s, 30 % ~90 s", func(r *rand.Rand) time.Duration {
			if r.Float64() < 0.7 {
				return lognormalSample(10*s, 0.3)(r)
			}
			return lognormalSample(90*s, 0.3)(r)
		}, func(t time.Duration) float64 {
			return 0.7*lognormalSurv(10*s, 0.3)(t) + 0.3*lognormalSurv(90*s, 0.3)(t)
		}},
	}
	for _, d := range dists {
		t.Run(d.name, func(t *testing.T) {
			r := rand.New(rand.NewPCG(11, 2))
			e := newEstimator(s, 10*time.Minute)
			for range 3000 {
				gen := d.sample(r)
				prev := time.Duration(0)
				poll := time.Duration((1 + 4*r.Float64()) * float64(s))
				for {
					if poll >= gen {
						e.removePending(prev)
						e.addFinished(prev, poll)
						break
					}
					if poll > 200*s { // still pending at the snapshot
						break
					}
					e.removePending(prev)
					e.addPending(poll)
					prev = poll
					poll += time.Duration((1 + 4*r.Float64()) * float64(s))
				}
			}
			e.fit()
			for _, age := range []time.Duration{5 * s, 10 * s, 15 * s, 20 * s, 30 * s, 45 * s, 60 * s, 90 * s, 120 * s} {
				want := d.surv(age)
				if d.name == "fixed 30s" && (age == 30*s) {
					continue // the step itself: a bin wide
				}
				assert.InDelta(t, want, e.survival(age), 0.03, "S(%v)", age)
			}
		})
	}
}

// TestEstimator_PendingMoves: an order polled pending several times and
// then found finished counts once, as its last interval.
func TestEstimator_PendingMoves(t *testing.T) {
	e := newEstimator(s, 60*s)
	e.minAtRisk = 0
	e.addPending(5 * s)
	e.removePending(5 * s)
	e.addPending(12 * s)
	assert.Equal(t, 1, e.pending)
	e.removePending(12 * s)
	e.addFinished(12*s, 20*s)
	e.fit()

	want := fitted([]obs{{12 * s, 20 * s}})
	assert.Equal(t, 0, e.pending)
	assert.Equal(t, 1, e.finished)
	for age := time.Duration(0); age <= 25*s; age += 500 * time.Millisecond {
		assert.InDelta(t, want.survival(age), e.survival(age), 1e-12, "S(%v)", age)
	}

	e.removePending(30 * s) // no such record: ignored
	assert.Equal(t, 0, e.pending)
}

func TestEstimator_QuantileAfter(t *testing.T) {
	// S falls linearly from 1 at 0 s to 0 at 10 s.
	var o []obs
	for i := range 100 {
		lo := time.Duration(i) * 100 * time.Millisecond
		o = append(o, obs{lo, lo + 100*time.Millisecond})
	}
	e := fitted(o)
	tests := []struct {
		age    time.Duration
		q      float64
		want   time.Duration
		wantOK bool
	}{
		{age: 0, q: 0.5, want: 5 * s, wantOK: true},
		{age: 0, q: 0.9, want: 9 * s, wantOK: true},
		{age: 5 * s, q: 0.5, want: 7500 * time.Millisecond, wantOK: true},
		{age: 8 * s, q: 0.9, want: 9800 * time.Millisecond, wantOK: true},
		{age: 10 * s, q: 0.5, wantOK: false}, // S(age) = 0: the estimate has nothing to say
	}
	for _, tc := range tests {
		got, ok := e.quantileAfter(tc.age, tc.q)
		require.Equal(t, tc.wantOK, ok, "age %v q %v", tc.age, tc.q)
		if ok {
			assert.InDelta(t, float64(tc.want), float64(got), float64(20*time.Millisecond), "age %v q %v", tc.age, tc.q)
		}
	}
}

// TestEstimator_Tail: past the ages where minAtRisk orders are at risk,
// survival falls at the hazard of the last minTailEvents finished orders.
func TestEstimator_Tail(t *testing.T) {
	e := newEstimator(s, 60*s)
	// 100 orders: 50 finished in the first second, 50 still pending at 2 s.
	for range 50 {
		e.addFinished(0, s)
		e.addPending(2 * s)
	}
	e.fit()
	require.Equal(t, 2, e.edge, "50 at risk up to 2 s, none later")
	// Hazard over bins 1 and 0 (back until 10 events): 50 events / (50+100) exposure.
	assert.InDelta(t, 1.0/3, e.tailHazard, 1e-12)
	assert.InDelta(t, 0.5, e.survival(2*s), 1e-12)
	assert.InDelta(t, 0.5*math.Exp(-1.0/3*3), e.survival(5*s), 1e-12)

	// The conditional median past the edge is memoryless: ln 2 / hazard.
	for _, age := range []time.Duration{2 * s, 4 * s, 10 * s} {
		got, ok := e.quantileAfter(age, 0.5)
		require.True(t, ok)
		assert.InDelta(t, age.Seconds()+math.Ln2*3, got.Seconds(), 1e-6, "age %v", age)
	}
	// Past the horizon: not reached.
	_, ok := e.quantileAfter(59*s, 0.9)
	assert.False(t, ok)

	// No finished order at all: no hazard, survival stays 1.
	e = newEstimator(s, 60*s)
	e.addPending(30 * s)
	e.fit()
	assert.Equal(t, 1.0, e.survival(40*s))
	_, ok = e.quantileAfter(0, 0.5)
	assert.False(t, ok)
}

func TestEstimator_Stale(t *testing.T) {
	e := newEstimator(s, 10*s)
	assert.False(t, e.stale(), "nothing to fit")
	e.addFinished(0, s)
	assert.True(t, e.stale(), "few observations: every change refits")
	e.fit()
	for range 999 {
		e.addFinished(0, s)
	}
	e.fit()
	e.addFinished(0, s)
	assert.False(t, e.stale(), "1 change in 1000 observations")
	for range 15 {
		e.addFinished(0, s)
	}
	assert.True(t, e.stale(), "16 changes: more than 1/64")
}
