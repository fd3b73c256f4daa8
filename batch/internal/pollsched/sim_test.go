package pollsched_test

import (
	"container/heap"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/qccbatch/qccbatch/batch/internal/pollsched"
)

// simConfig is a run of issue 15's benchmark in virtual time: companies
// ordered and polled through one limiter of qps slots per second, orders
// first (ratelimit's Order lane), polls in order of their due time.
type simConfig struct {
	companies int
	qps       float64
	latency   time.Duration // request to answer; the server acts at half of it
	gen       func(r *rand.Rand) time.Duration
	seed      uint64
	sched     pollsched.Config
	afterQ    float64 // q once every order is placed; 0 keeps sched.Quantile
	timeout   time.Duration
	// noRecheck polls when due as computed at the last poll, instead of
	// asking NextPoll again when it comes due (and putting it back when the
	// schedule, having learned since, says later).
	noRecheck bool
	// noPending leaves out the polls that found a report pending: the
	// estimate then sees the finished orders only.
	noPending bool
	// endgame pulls in the polls of the last pollsched.EndgameOrders
	// pending orders once every order is placed, as batch does.
	endgame bool
	// egOrders and egGap, if set, replace pollsched.EndgameOrders and
	// pollsched.EndgameGap (for tuning).
	egOrders int
	egGap    func(elapsed time.Duration) time.Duration
	// trace, if set, sees every poll that found P: the order's age then
	// and the gap to its next poll.
	trace func(at, age, gap time.Duration)
}

type simResult struct {
	calls, pollsFoundP int
	firstP             int           // polls that found P at an order's first poll
	lastOrder          time.Duration // when the last order was answered
	lastReady          time.Duration // when the last report became ready at the server
	end                time.Duration // when the last report was seen ready
}

func (r simResult) callsPerCompany(n int) float64 { return float64(r.calls) / float64(n) }

type due struct {
	at              time.Time
	i               int
	ordered, prevAt time.Time
}

type dueHeap []due

func (h dueHeap) Len() int           { return len(h) }
func (h dueHeap) Less(i, j int) bool { return h[i].at.Before(h[j].at) }
func (h dueHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *dueHeap) Push(x any)        { *h = append(*h, x.(due)) }
func (h *dueHeap) Pop() any {
	old := *h
	it := old[len(old)-1]
	*h = old[:len(old)-1]
	return it
}

func simulate(cfg simConfig) simResult {
	res, _ := simulateObs(cfg, nil)
	return res
}

// simulateObs is simulate with prior given to the schedule first; it also
// returns what the run observed, as the state file would keep it.
func simulateObs(cfg simConfig, prior []pollsched.Observation) (simResult, []pollsched.Observation) {
	egOrders, egGap := pollsched.EndgameOrders, pollsched.EndgameGap
	if cfg.egOrders > 0 {
		egOrders = cfg.egOrders
	}
	if cfg.egGap != nil {
		egGap = cfg.egGap
	}
	r := rand.New(rand.NewPCG(cfg.seed, 3))
	s := pollsched.New(cfg.sched)
	s.Prior(prior)
	var seen []pollsched.Observation
	slot := time.Duration(float64(time.Second) / cfg.qps)
	readyAt := make([]time.Time, cfg.companies) // at the server
	var res simResult
	var polls dueHeap
	next, open := 0, cfg.companies
	for k := 0; open > 0; k++ {
		t := t0.Add(time.Duration(k) * slot)
		server, answer := t.Add(cfg.latency/2), t.Add(cfg.latency)
		if next < cfg.companies { // an order always waits: it takes the slot
			readyAt[next] = server.Add(cfg.gen(r))
			res.lastReady = max(res.lastReady, readyAt[next].Sub(t0))
			res.calls++
			heap.Push(&polls, due{at: s.NextPoll(answer, answer, answer.Add(cfg.timeout)), i: next, ordered: answer, prevAt: answer})
			next++
			if next == cfg.companies {
				res.lastOrder = answer.Sub(t0)
				if cfg.afterQ > 0 {
					s.SetQuantile(cfg.afterQ)
				}
			}
			continue
		}
		if cfg.endgame && next == cfg.companies && open <= egOrders {
			limit := t.Add(egGap(t.Sub(t0)))
			for j := range polls {
				if polls[j].at.After(limit) {
					polls[j].at = limit
				}
			}
			heap.Init(&polls)
		}
		if polls[0].at.After(t) { // idle until the first poll is due
			k = int((polls[0].at.Sub(t0)+slot-1)/slot) - 1
			continue
		}
		p := heap.Pop(&polls).(due)
		if !cfg.noRecheck {
			at := s.NextPoll(p.ordered, p.prevAt, p.ordered.Add(cfg.timeout))
			if cfg.endgame && open <= egOrders && next == cfg.companies {
				at = p.at
			}
			if at.After(t) {
				p.at = at
				heap.Push(&polls, p)
				k--
				continue
			}
		}
		res.calls++
		if !server.Before(readyAt[p.i]) {
			s.Done(p.ordered, p.prevAt, answer)
			seen = append(seen, pollsched.Observation{Ordered: p.ordered, Pending: p.prevAt, Done: answer})
			res.end = max(res.end, answer.Sub(t0))
			open--
			continue
		}
		res.pollsFoundP++
		if p.prevAt.Equal(p.ordered) {
			res.firstP++
		}
		if !cfg.noPending {
			s.Pending(p.ordered, p.prevAt, answer)
		}
		nextAt := s.NextPoll(p.ordered, answer, p.ordered.Add(cfg.timeout))
		if cfg.endgame && next == cfg.companies && open <= egOrders {
			nextAt = minTime(nextAt, answer.Add(egGap(answer.Sub(t0))))
		}
		if cfg.trace != nil {
			cfg.trace(t.Sub(t0), answer.Sub(p.ordered), nextAt.Sub(answer))
		}
		heap.Push(&polls, due{at: nextAt, i: p.i, ordered: p.ordered, prevAt: answer})
	}
	return res, seen
}

