package pollsched

import (
	"math"
	"slices"
	"sort"
	"time"
)

// estimator is Turnbull's nonparametric maximum-likelihood estimate of the
// generation time T of a report (from its order to its final status), for
// interval-censored data, on a grid of fixed bins.
//
// Each order is observed through polls, so its event time is interval
// censored: finished in (L, R], where R is the age of the poll that found it
// finished and L the age of the poll before (0 when none); or still pending
// at the age c of its last poll (right censored: in (c, ∞)). On the grid,
// (L, R] covers bins floor(L/bin) to ceil(R/bin)-1 and (c, ∞) the bins from
// floor(c/bin) (its last poll's bin counts as possibly pending: a
// conservative floor).
//
// The likelihood depends on the distribution only through the mass it
// gives to each innermost interval: a set of bins [l, r) where l is the
// start of an observation and r the end of one, with no start or end
// between. Turnbull's self-consistency algorithm (an EM) finds the masses;
// it runs over the innermost intervals, not the bins, so a fit costs
// O(iterations × (distinct observations + innermost intervals)).
//
// Inside an innermost interval the data say nothing, and the mass is put at
// its last bin: an order found ready at its first poll, after waiting
// behind other requests, then teaches "ready by the earliest first poll"
// (the innermost interval every such observation shares), not a generation
// time spread over its own wait, which is how reports ready at once come to
// be polled at once. The latest placement inside the innermost interval is
// also the stable one: a schedule that polls at a quantile of this estimate
// is not pulled towards ages where nothing was ever observed.
//
// Observations carry weights: 1 for this run's orders, less for the prior
// (see Schedule.Prior).
type estimator struct {
	bin time.Duration
	nb  int // bins before the horizon; bin index nb stands for "at or past it"

	minAtRisk, minTailEvents float64 // see fitTail

	obs      map[span]float64 // weight per distinct observation
	weight   float64          // total weight of obs
	finished int              // this run's orders seen finished
	pending  int              // this run's orders last seen pending

	surv       []float64 // len nb+1: surv[i] = S(i*bin), the estimate at the last fit
	mass       []float64 // len nb: estimated P(T in bin i), scratch of fit
	edge       int       // S is estimated on [0, edge] bins; past it, extrapolated
	tailHazard float64   // per bin, past edge
	changes    float64   // weight of updates since the last fit
	fitted     float64   // weight of observations at the last fit
	dataEnd    int       // bin where the observations end, at the last fit

	// EM scratch
	cliques []span    // innermost intervals, in order
	p       []float64 // their masses
}

// span is a set of bins [a, b); b = inf for a right-censored observation.
type span struct{ a, b int32 }

const inf = math.MaxInt32

func newEstimator(bin, horizon time.Duration) *estimator {
	nb := max(int((horizon+bin-1)/bin), 1)
	e := &estimator{
		bin:           bin,
		nb:            nb,
		minAtRisk:     minAtRisk,
		minTailEvents: minTailEvents,
		obs:           make(map[span]float64),
		surv:          make([]float64, nb+1),
		mass:          make([]float64, nb),
	}
	for i := range e.surv {
		e.surv[i] = 1
	}
	return e
}

// binOf returns the bin of age, clipped to [0, nb].
func (e *estimator) binOf(age time.Duration) int32 {
	return int32(min(max(age, 0)/e.bin, time.Duration(e.nb)))
}

// censored returns the span of an order pending at age; ok is false for
// age <= 0 (no record).
func (e *estimator) censored(age time.Duration) (span, bool) {
	if age <= 0 {
		return span{}, false
	}
	return span{e.binOf(age), inf}, true
}

// interval returns the span of an order finished in (lo, hi].
func (e *estimator) interval(lo, hi time.Duration) span {
	a := e.binOf(lo)
	b := int32(min((max(hi, 0)+e.bin-1)/e.bin, time.Duration(e.nb)+1))
	if b <= a {
		b = a + 1
	}
	if int(b) > e.nb { // ends past the horizon: only "not before lo" is kept
		b = inf
	}
	return span{a, b}
}

func (e *estimator) add(sp span, w float64) {
	e.obs[sp] += w
	e.weight += w
	e.changes += w
}

func (e *estimator) remove(sp span, w float64) {
	v, ok := e.obs[sp]
	if !ok {
		return
	}
	w = min(w, v)
	if v-w <= 1e-9 {
		delete(e.obs, sp)
	} else {
		e.obs[sp] = v - w
	}
	e.weight = max(e.weight-w, 0)
	e.changes += w
}

// addPending records an order still pending at age.
func (e *estimator) addPending(age time.Duration) {
	if sp, ok := e.censored(age); ok {
		e.add(sp, 1)
		e.pending++
	}
}

// removePending withdraws the record of addPending(age).
func (e *estimator) removePending(age time.Duration) {
	if sp, ok := e.censored(age); ok && e.obs[sp] >= 1-1e-9 {
		e.remove(sp, 1)
		e.pending--
	}
}

// addFinished records an order that finished in (lo, hi].
func (e *estimator) addFinished(lo, hi time.Duration) {
	e.add(e.interval(lo, hi), 1)
	e.finished++
}

// addPrior records an earlier run's order that finished in (lo, hi], with
// weight w.
func (e *estimator) addPrior(lo, hi time.Duration, w float64) {
	if w > 0 && hi > 0 {
		e.add(e.interval(lo, hi), w)
	}
}

// stale says whether the fitted curve is too old to use: after any change
// while there are few observations, after 1/64 more later on, so a refit
// is amortised over many updates.
func (e *estimator) stale() bool {
	return e.changes > 1e-9 && e.changes > e.fitted/64
}

