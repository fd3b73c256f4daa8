package pollsched

import (
	"math"
	"slices"
	"sync"
	"time"
)

// Defaults of Config.
const (
	DefaultQuantile = 0.9
	// DefaultFirstQuantile is q of an order's first poll: about 1 order in
	// 100 needs a second. A first poll later than most reports need costs
	// no call, and the run's end is set by the slowest report, whose
	// polls the endgame (EndgameOrders) keeps close.
	DefaultFirstQuantile = 0.99
	// AfterOrdersQuantile is q of the polls after an order's first once
	// every order is placed (SetQuantile): the budget ordering used is
	// free, and a lower q sees the slow reports, one of which ends the
	// run, sooner. Tuned in the simulation of issue 22 (sim_test.go)
	// against calls per company and the end of the run.
	AfterOrdersQuantile = 0.75
	// DefaultPriorWeight is the weight of the prior (Schedule.Prior) in
	// orders: a run's own observations outweigh it once it has seen as
	// many finish.
	DefaultPriorWeight = 100
	// DefaultPriorHalfLife is how fast the prior forgets: an order this
	// many orders older than the newest counts half as much.
	DefaultPriorHalfLife = 500
	// DefaultPastData is Config.PastData.
	DefaultPastData = 0.5
	DefaultInterval = 10 * time.Second
	DefaultMinGap   = time.Second
	DefaultMaxGap   = 120 * time.Second
	// FirstMaxGapFactor is Config.FirstMaxGap in MaxGaps: 5 min for the
	// default 120 s.
	FirstMaxGapFactor  = 2.5
	DefaultMinFinished = 20
	DefaultBin         = time.Second
	DefaultHorizon     = time.Hour
)

// Config tunes a Schedule. A zero field takes its default.
type Config struct {
	// FirstQuantile is q for an order's first poll: it comes when the
	// report is at least this likely to be finished [0.99]. Most orders
	// need no other poll, so this q sets the calls per company: about
	// 2 + (1-FirstQuantile)/Quantile.
	FirstQuantile float64
	// Quantile is q for every later poll: it comes when the report is at
	// least this likely to be finished given it was not at the last poll
	// [0.9]. SetQuantile changes it during a run; a lower q polls the slow
	// reports, one of which ends the run, more often.
	Quantile float64
	// Interval is the fixed gap between polls until the schedule has
	// learned (--poll-interval) [10s].
	Interval time.Duration
	// MinGap and MaxGap bound every gap between two polls of an order
	// [1s, 120s].
	MinGap, MaxGap time.Duration
	// FirstMaxGap bounds the wait from an order to its first poll when
	// the orders seen so far show that FirstQuantile of reports take
	// longer than MaxGap: a first poll at MaxGap would find many pending,
	// each costing another call. Such a first poll comes no later than the
	// oldest age observed (a report seen finished or pending then), so an
	// extrapolation never sets it [FirstMaxGapFactor × MaxGap, and never
	// less than MaxGap].
	FirstMaxGap time.Duration
	// MinFinished is "enough data": the learned schedule is used once this
	// many orders have been seen finished [20].
	MinFinished int
	// PriorWeight is the total weight, in orders, of the observations
	// given to Prior [DefaultPriorWeight]; PriorHalfLife, in orders, how
	// fast older ones count less [DefaultPriorHalfLife].
	PriorWeight   float64
	PriorHalfLife int
	// PastData bounds a poll after an order's first that the estimate
	// places past the oldest age observed so far, where it is a
	// constant-hazard guess: at most this fraction of the order's age
	// past that age [DefaultPastData]; negative for no bound. Early in a
	// run, when every first poll came at about the same age, the guess
	// can put the next poll of the slowest orders minutes after their
	// reports are ready.
	PastData float64
	// Bin is the resolution of the estimate [1s]; Horizon is how far it
	// reaches [1h]. Past the horizon, polls are MaxGap apart. Memory and a
	// refit are O(Horizon/Bin).
	Bin, Horizon time.Duration
}

