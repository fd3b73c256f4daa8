package pollsched

import (
	"math"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const s = time.Second

// obs is one order's observation: finished in (lo, hi], or pending at lo
// when hi is 0.
type obs struct{ lo, hi time.Duration }

// fitted is pure Kaplan–Meier (no tail extrapolation) over o.
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

func TestEstimator_KaplanMeier(t *testing.T) {
	tests := []struct {
		name string
		obs  []obs
		want map[time.Duration]float64 // S at whole seconds
	}{
		{
			name: "no censoring: the empirical survival",
			obs:  []obs{{0, 1 * s}, {1 * s, 2 * s}, {1 * s, 2 * s}, {3 * s, 4 * s}},
			want: map[time.Duration]float64{0: 1, 1 * s: 0.75, 2 * s: 0.25, 3 * s: 0.25, 4 * s: 0, 10 * s: 0},
		},
		{
			// The textbook case: events at 1, 3, 4, censored at 2.
			name: "a censored order leaves the risk set after its last poll",
			obs:  []obs{{0, 1 * s}, {2 * s, 0}, {2 * s, 3 * s}, {3 * s, 4 * s}},
			want: map[time.Duration]float64{1 * s: 0.75, 2 * s: 0.75, 3 * s: 0.375, 4 * s: 0},
		},
		{
			name: "censored last: the curve stays up",
			obs:  []obs{{0, 1 * s}, {5 * s, 0}},
			want: map[time.Duration]float64{1 * s: 0.5, 5 * s: 0.5, 20 * s: 0.5},
		},
		{
			name: "a wide interval is spread evenly",
			obs:  []obs{{0, 4 * s}},
			want: map[time.Duration]float64{1 * s: 0.75, 2 * s: 0.5, 3 * s: 0.25, 4 * s: 0},
		},
		{
			name: "the part of an interval past the horizon stays at risk",
			obs:  []obs{{18 * s, 22 * s}},
			want: map[time.Duration]float64{18 * s: 1, 19 * s: 0.75, 20 * s: 0.5},
		},
		{
			name: "nothing observed",
			want: map[time.Duration]float64{0: 1, 10 * s: 1},
		},
		{
			name: "pending at age 0 is no observation",
			obs:  []obs{{0, 0}, {0, 2 * s}},
			want: map[time.Duration]float64{1 * s: 0.5, 2 * s: 0},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := fitted(tc.obs)
			for age, want := range tc.want {
				assert.InDelta(t, want, e.survival(age), 1e-9, "S(%v)", age)
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
	e := fitted([]obs{{0, 10 * s}})
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
			assert.InDelta(t, float64(tc.want), float64(got), float64(time.Microsecond), "age %v q %v", tc.age, tc.q)
		}
	}

	// Never reached before the horizon.
	e = fitted([]obs{{0, 2 * s}, {3 * s, 0}})
	_, ok := e.quantileAfter(4*s, 0.5)
	assert.False(t, ok)
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