// exponential is issue 22's third case: median 20 s, capped at 180 s.
func exponential(r *rand.Rand) time.Duration {
	return min(time.Duration(float64(20*time.Second)*math.Log2(1/(1-r.Float64()))), 180*time.Second)
}

// bimodal is issue 15's second case: 70 % of reports fast, 30 % slow.
func bimodal(r *rand.Rand) time.Duration {
	if r.Float64() < 0.7 {
		return lognormal{median: 10 * time.Second, sigma: 0.5, max: 180 * time.Second}.sample(r)
	}
	return lognormal{median: 90 * time.Second, sigma: 0.4, max: 180 * time.Second}.sample(r)
}

// TestSimulation_Issue15 replays the benchmark of issue 15 in virtual time,
// with the wiring batch is meant to use (orders first at the limiter, q 0.9
// for first polls and 0.5 for later ones once every order is placed, a due
// poll asked again): companies at --qps 20 with 50 ms latency, generation
// times lognormal (median 20 s, sigma 0.75, cap 180 s) or bimodal. The
// issue's targets for 600 companies: at most 2.20 calls per company, the
// last order within 1.2 × 600/20 s, the end within 10 % of the last
// report's ready time. Each case averages ten seeds: the end is set by one
// report, so a single run is noisy.
func TestSimulation_Issue15(t *testing.T) {
	tests := []struct {
		name      string
		companies int
		gen       func(r *rand.Rand) time.Duration
		afterQ    float64
		noRecheck bool
		noPending bool          // feed only the finished orders to the schedule
		maxGap    time.Duration // Config.MaxGap [120s]
		firstMax  time.Duration // Config.FirstMaxGap [2.5 × maxGap]
		// bounds on the means over the seeds
		maxCalls, maxEndOverLast float64
		minCalls                 float64 // for the cases kept to show what they cost
	}{
		{name: "600 lognormal", companies: 600, gen: issue15.sample, afterQ: 0.5, maxCalls: 2.20, maxEndOverLast: 1.10},
		{name: "1000 lognormal", companies: 1000, gen: issue15.sample, afterQ: 0.5, maxCalls: 2.20, maxEndOverLast: 1.10},
		{name: "2000 lognormal", companies: 2000, gen: issue15.sample, afterQ: 0.5, maxCalls: 2.20, maxEndOverLast: 1.10},
		// A first poll at q 0.97 of the bimodal is past 60 s: a 60 s cap
		// on every gap, the first too, makes a quarter of the orders need
		// more polls.
		{name: "600 bimodal", companies: 600, gen: bimodal, afterQ: 0.5, maxCalls: 2.25, maxEndOverLast: 1.10},
		{name: "600 bimodal, gaps up to 60 s", companies: 600, gen: bimodal, afterQ: 0.5, maxGap: time.Minute, firstMax: time.Minute, minCalls: 2.4, maxCalls: 2.7, maxEndOverLast: 1.10},
		{name: "600 bimodal, gaps up to 60 s but the first", companies: 600, gen: bimodal, afterQ: 0.5, maxGap: time.Minute, maxCalls: 2.25, maxEndOverLast: 1.10},
		// With gaps up to 5 min the first polls (q 0.99) come past the
		// 180 s cap: barely more than 2 calls, and an end a third late.
		{name: "600 bimodal, gaps up to 5 min: fewer calls, a later end", companies: 600, gen: bimodal, afterQ: 0.5, maxGap: 5 * time.Minute, maxCalls: 2.10, maxEndOverLast: 1.45},
		{name: "600 lognormal, gaps up to 5 min", companies: 600, gen: issue15.sample, afterQ: 0.5, maxGap: 5 * time.Minute, maxCalls: 2.20, maxEndOverLast: 1.10},
		{name: "600 lognormal, q 0.9 throughout: fewer calls, a later end", companies: 600, gen: issue15.sample, maxCalls: 2.15, maxEndOverLast: 1.20},
		{name: "600 lognormal, due polls not asked again", companies: 600, gen: issue15.sample, afterQ: 0.5, noRecheck: true, minCalls: 2.4, maxCalls: 3, maxEndOverLast: 1.10},
		{name: "600 lognormal, pending orders not counted", companies: 600, gen: issue15.sample, afterQ: 0.5, noPending: true, minCalls: 2.3, maxCalls: 3.5, maxEndOverLast: 1.20},
	}
	const seeds = 10
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var calls, ratio, worst float64
			for seed := uint64(1); seed <= seeds; seed++ {
				res := simulate(simConfig{
					companies: tc.companies, qps: 20, latency: 50 * time.Millisecond,
					gen: tc.gen, seed: seed, timeout: 2 * time.Hour,
					afterQ: tc.afterQ, noRecheck: tc.noRecheck, noPending: tc.noPending, endgame: true,
					sched: pollsched.Config{MaxGap: tc.maxGap, FirstMaxGap: tc.firstMax},
				})
				r := res.end.Seconds() / res.lastReady.Seconds()
				calls += res.callsPerCompany(tc.companies) / seeds
				ratio += r / seeds
				worst = max(worst, r)
				t.Logf("seed %2d: %.3f calls per company, %4d polls found P, last order %v, last ready %v, end %v (%.3f×)",
					seed, res.callsPerCompany(tc.companies), res.pollsFoundP, res.lastOrder, res.lastReady.Round(time.Second), res.end.Round(time.Second), r)
				assert.LessOrEqual(t, res.lastOrder.Seconds(), 1.2*float64(tc.companies)/20, "seed %d: orders first", seed)
			}
			t.Logf("mean: %.3f calls per company, end %.3f× the last ready (worst %.3f×)", calls, ratio, worst)
			assert.LessOrEqual(t, calls, tc.maxCalls)
			assert.GreaterOrEqual(t, calls, tc.minCalls)
			assert.LessOrEqual(t, ratio, tc.maxEndOverLast)
		})
	}
}

