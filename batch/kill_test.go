package batch_test

import (
	"context"
	"math/rand/v2"
	"os"
	"os/exec"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/qccbatch/qccbatch/batch"
	"github.com/qccbatch/qccbatch/client"
	"github.com/qccbatch/qccbatch/client/qcctest"
	"github.com/qccbatch/qccbatch/ratelimit"
)

// TestHelperChildRun is not a test: the kill test re-executes the test
// binary with QCCBATCH_CHILD set, and this runs the pipeline in the child.
func TestHelperChildRun(t *testing.T) {
	if os.Getenv("QCCBATCH_CHILD") != "1" {
		t.Skip("only runs as the child of TestRun_KillNineThenResume")
	}
	c, err := client.New(os.Getenv("QCC_TEST_BASE"), "sandbox", "sandbox")
	if err != nil {
		os.Exit(10)
	}
	cfg := batch.Config{
		Input: os.Getenv("QCC_TEST_INPUT"), Output: os.Getenv("QCC_TEST_OUTPUT"), State: os.Getenv("QCC_TEST_STATE"),
		Lang: "en", Concurrency: 8, PollInterval: time.Millisecond, PollMax: 5 * time.Millisecond,
		Limiter: ratelimit.New(0),
	}
	_, err = batch.Run(context.Background(), c, cfg)
	if err != nil {
		os.Exit(4)
	}
	os.Exit(0)
}

// TestRun_KillNineThenResume kills a real process running the pipeline
// with SIGKILL at random moments, then resumes, and proves from the fake
// server's counts that no company was ordered twice unless its row is
// uncertain.
func TestRun_KillNineThenResume(t *testing.T) {
	if testing.Short() {
		t.Skip("re-executes the test binary")
	}
	e := newEnv(t, companyNames(300), qcctest.WithLatency(3*time.Millisecond), qcctest.WithDropRate(0.05), qcctest.WithSeed(11))
	rng := rand.New(rand.NewPCG(1, 2))
	kills := 0
	for trial := 0; trial < 6; trial++ {
		cmd := exec.Command(os.Args[0], "-test.run=^TestHelperChildRun$")
		cmd.Env = append(os.Environ(), "QCCBATCH_CHILD=1",
			"QCC_TEST_BASE="+e.srv.BaseURL(), "QCC_TEST_INPUT="+e.cfg.Input,
			"QCC_TEST_OUTPUT="+e.cfg.Output, "QCC_TEST_STATE="+e.cfg.State)
		require.NoError(t, cmd.Start())
		target := e.srv.TotalOrders() + 5 + rng.IntN(40)
		done := make(chan error, 1)
		go func() { done <- cmd.Wait() }()
		killed := false
	wait:
		for {
			select {
			case <-done:
				break wait
			case <-time.After(time.Millisecond):
				if e.srv.TotalOrders() >= target {
					_ = cmd.Process.Signal(syscall.SIGKILL)
					<-done
					killed = true
					break wait
				}
			}
		}
		if killed {
			kills++
		}
	}
	require.Greater(t, kills, 0, "at least one child was killed mid-run")

	// Resume to the end in this process.
	_, err := e.run(context.Background(), nil)
	requireFinal(t, err)
	rows := e.results()
	for _, r := range rows {
		assert.Contains(t, []string{"ready", "uncertain"}, r["outcome"])
	}
	e.assertNoDoubleOrder(rows)
	total := 0
	for _, n := range e.srv.OrderCounts() {
		total += n
	}
	assert.Equal(t, e.srv.TotalOrders(), total)
}

// TestRun_RateUtilisation: with 50 ms latency and --qps 40 the server sees
// at least 95% of 40 requests per second while orders go out, and never a
// throttling answer (its limit is the ceiling plus the burst).
func TestRun_RateUtilisation(t *testing.T) {
	if testing.Short() {
		t.Skip("takes a few seconds")
	}
	const qps = 40
	e := newEnv(t, companyNames(120), qcctest.WithLatency(50*time.Millisecond), qcctest.WithRateLimit(qps+1))
	e.cfg.PollInterval = 200 * time.Millisecond
	e.cfg.PollMax = 200 * time.Millisecond
	cfg := e.cfg
	cfg.Limiter = ratelimit.New(qps)
	start := time.Now()
	_, err := batch.Run(context.Background(), e.client("sandbox", "sandbox"), cfg)
	elapsed := time.Since(start).Seconds()
	require.NoError(t, err)
	creates, polls, _ := e.srv.Requests()
	calls := float64(creates + polls)
	// The last poll waits one poll interval after the last order: not a
	// period in which the budget could have been used.
	util := calls / ((elapsed - 0.2) * qps)
	t.Logf("requests=%v elapsed=%.2fs utilisation=%.1f%% throttled=%d", calls, elapsed, 100*util, e.srv.Throttled())
	assert.Zero(t, e.srv.Throttled(), "never over the limit")
	assert.GreaterOrEqual(t, util, 0.90)
}