// Limits of the self-consistency iterations of a fit.
const (
	emMaxIter = 500
	emTol     = 1e-7
)

// fit recomputes the survival curve.
func (e *estimator) fit() {
	e.changes, e.fitted = 0, e.weight
	clear(e.mass)
	beyond := 0.0 // mass past the last finite innermost interval
	last := 0     // bin where the data end
	if e.weight > 1e-9 {
		e.innermost()
		e.selfConsistency()
		for j, c := range e.cliques {
			if c.b == inf {
				beyond += e.p[j]
				last = max(last, int(c.a))
				continue
			}
			last = max(last, int(c.b))
			if c.a == 0 { // nothing observed before: as early as allowed
				e.mass[0] += e.p[j]
				continue
			}
			w := e.p[j] / float64(c.b-c.a)
			for i := c.a; i < c.b; i++ {
				e.mass[i] += w
			}
			last = max(last, int(c.b))
		}
	}
	e.surv[0] = 1
	for i := 0; i < e.nb; i++ {
		e.surv[i+1] = max(e.surv[i]-e.mass[i], 0)
	}
	if e.weight <= 1e-9 {
		last = e.nb
	}
	e.dataEnd = min(last, e.nb)
	e.fitTail(e.dataEnd)
}

// innermost sets e.cliques to the innermost intervals of the observations:
// scanning their ends in order (an end before a start at the same bin), an
// innermost interval runs from a start to the next end with no start in
// between.
func (e *estimator) innermost() {
	type point struct {
		x     int32
		start bool
	}
	pts := make([]point, 0, 2*len(e.obs))
	for sp := range e.obs {
		pts = append(pts, point{sp.a, true}, point{sp.b, false})
	}
	slices.SortFunc(pts, func(p, q point) int {
		if p.x != q.x {
			return int(p.x) - int(q.x)
		}
		if p.start == q.start {
			return 0
		}
		if !p.start {
			return -1
		}
		return 1
	})
	e.cliques = e.cliques[:0]
	open := int32(-1)
	for _, pt := range pts {
		if pt.start {
			open = pt.x
		} else if open >= 0 {
			e.cliques = append(e.cliques, span{open, pt.x})
			open = -1
		}
	}
}

// selfConsistency runs Turnbull's algorithm: each observation's weight is
// shared among the innermost intervals it covers in proportion to their
// current masses, until the masses settle.
func (e *estimator) selfConsistency() {
	k := len(e.cliques)
	type cover struct {
		lo, hi int // innermost intervals [lo, hi)
		w      float64
	}
	covers := make([]cover, 0, len(e.obs))
	for sp, w := range e.obs {
		lo := sort.Search(k, func(j int) bool { return e.cliques[j].a >= sp.a })
		hi := sort.Search(k, func(j int) bool { return e.cliques[j].b > sp.b })
		if hi > lo {
			covers = append(covers, cover{lo, hi, w})
		}
	}
	p := make([]float64, k)
	for j := range p {
		p[j] = 1 / float64(k)
	}
	prefix := make([]float64, k+1)
	diff := make([]float64, k+1)
	for range emMaxIter {
		for j := range k {
			prefix[j+1] = prefix[j] + p[j]
		}
		clear(diff)
		total := 0.0
		for _, c := range covers {
			if den := prefix[c.hi] - prefix[c.lo]; den > 1e-300 {
				diff[c.lo] += c.w / den
				diff[c.hi] -= c.w / den
			}
			total += c.w
		}
		change, acc := 0.0, 0.0
		for j := range k {
			acc += diff[j]
			q := p[j] * acc / total
			change = max(change, math.Abs(q-p[j]))
			p[j] = q
		}
		if change < emTol {
			break
		}
	}
	e.p = p
}

// Past the edge of the data, where fewer than minAtRisk orders are
// expected at risk, the estimate knows little (and nothing past the oldest
// observation, where it stays flat or falls to 0: every order older than
// those seen so far would wait the longest gap, or be polled at once).
// Early in a run that edge is the age of the oldest orders, so it matters:
// there the hazard is taken as constant, at its average over the last
// quarter of the ages before the edge, or further back until that holds
// minTailEvents finished orders (occurrences over exposure). The window is
// wide because the masses of an interval-censored estimate come in steps:
// the hazard of the last bins alone may say "all finished by now". A
// constant hazard is the least committal tail; for a lognormal, whose
// hazard falls slowly past its mode, it polls a little early.
const (
	minAtRisk     = 10
	minTailEvents = 10
)

// fitTail sets edge (at most last, where the data end) and tailHazard from
// the fitted curve: the weight at risk at the start of bin i is the total
// weight times S(i), the events in it the total weight times its mass.
func (e *estimator) fitTail(last int) {
	e.edge = 0
	for e.edge < last && e.weight*e.surv[e.edge] >= e.minAtRisk && e.surv[e.edge] > 0 {
		e.edge++
	}
	var events, exposure float64
	window := e.edge - e.edge/4
	for i := e.edge - 1; i >= 0 && (i >= window || events < e.minTailEvents); i-- {
		events += e.weight * e.mass[i]
		exposure += e.weight * e.surv[i]
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
	case target < 0:
		return 0, false
	}
	if target < e.surv[e.edge] { // past the edge of the data
		if e.tailHazard <= 0 || target <= 0 {
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
// or false when the fit does not reach it before the horizon or has no
// mass left past age (see Schedule.NextPoll).
func (e *estimator) quantileAfter(age time.Duration, q float64) (time.Duration, bool) {
	s := e.survival(age)
	if s <= 0 {
		return 0, false
	}
	t, ok := e.timeWhere((1 - q) * s)
	return max(t, age), ok
}