// TestSimulation_Issue22ReadyAtOnce: 240 reports ready at once, --qps 40,
// --poll-interval 1s. Orders take every slot first, so each first poll
// finds its report ready after a wait behind them; the estimate must not
// learn that wait as a generation time (it did: 68 % of the budget), so
// every slot is used: 480 calls in about 12 s.
func TestSimulation_Issue22ReadyAtOnce(t *testing.T) {
	res := simulate(simConfig{companies: 240, qps: 40, latency: 50 * time.Millisecond, seed: 1, timeout: 2 * time.Hour,
		gen: func(*rand.Rand) time.Duration { return 0 }, afterQ: 0.5,
		sched: pollsched.Config{Interval: time.Second, MinGap: time.Second}})
	used := float64(res.calls) / res.end.Seconds() / 40
	t.Logf("%d calls, end %v: %.1f %% of the budget", res.calls, res.end, 100*used)
	assert.Equal(t, 480, res.calls)
	assert.GreaterOrEqual(t, used, 0.95)
}

// TestSimulation_Issue22Prior: a second run given the first's observations
// as its prior (Schedule.Prior) places its first polls by them from the
// start: fewer calls than the first run, which polled at --poll-interval
// until it had learned.
func TestSimulation_Issue22Prior(t *testing.T) {
	for _, tc := range []struct {
		name string
		gen  func(r *rand.Rand) time.Duration
	}{{"lognormal", issue15.sample}, {"bimodal", bimodal}, {"exponential", exponential}} {
		t.Run(tc.name, func(t *testing.T) {
			var first, second float64
			for seed := uint64(1); seed <= 5; seed++ {
				cfg := simConfig{companies: 600, qps: 20, latency: 50 * time.Millisecond, gen: tc.gen, seed: seed,
					timeout: 2 * time.Hour, afterQ: pollsched.AfterOrdersQuantile, endgame: true}
				res, obs := simulateObs(cfg, nil)
				first += res.callsPerCompany(600) / 5
				cfg.seed += 100
				res2, _ := simulateObs(cfg, obs)
				second += res2.callsPerCompany(600) / 5
				assert.LessOrEqual(t, res2.end.Seconds()/res2.lastReady.Seconds(), 1.2, "seed %d", seed)
			}
			t.Logf("calls per company: first run %.3f, second run %.3f", first, second)
			assert.Less(t, second, first)
		})
	}
}

