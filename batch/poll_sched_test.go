package batch_test

import (
	"context"
	"fmt"
	"hash/fnv"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/qccbatch/qccbatch/batch"
	"github.com/qccbatch/qccbatch/batch/internal/pollsched"
	"github.com/qccbatch/qccbatch/client"
	"github.com/qccbatch/qccbatch/client/qcctest"
	"github.com/qccbatch/qccbatch/ratelimit"
)

// schedAPI sits between the run and the sandbox and keeps, for every order,
// when it was placed, when its report is ready and when it was polled.
//
// The sandbox (qcctest) answers every request — key, Token, rate limit,
// scripted names — with generation time 0; schedAPI turns its S into P
// until the order's ready time, which it draws itself: qcctest keeps only
// the latest ready time (Stats.LastReady), not each order's, and the
// invariant "a ready report is seen within one poll period" needs each
// order's.
type schedAPI struct {
	inner  batch.API
	median time.Duration
	sigma  float64
	max    time.Duration

	mu     sync.Mutex
	calls  []time.Time // every API call, when it reached schedAPI (after the limiter)
	orders map[string]*schedOrder
}

type schedOrder struct {
	searchKey string
	placed    time.Time // when CreateReport returned
	ready     time.Time // placed + the drawn generation time; zero for 处理中 (never)
	polls     []schedPoll
}

type schedPoll struct {
	at     time.Time
	status string
}

// genTime draws a lognormal generation time from the order number alone,
// so a run is repeatable up to the clock.
func (a *schedAPI) genTime(no string) time.Duration {
	h := fnv.New64a()
	h.Write([]byte(no))
	r := rand.New(rand.NewPCG(15, h.Sum64()))
	d := time.Duration(float64(a.median) * math.Exp(a.sigma*r.NormFloat64()))
	return min(d, a.max)
}

func (a *schedAPI) called() time.Time {
	now := time.Now()
	a.mu.Lock()
	a.calls = append(a.calls, now)
	a.mu.Unlock()
	return now
}

func (a *schedAPI) CreateReport(ctx context.Context, searchKey string, f client.Format) (string, error) {
	a.called()
	no, err := a.inner.CreateReport(ctx, searchKey, f)
	if err == nil {
		o := &schedOrder{searchKey: searchKey, placed: time.Now()}
		if !strings.Contains(searchKey, "处理中") {
			o.ready = o.placed.Add(a.genTime(no))
		}
		a.mu.Lock()
		a.orders[no] = o
		a.mu.Unlock()
	}
	return no, err
}