func (c Config) withDefaults() Config {
	if c.Quantile <= 0 || c.Quantile >= 1 {
		c.Quantile = DefaultQuantile
	}
	if c.FirstQuantile <= 0 || c.FirstQuantile >= 1 {
		c.FirstQuantile = DefaultFirstQuantile
	}
	if c.PriorWeight <= 0 {
		c.PriorWeight = DefaultPriorWeight
	}
	if c.PriorHalfLife <= 0 {
		c.PriorHalfLife = DefaultPriorHalfLife
	}
	if c.PastData == 0 {
		c.PastData = DefaultPastData
	}
	if c.Interval <= 0 {
		c.Interval = DefaultInterval
	}
	if c.MinGap <= 0 {
		c.MinGap = DefaultMinGap
	}
	if c.MaxGap <= 0 {
		c.MaxGap = DefaultMaxGap
	}
	c.MaxGap = max(c.MaxGap, c.MinGap)
	if c.FirstMaxGap <= 0 {
		c.FirstMaxGap = time.Duration(FirstMaxGapFactor * float64(c.MaxGap))
	}
	c.FirstMaxGap = max(c.FirstMaxGap, c.MaxGap)
	if c.MinFinished <= 0 {
		c.MinFinished = DefaultMinFinished
	}
	if c.Bin <= 0 {
		c.Bin = DefaultBin
	}
	if c.Horizon <= 0 {
		c.Horizon = DefaultHorizon
	}
	return c
}

// Schedule learns how long reports take from the polls of one run and says
// when to poll each order next. It is safe for concurrent use.
//
// Feed it every poll of an order placed in this run: Pending when the poll
// found the report not finished, Done when it found it finished (ready or
// failed). prevPoll is always the time of the order's previous poll as given
// to Pending, or its order time when this is its first poll; ages are
// measured from the order time, on the caller's clock.
type Schedule struct {
	mu    sync.Mutex
	cfg   Config
	est   *estimator
	prior float64 // weight of the prior's observations
}

// Observation is an earlier order's polls, from the state file: it was
// placed at Ordered, last found pending at Pending (Ordered when its first
// poll found it finished) and found finished (ready or failed) at Done.
type Observation struct {
	Ordered, Pending, Done time.Time
}

// Prior gives the schedule what earlier runs saw, before this run's own
// observations: each order finished in (Pending-Ordered, Done-Ordered].
// The newest orders (by Ordered) count most, halving every PriorHalfLife
// orders, and all together count PriorWeight orders at most, so this
// run's observations take over as they come. A schedule with a prior of
// at least MinFinished orders has learned from the start: the first polls
// of a run are placed by it, not by Interval. Observations out of order
// (Done before Pending, Pending before Ordered) are skipped. Call it once,
// before the first poll.
func (s *Schedule) Prior(obs []Observation) {
	valid := make([]Observation, 0, len(obs))
	for _, o := range obs {
		if o.Ordered.IsZero() || o.Pending.Before(o.Ordered) || !o.Done.After(o.Pending) {
			continue
		}
		valid = append(valid, o)
	}
	if len(valid) == 0 {
		return
	}
	slices.SortStableFunc(valid, func(a, b Observation) int { return b.Ordered.Compare(a.Ordered) })
	s.mu.Lock()
	defer s.mu.Unlock()
	ws := make([]float64, len(valid))
	total := 0.0
	for i := range valid {
		ws[i] = math.Exp2(-float64(i) / float64(s.cfg.PriorHalfLife))
		total += ws[i]
		if ws[i] < 1e-3 {
			ws = ws[:i+1]
			break
		}
	}
	scale := min(1, s.cfg.PriorWeight/total)
	for i, w := range ws {
		o := valid[i]
		s.est.addPrior(o.Pending.Sub(o.Ordered), o.Done.Sub(o.Ordered), w*scale)
		s.prior += w * scale
	}
}

// New returns a Schedule with no observations: it polls every cfg.Interval
// until it has learned.
func New(cfg Config) *Schedule {
	cfg = cfg.withDefaults()
	return &Schedule{cfg: cfg, est: newEstimator(cfg.Bin, cfg.Horizon)}
}

// Pending records that the order placed at orderedAt was not finished at
// poll; prevPoll is its previous poll (orderedAt for none). O(1).
func (s *Schedule) Pending(orderedAt, prevPoll, poll time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.est.removePending(prevPoll.Sub(orderedAt))
	s.est.addPending(poll.Sub(orderedAt))
}

// Done records that the order placed at orderedAt was found finished (ready
// or failed) at poll, having been pending at prevPoll (orderedAt for no
// earlier poll). O(1).
func (s *Schedule) Done(orderedAt, prevPoll, poll time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	lo := prevPoll.Sub(orderedAt)
	s.est.removePending(lo)
	s.est.addFinished(lo, poll.Sub(orderedAt))
}