func minTime(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}

// runPair is issue 22's benchmark in the simulation: a first run of 600
// companies at --qps 20 with 50 ms latency, wired as batch is (orders
// first, q AfterOrdersQuantile once every order is placed, the endgame),
// then a second run over 600 new companies given the first's observations
// as its prior, both over seeds. sched and the endgame's figures can be
// changed to tune them (egOrders 0 and egGap nil keep the package's).
func runPair(gen func(r *rand.Rand) time.Duration, seeds uint64, sched pollsched.Config, afterQ float64,
	egOrders int, egGap func(time.Duration) time.Duration) (o pairResult) {
	n := float64(seeds)
	for seed := uint64(1); seed <= seeds; seed++ {
		cfg := simConfig{companies: 600, qps: 20, latency: 50 * time.Millisecond, gen: gen, seed: seed,
			timeout: 2 * time.Hour, afterQ: afterQ, endgame: true, egOrders: egOrders, egGap: egGap, sched: sched}
		res, obs := simulateObs(cfg, nil)
		r := res.end.Seconds() / res.lastReady.Seconds()
		o.calls1 += res.callsPerCompany(600) / n
		o.end1 += r / n
		o.worst1 = max(o.worst1, r)
		cfg.seed += 100
		res2, _ := simulateObs(cfg, obs)
		r = res2.end.Seconds() / res2.lastReady.Seconds()
		o.calls2 += res2.callsPerCompany(600) / n
		o.end2 += r / n
		o.worst2 = max(o.worst2, r)
	}
	return o
}

// pairResult holds the means over the seeds of runPair (end: the run's end
// over the last report's ready time) and the worst ends.
type pairResult struct{ calls1, end1, worst1, calls2, end2, worst2 float64 }

func (r pairResult) String() string {
	return fmt.Sprintf("first run %.3f calls per company, end %.3f× (worst %.3f×); second run %.3f calls per company, end %.3f× (worst %.3f×)",
		r.calls1, r.end1, r.worst1, r.calls2, r.end2, r.worst2)
}

// sandboxBimodal is the sandbox's bimodal of testdata/bench.sh (--gen-dist
// bimodal --gen-median 10s --gen-slow-median 90s --gen-slow-share 0.3
// --gen-sigma 0.3 --gen-max 180s).
func sandboxBimodal(r *rand.Rand) time.Duration {
	if r.Float64() < 0.7 {
		return lognormal{median: 10 * time.Second, sigma: 0.3, max: 180 * time.Second}.sample(r)
	}
	return lognormal{median: 90 * time.Second, sigma: 0.3, max: 180 * time.Second}.sample(r)
}

