package pollsched

import (
	"math"
	"sort"
	"time"
)

// estimator is a Kaplan–Meier estimate of the generation time T of a
// report (from its order to its final status), on a grid of fixed bins.
//
// Each order is observed through polls, so its event time is interval
// censored: finished in (L, R], where R is the age of the poll that found it
// finished and L the age of the poll before (0 when none); or still pending
// at the age c of its last poll (right censored at c).
//
// A finished order's unit weight is spread evenly over the bins of (L, R]
// (uniform imputation: the first step of Turnbull's self-consistency
// algorithm, started from the uniform guess). It is exact when the density
// of T is flat across each interval and otherwise moves weight towards the
// middle of the interval: where the density rises across an interval (most
// of the true weight near R) the estimate comes out slightly early, where
// it falls slightly late. The bias shrinks with the poll gap, and unlike
// the alternatives it does not lean to one end of the gap: taking R as the
// event time (the poll that saw it) makes every report look about half a
// gap slower, and a point mass at the midpoint makes S a staircase on the
// poll grid that a schedule learned from it keeps polling on. Inside the
// first poll's interval (0, R] nothing is observed, so the shape there is
// the even spread whatever the truth; NextPoll rarely looks there.
//
// A pending order counts as censored in the bins that end at or before its
// last poll (its last poll's bin is not counted: a conservative floor).
// Orders never polled contribute nothing. Counting pending orders matters:
// a fit of the finished orders alone over-represents fast reports, since
// slow reports are still pending when the estimate is used.
//
// Updates are O(1) (a difference array for the spread weights and a count
// per censoring bin); the survival curve is refitted in O(bins) when
// queried after enough updates (see stale), and a conditional quantile is a
// binary search over it.
type estimator struct {
	bin time.Duration
	nb  int // bins before the horizon

	minAtRisk, minTailEvents float64 // see fitTail

	eventDiff []float64 // len nb+1: difference array of event weight per bin
	censored  []int64   // len nb+1: pending orders by bin of their last poll; nb: at or past the horizon
	overflow  float64   // event weight past the horizon
	finished  int
	pending   int

	surv       []float64 // len nb+1: surv[i] = S(i*bin), the estimate at the last fit
	events     []float64 // scratch for fit: event weight per bin
	atRisk     []float64 // scratch for fit: weight at risk at the start of each bin
	edge       int       // S is estimated on [0, edge] bins; past it, extrapolated
	tailHazard float64   // per bin, past edge
	changes    int       // updates since the last fit
	fitted     int       // observations at the last fit
}

func newEstimator(bin, horizon time.Duration) *estimator {
	nb := max(int((horizon+bin-1)/bin), 1)
	e := &estimator{
		bin:           bin,
		nb:            nb,
		minAtRisk:     minAtRisk,
		minTailEvents: minTailEvents,
		eventDiff:     make([]float64, nb+1),
		censored:      make([]int64, nb+1),
		surv:          make([]float64, nb+1),
		events:        make([]float64, nb),
		atRisk:        make([]float64, nb),
	}
	for i := range e.surv {
		e.surv[i] = 1
	}
	return e
}

// censorBin is the bin index of a pending order last polled at age,
// clipped to nb; ok is false for age <= 0 (no record).
func (e *estimator) censorBin(age time.Duration) (int, bool) {
	if age <= 0 {
		return 0, false
	}
	return int(min(age/e.bin, time.Duration(e.nb))), true
}

// addPending records an order still pending at age.
func (e *estimator) addPending(age time.Duration) {
	if k, ok := e.censorBin(age); ok {
		e.censored[k]++
		e.pending++
		e.changes++
	}
}

// removePending withdraws the record of addPending(age).
func (e *estimator) removePending(age time.Duration) {
	if k, ok := e.censorBin(age); ok && e.censored[k] > 0 {
		e.censored[k]--
		e.pending--
		e.changes++
	}
}

// addFinished records an order that finished in (lo, hi].
func (e *estimator) addFinished(lo, hi time.Duration) {
	lo = max(lo, 0)
	a := int(min(lo/e.bin, time.Duration(e.nb)))
	b := int(min((hi+e.bin-1)/e.bin, math.MaxInt32))
	if b <= a {
		b = a + 1
	}
	w := 1 / float64(b-a)
	if a < e.nb {
		e.eventDiff[a] += w
		e.eventDiff[min(b, e.nb)] -= w
	}
	if b > e.nb {
		e.overflow += w * float64(b-max(a, e.nb))
	}
	e.finished++
	e.changes++
}