// SetQuantile changes q of the polls after an order's first (see Config),
// for instance from 0.9 while orders are being placed to 0.5 once they all
// are, when the budget they used is free for polling. Values outside (0, 1)
// are ignored.
func (s *Schedule) SetQuantile(q float64) {
	if q <= 0 || q >= 1 {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.cfg.Quantile = q
}

// NextPoll returns when to poll next the order placed at orderedAt and last
// polled at lastPoll (orderedAt if never): the earliest time t with
// P(finished by t | not finished at lastPoll) >= q under the learned
// distribution (q is FirstQuantile when lastPoll == orderedAt, Quantile
// otherwise); lastPoll + Interval until it has learned (Stats.Learned).
// The gap after lastPoll is kept within [MinGap, MaxGap] (MaxGap too when
// the estimate does not reach q before its horizon), or, for a first
// poll, within the oldest age observed up to FirstMaxGap, and the result is
// never after deadline, the last moment the order may be polled (zero for
// none). Amortised O(log(Horizon/Bin)).
func (s *Schedule) NextPoll(orderedAt, lastPoll, deadline time.Time) time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	gap, maxGap := s.cfg.Interval, s.cfg.MaxGap
	if s.learned() {
		s.est.refresh()
		age := max(lastPoll.Sub(orderedAt), 0)
		q := s.cfg.Quantile
		if age == 0 {
			q = s.cfg.FirstQuantile
		}
		switch t, ok := s.est.quantileAfter(age, q); {
		case ok:
			gap = t - age
			if age == 0 { // up to the oldest age observed (Config.FirstMaxGap)
				maxGap = max(maxGap, min(s.cfg.FirstMaxGap, time.Duration(s.est.dataEnd)*s.cfg.Bin))
			}
			// Past the ages observed so far the estimate is a guess
			// (see Config.PastData).
			if end := time.Duration(s.est.dataEnd) * s.cfg.Bin; s.cfg.PastData > 0 && age > 0 && t > end {
				gap = min(gap, max(end-age, 0)+time.Duration(s.cfg.PastData*float64(age)))
			}
		case s.est.survival(age) <= 0:
			// The estimate says it must be finished, and it was not:
			// poll at the fixed interval until a refit knows better.
		default:
			gap = s.cfg.MaxGap
		}
	}
	next := lastPoll.Add(min(max(gap, s.cfg.MinGap), maxGap))
	if !deadline.IsZero() && next.After(deadline) {
		next = deadline
	}
	return next
}

func (s *Schedule) learned() bool {
	return float64(s.est.finished)+s.prior >= float64(s.cfg.MinFinished)
}

// Stats describes what a Schedule has learned.
type Stats struct {
	Finished int     // orders seen finished
	Pending  int     // orders last seen pending (censored observations)
	Learned  bool    // Finished + Prior >= MinFinished: NextPoll uses the estimate
	Quantile float64 // the current q of polls after the first
	Prior    float64 // weight, in orders, of earlier runs' observations
}

// Stats returns the counts behind the estimate.
func (s *Schedule) Stats() Stats {
	s.mu.Lock()
	defer s.mu.Unlock()
	return Stats{Finished: s.est.finished, Pending: s.est.pending, Learned: s.learned(), Quantile: s.cfg.Quantile, Prior: s.prior}
}

// Survival returns the estimated probability that a report is not finished
// at age, from the observations so far (1 before any).
func (s *Schedule) Survival(age time.Duration) float64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.est.refresh()
	return s.est.survival(age)
}

// Quantile returns the estimated p-quantile of the generation time, or
// false when the estimate does not reach p before the horizon.
func (s *Schedule) Quantile(p float64) (time.Duration, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.est.refresh()
	return s.est.quantileAfter(0, p)
}

// EndgameOrders is how many pending orders make the end of a run: once
// every order is placed and no more than these are pending, one of them
// is the last, and the run ends when its report is seen ready. Their polls
// are then at most EndgameGap apart, whatever the estimate says: a few
// calls buy an end close to the last report's ready time.
const EndgameOrders = 8

// EndgameGap is the longest gap between two polls of an order in the
// endgame (see EndgameOrders) after elapsed of the run: 4 % of it, at
// least DefaultMinGap. The last report is then seen within 4 % of the
// run's length, about 2 % on average, for a few calls.
func EndgameGap(elapsed time.Duration) time.Duration {
	return max(DefaultMinGap, elapsed/25)
}