// TestSimulation_Issue22Targets: issue 22's targets, as means over 30
// seeds: a first run at most 2.12 calls per company and ending within
// 1.05× of the last report's ready time, a second run on its observations
// at most 2.05 calls per company, for the sandbox's lognormal, bimodal and
// exponential generation times.
//
// The second run of the bimodal could not meet 2.05 while every gap,
// the first included, was at most 120 s: a first poll at 120 s finds 5 %
// of its reports pending (the slow part, median 90 s, sigma 0.3: 30 % ×
// P(T > 120 s) = 30 % × 16.9 %), each of which needs another poll: 2.05
// calls per company before any other (2.094 measured here). The first
// poll may now come up to Config.FirstMaxGap after the order, where the
// observations reach: 2.008.
func TestSimulation_Issue22Targets(t *testing.T) {
	for _, tc := range []struct {
		name                 string
		gen                  func(r *rand.Rand) time.Duration
		calls1, end1, calls2 float64
	}{
		{"lognormal", issue15.sample, 2.12, 1.05, 2.05},
		{"sandbox bimodal", sandboxBimodal, 2.12, 1.05, 2.05},
		{"exponential", exponential, 2.12, 1.05, 2.05},
		{"issue 15's bimodal", bimodal, 2.12, 1.10, 2.05},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := runPair(tc.gen, 30, pollsched.Config{}, pollsched.AfterOrdersQuantile, 0, nil)
			t.Log(r)
			assert.LessOrEqual(t, r.calls1, tc.calls1)
			assert.LessOrEqual(t, r.end1, tc.end1)
			assert.LessOrEqual(t, r.calls2, tc.calls2)
		})
	}
}

// TestSimulation_Issue22PastData: early in a run every first poll comes
// at about the same age (q 0.99, or --poll-max), and the estimate knows
// little past it: its constant-hazard guess put the next poll of slow
// orders still pending there up to a MaxGap later, after their reports
// were ready, and a bimodal run ended up to 1.3× after its last report.
// Config.PastData keeps such a poll within half the order's age of the
// ages observed. Since the first poll may wait past 120 s where the
// observations reach (Config.FirstMaxGap), the sandbox's narrow bimodal
// no longer needs the bound; issue 15's wider one and the exponential,
// whose tails reach past the ages observed early in a run, still do.
func TestSimulation_Issue22PastData(t *testing.T) {
	for _, tc := range []struct {
		name string
		gen  func(r *rand.Rand) time.Duration
	}{{"issue 15's bimodal", bimodal}, {"exponential", exponential}} {
		t.Run(tc.name, func(t *testing.T) {
			with := runPair(tc.gen, 40, pollsched.Config{}, pollsched.AfterOrdersQuantile, 0, nil)
			without := runPair(tc.gen, 40, pollsched.Config{PastData: -1}, pollsched.AfterOrdersQuantile, 0, nil)
			t.Logf("with the bound: %v", with)
			t.Logf("without: %v", without)
			assert.Greater(t, without.end1, with.end1)
			assert.Greater(t, without.worst1, with.worst1)
		})
	}
}

// TestSimulation_Issue22Grid is how the figures of the schedule were
// chosen: QCC_POLLSCHED_GRID=1 go test -run Issue22Grid -v prints
// runPair's figures over a grid of them.
func TestSimulation_Issue22Grid(t *testing.T) {
	if os.Getenv("QCC_POLLSCHED_GRID") == "" {
		t.Skip("QCC_POLLSCHED_GRID is not set")
	}
	dists := []struct {
		name string
		gen  func(r *rand.Rand) time.Duration
	}{{"logn", issue15.sample}, {"bimod", bimodal}, {"sbxbim", sandboxBimodal}, {"expo", exponential}}
	for _, fq := range []float64{0.97, 0.99} {
		for _, aq := range []float64{0.6, 0.75, 0.9} {
			for _, eo := range []int{6, 8} {
				for _, ef := range []float64{0.02, 0.04} {
					for _, pd := range []float64{-1, 0.5} {
						line := fmt.Sprintf("first q %.2f, q after orders %.2f, endgame %d orders %.0f %%, past data %.1f:", fq, aq, eo, 100*ef, pd)
						for _, d := range dists {
							r := runPair(d.gen, 10, pollsched.Config{FirstQuantile: fq, PastData: pd}, aq, eo,
								func(e time.Duration) time.Duration { return max(time.Second, time.Duration(ef*float64(e))) })
							line += fmt.Sprintf(" %s %.3f/%.3f/%.3f", d.name, r.calls1, r.end1, r.calls2)
						}
						t.Log(line)
					}
				}
			}
		}
	}
}