// stale says whether the fitted curve is too old to use: after any change
// while there are few observations, after 1/64 more later on, so a refit
// costs O(bins) amortised over many updates.
func (e *estimator) stale() bool {
	return e.changes > 0 && e.changes > e.fitted/64
}

// fit recomputes the survival curve: S(0) = 1, and across bin i the
// hazard is the event weight in bin i over the weight at risk at its start.
func (e *estimator) fit() {
	events := 0.0
	for i := 0; i < e.nb; i++ {
		events += e.eventDiff[i]
		e.events[i] = max(events, 0) // rounding may leave -1e-15
	}
	// At risk at the start of bin i: event weight in bins >= i and past
	// the horizon, and pending orders last polled in a bin > i.
	risk := e.overflow + float64(e.censored[e.nb])
	for i := e.nb - 1; i >= 0; i-- {
		risk += e.events[i]
		e.atRisk[i] = risk
		risk += float64(e.censored[i])
	}
	for i := 0; i < e.nb; i++ {
		h := 0.0
		if n := e.atRisk[i]; n > 1e-9 {
			h = min(e.events[i]/n, 1)
		}
		e.surv[i+1] = e.surv[i] * (1 - h)
	}
	e.fitTail()
	e.changes = 0
	e.fitted = e.finished + e.pending
}

// Past the edge of the data, where fewer than minAtRisk orders are at risk,
// Kaplan–Meier knows little (and nothing past the oldest observation, where
// it stays flat: every order older than those seen so far would wait the
// longest gap). Early in a run that edge is the age of the oldest orders,
// so it matters: there the hazard is taken as constant, at its average
// over the last bins before the edge that hold minTailEvents finished
// orders (occurrences over exposure). A constant hazard is the least
// committal tail; for a lognormal, whose hazard falls slowly past its mode,
// it polls a little early.
const (
	minAtRisk     = 10
	minTailEvents = 10
)

// fitTail sets edge and tailHazard from the fitted risk sets.
func (e *estimator) fitTail() {
	e.edge = 0
	for e.edge < e.nb && e.atRisk[e.edge] >= e.minAtRisk {
		e.edge++ // atRisk never grows with i
	}
	var events, exposure float64
	for i := e.edge - 1; i >= 0 && events < e.minTailEvents; i-- {
		events += e.events[i]
		exposure += e.atRisk[i]
	}
	e.tailHazard = 0
	if exposure > 0 {
		e.tailHazard = events / exposure
	}
}

// refresh refits the curve if it is stale.
func (e *estimator) refresh() {
	if e.stale() {
		e.fit()
	}
}

// survival returns the fitted P(T > age): linear within a bin up to the
// edge of the data, exponential past it.
func (e *estimator) survival(age time.Duration) float64 {
	if age <= 0 {
		return 1
	}
	x := float64(age) / float64(e.bin)
	if x >= float64(e.edge) {
		return e.surv[e.edge] * math.Exp(-e.tailHazard*(x-float64(e.edge)))
	}
	i := int(x)
	return e.surv[i] + (e.surv[i+1]-e.surv[i])*(x-float64(i))
}

// timeWhere returns the least age at which the fitted survival falls to
// target, or false when it stays above target up to the horizon.
func (e *estimator) timeWhere(target float64) (time.Duration, bool) {
	switch {
	case target >= 1:
		return 0, true
	case target <= 0:
		return 0, false
	case target < e.surv[e.edge]: // past the edge of the data
		if e.tailHazard <= 0 {
			return 0, false
		}
		x := float64(e.edge) + math.Log(e.surv[e.edge]/target)/e.tailHazard
		if x > float64(e.nb) {
			return 0, false
		}
		return time.Duration(x * float64(e.bin)), true
	}
	j := sort.Search(e.edge+1, func(j int) bool { return e.surv[j] <= target })
	if j == 0 {
		return 0, true
	}
	hi, lo := e.surv[j-1], e.surv[j]
	frac := 1.0
	if hi > lo {
		frac = (hi - target) / (hi - lo)
	}
	return time.Duration((float64(j-1) + frac) * float64(e.bin)), true
}

// quantileAfter returns the least t >= age with P(T <= t | T > age) >= q,
// or false when the fit does not reach it before the horizon.
func (e *estimator) quantileAfter(age time.Duration, q float64) (time.Duration, bool) {
	s := e.survival(age)
	if s <= 0 {
		return 0, false
	}
	t, ok := e.timeWhere((1 - q) * s)
	return max(t, age), ok
}