func (a *schedAPI) GetReportInfo(ctx context.Context, no string) (client.ReportInfo, error) {
	at := a.called()
	info, err := a.inner.GetReportInfo(ctx, no)
	if err != nil {
		return info, err
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	o := a.orders[no]
	if o != nil && info.Done() && at.Before(o.ready) {
		info = client.ReportInfo{Status: client.ReportProcessing}
	}
	if o != nil {
		o.polls = append(o.polls, schedPoll{at: at, status: info.Status})
	}
	return info, nil
}

func (a *schedAPI) Download(ctx context.Context, url string, w io.Writer, maxBytes int64) (int64, error) {
	return a.inner.Download(ctx, url, w, maxBytes)
}

// schedRun is the outcome of one run under schedAPI.
type schedRun struct {
	cfg  batch.Config
	api  *schedAPI
	srv  *qcctest.Server
	qps  float64
	took time.Duration
}

// runSched runs n companies, the first `never` of which stay P for ever, at
// --qps qps against the sandbox, with lognormal generation times of median
// 50 ms (sigma 0.75, at most 500 ms).
func runSched(t *testing.T, n, never int, qps float64) *schedRun {
	t.Helper()
	// A sandbox limit a little above --qps: a run that exceeds --qps for
	// any length of time gets code 120.
	srv := qcctest.New(t, qcctest.WithGenDelay(0), qcctest.WithRateLimit(qps*1.05))
	c, err := client.New(srv.BaseURL(), "sandbox", "sandbox", client.WithTimeout(5*time.Second))
	require.NoError(t, err)
	api := &schedAPI{inner: c, median: 50 * time.Millisecond, sigma: 0.75, max: 500 * time.Millisecond,
		orders: map[string]*schedOrder{}}

	dir := t.TempDir()
	in := filepath.Join(dir, "portfolio.csv")
	var b strings.Builder
	b.WriteString("客户编号,企业名称\r\n")
	for i := range n {
		name := fmt.Sprintf("调度测试企业%04d有限公司", i)
		if i < never {
			name = fmt.Sprintf("调度测试处理中企业%04d有限公司", i)
		}
		fmt.Fprintf(&b, "C%04d,%s\r\n", i, name)
	}
	require.NoError(t, os.WriteFile(in, []byte(b.String()), 0o600))
	cfg := batch.Config{
		Input:        in,
		Output:       filepath.Join(dir, "results.csv"),
		State:        filepath.Join(dir, "portfolio.qccstate"),
		ResultsLang:  "en",
		Concurrency:  8,
		PollInterval: 100 * time.Millisecond, // until the schedule has learned
		PollMax:      time.Second,            // MaxGap of the schedule
		Timeout:      1500 * time.Millisecond,
		Limiter:      ratelimit.New(qps),
		Backoff:      batch.Backoff{Base: time.Millisecond, Max: 2 * time.Millisecond, Sleep: noSleep},
	}
	start := time.Now()
	_, err = batch.Run(context.Background(), api, cfg)
	took := time.Since(start)
	// The 处理中 companies end pending ("polling timed out"): the run is
	// incomplete, and nothing else may be.
	var se *batch.StopError
	if never > 0 {
		require.ErrorAs(t, err, &se)
		require.Equal(t, batch.StopIncomplete, se.Stop, "%v", err)
		require.Contains(t, en(se), "polling timed out")
	} else {
		require.NoError(t, err)
	}
	return &schedRun{cfg: cfg, api: api, srv: srv, qps: qps, took: took}
}

// The scheduler's invariants (issue 15) on one run of 240 companies at
// --qps 200 whose reports take ~50 ms (at most 500 ms), 3 of which never
// finish: orders first; never more than --qps requests in a second; every
// pending order polled again within --timeout; every ready report seen
// within one poll period. Bounds are generous: the test must not flake on a
// loaded machine, and a broken invariant misses them by far.
func TestPollSchedule_Invariants(t *testing.T) {
	if testing.Short() {
		t.Skip("a 2-3 s run")
	}
	const n, never, qps = 240, 3, 200.0
	r := runSched(t, n, never, qps)
	t.Logf("run took %v", r.took)
	a := r.api
	a.mu.Lock()
	defer a.mu.Unlock()
	require.Len(t, a.orders, n, "one order per company")

	var firstOrder, lastOrder time.Time
	for _, o := range a.orders {
		if firstOrder.IsZero() || o.placed.Before(firstOrder) {
			firstOrder = o.placed
		}
		if o.placed.After(lastOrder) {
			lastOrder = o.placed
		}
	}
	var polls, pollsBefore int
	for _, o := range a.orders {
		for _, p := range o.polls {
			polls++
			if p.at.Before(lastOrder) {
				pollsBefore++
			}
		}
	}
	t.Logf("orders placed over %v (%.0f/s); polls %d, %d of them before the last order",
		lastOrder.Sub(firstOrder).Round(time.Millisecond), float64(n-1)/lastOrder.Sub(firstOrder).Seconds(), polls, pollsBefore)

	t.Run("orders first", func(t *testing.T) {
		// Most first polls come due (~0.1-0.9 s after their order) while
		// orders are still being placed; orders go first at the limiter, so
		// they keep the budget and those polls wait. Polls only take a slot
		// no order waits for (between an order's journal write and its
		// request), so few come before the last order, and ordering runs
		// near --qps.
		assert.LessOrEqual(t, pollsBefore, polls/8, "polls before the last order")
		ideal := time.Duration(float64(n-1) / qps * float64(time.Second))
		assert.LessOrEqual(t, lastOrder.Sub(firstOrder), ideal*3/2+300*time.Millisecond,
			"placing %d orders at --qps %v (ideal %v)", n, qps, ideal)
	})

	t.Run("never more than --qps", func(t *testing.T) {
		// A token bucket of burst 1 grants at most qps+1 requests in any
		// closed 1 s window; the calls are stamped after the grant, so
		// allow a few for goroutine scheduling.
		calls := append([]time.Time(nil), a.calls...)
		sort.Slice(calls, func(i, j int) bool { return calls[i].Before(calls[j]) })
		most, j := 0, 0
		for i := range calls {
			for calls[i].Sub(calls[j]) >= time.Second {
				j++
			}
			most = max(most, i-j+1)
		}
		assert.LessOrEqual(t, most, int(qps)+4, "API calls in one second at --qps %v", qps)
		assert.Zero(t, r.srv.Throttled(), "code-120 answers from a sandbox limited to 1.05 × --qps")
	})

	// Orders go first, so while they are being placed a poll waits, by
	// design, for the last of them, then for its turn among the polls that
	// waited with it (at most one per order, at --qps; allow half of it on
	// a loaded machine). wait(t) is that allowance for a poll due at t;
	// past it, a poll comes when the schedule says.
	period := max(r.cfg.PollMax, r.cfg.PollInterval)
	// An order's first poll may come later, where the reports seen so far
	// took longer (pollsched.Config.FirstMaxGap).
	firstPeriod := max(time.Duration(pollsched.FirstMaxGapFactor*float64(r.cfg.PollMax)), r.cfg.PollInterval)
	drain := time.Duration(2 * float64(n) / qps * float64(time.Second))
	wait := func(due time.Time) time.Duration {
		return max(lastOrder.Sub(due), 0) + drain + 300*time.Millisecond
	}

	t.Run("pending orders polled within --timeout", func(t *testing.T) {
		seen := 0
		for no, o := range a.orders {
			prev, gap := o.placed, firstPeriod
			for _, p := range o.polls {
				assert.LessOrEqual(t, p.at.Sub(prev), gap+wait(prev.Add(gap)), "order %s: a gap between polls", no)
				prev, gap = p.at, period
			}
			if !o.ready.IsZero() {
				continue
			}
			seen++
			// Polled until --timeout, the last time at its deadline (not
			// given up a gap before it) or as soon after it as the queue
			// allows.
			require.NotEmpty(t, o.polls, "order %s never polled", no)
			last := o.polls[len(o.polls)-1]
			assert.Equal(t, client.ReportProcessing, last.status)
			age := last.at.Sub(o.placed)
			assert.GreaterOrEqual(t, age, r.cfg.Timeout-50*time.Millisecond, "order %s: last poll %v after the order", no, age)
			assert.LessOrEqual(t, age, r.cfg.Timeout+wait(o.placed.Add(r.cfg.Timeout)), "order %s: last poll %v after the order", no, age)
		}
		assert.Equal(t, never, seen)
	})

	t.Run("ready seen within one poll period", func(t *testing.T) {
		// The poll that saw S came at most one poll period (the longest gap
		// the schedule may choose, or --poll-interval before it has
		// learned; for a first poll the longest first gap) after the
		// report was ready, plus the wait for orders and queued polls.
		var late []time.Duration
		for no, o := range a.orders {
			if o.ready.IsZero() {
				continue
			}
			require.NotEmpty(t, o.polls, "order %s never polled", no)
			last := o.polls[len(o.polls)-1]
			require.Equal(t, client.ReportSucceeded, last.status, "order %s", no)
			for _, p := range o.polls[:len(o.polls)-1] {
				assert.True(t, p.at.Before(o.ready), "order %s: a poll after its ready time said P", no)
			}
			late = append(late, last.at.Sub(o.ready))
			p := period
			if len(o.polls) == 1 {
				p = firstPeriod
			}
			assert.LessOrEqual(t, last.at.Sub(o.ready), p+wait(o.ready.Add(p)),
				"order %s: ready at +%v, seen at +%v", no, o.ready.Sub(o.placed), last.at.Sub(o.placed))
		}
		sort.Slice(late, func(i, j int) bool { return late[i] < late[j] })
		t.Logf("S seen after ready: median %v, p90 %v, max %v (period %v, drain allowance %v)",
			late[len(late)/2], late[len(late)*9/10], late[len(late)-1], period, drain)
	})
}
