package batch_test

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/qccbatch/qccbatch/batch"
	"github.com/qccbatch/qccbatch/batch/outcome"
	"github.com/qccbatch/qccbatch/client"
	"github.com/qccbatch/qccbatch/client/qcctest"
	"github.com/qccbatch/qccbatch/ratelimit"
)

// The shared setup of the pipeline tests: a fake API, a portfolio of
// named companies, a run with a deadline, and the results it wrote.

// env is one end-to-end test setup: a fake API on loopback, a portfolio on
// disk and a config that runs fast (no real backoff sleeps).
type env struct {
	t     *testing.T
	srv   *qcctest.Server
	dir   string
	cfg   batch.Config
	names []string
}

func noSleep(ctx context.Context, _ time.Duration) error { return ctx.Err() }

func newEnv(t *testing.T, names []string, opts ...qcctest.Option) *env {
	t.Helper()
	srv := qcctest.New(t, append([]qcctest.Option{qcctest.WithGenDelay(0)}, opts...)...)
	dir := t.TempDir()
	in := filepath.Join(dir, "portfolio.csv")
	var b strings.Builder
	b.WriteString("客户编号,企业名称\r\n")
	for i, n := range names {
		fmt.Fprintf(&b, "C%04d,%s\r\n", i+1, n)
	}
	require.NoError(t, os.WriteFile(in, []byte(b.String()), 0o600))
	e := &env{t: t, srv: srv, dir: dir, names: names}
	e.cfg = batch.Config{
		Input:        in,
		Output:       filepath.Join(dir, "results.csv"),
		State:        filepath.Join(dir, "portfolio.qccstate"),
		ResultsLang:  "en",
		Concurrency:  8,
		PollInterval: time.Millisecond,
		PollMax:      5 * time.Millisecond,

		Backoff: batch.Backoff{Base: time.Millisecond, Max: 2 * time.Millisecond, Sleep: noSleep},
	}
	return e
}

func (e *env) client(key, secret string) *client.Client {
	c, err := client.New(e.srv.BaseURL(), key, secret, client.WithTimeout(2*time.Second))
	require.NoError(e.t, err)
	return c
}

// runDeadline bounds a run whose context has no deadline of its own, so a
// regression that makes a run hang fails its test instead of hanging it.
const runDeadline = 60 * time.Second

// run runs the pipeline with the sandbox credentials, within ctx's deadline
// or, without one, runDeadline.
func (e *env) run(ctx context.Context, api batch.API) (*batch.RunSummary, error) {
	e.t.Helper()
	if api == nil {
		api = e.client("sandbox", "sandbox")
	}
	cfg := e.cfg
	cfg.Limiter = ratelimit.New(0)
	if _, ok := ctx.Deadline(); !ok {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, runDeadline)
		defer cancel()
		defer func() {
			if errors.Is(ctx.Err(), context.DeadlineExceeded) {
				e.t.Errorf("the run did not end within %s (the test's default deadline)", runDeadline)
			}
		}()
	}
	return batch.Run(ctx, api, cfg)
}

// results reads the results CSV back: one map per row, keyed by header.
func (e *env) results() []map[string]string {
	e.t.Helper()
	data, err := os.ReadFile(e.cfg.Output)
	require.NoError(e.t, err)
	require.True(e.t, strings.HasPrefix(string(data), "\ufeff"), "results CSV starts with a BOM")
	recs, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(string(data), "\ufeff"))).ReadAll()
	require.NoError(e.t, err)
	var rows []map[string]string
	for _, rec := range recs[1:] {
		m := map[string]string{}
		for i, h := range recs[0] {
			m[h] = rec[i]
		}
		rows = append(rows, m)
	}
	return rows
}

// requireFinal checks that a run ended with every row final: exit 0, or
// exit 5 (StopUncertain) when some rows need a person.
func requireFinal(t *testing.T, err error, msgAndArgs ...any) {
	t.Helper()
	if err == nil {
		return
	}
	var se *batch.StopError
	require.ErrorAs(t, err, &se, msgAndArgs...)
	require.Equal(t, batch.StopUncertain, se.Stop, msgAndArgs...)
}

func companyNames(n int) []string {
	names := make([]string, n)
	for i := range names {
		names[i] = fmt.Sprintf("测试科技有限公司%04d", i+1)
	}
	return names
}

// assertNoDoubleOrder checks the invariant of SPEC: no company was ordered
// twice unless its row is uncertain (or a re-order was asked for).
func (e *env) assertNoDoubleOrder(rows []map[string]string) {
	e.t.Helper()
	for _, r := range rows {
		n := e.srv.Orders(r["企业名称"])
		if r["outcome"] != string(outcome.Uncertain) {
			assert.LessOrEqual(e.t, n, 1, "company %s ordered %d times (outcome %s)", r["企业名称"], n, r["outcome"])
		}
	}
}
