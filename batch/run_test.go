package batch_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/qccbatch/qccbatch/batch"
	"github.com/qccbatch/qccbatch/batch/input"
	"github.com/qccbatch/qccbatch/batch/outcome"
	"github.com/qccbatch/qccbatch/client"
	"github.com/qccbatch/qccbatch/client/qcctest"
)

func TestRun_Clean(t *testing.T) {
	e := newEnv(t, companyNames(40))
	rep, err := e.run(context.Background(), nil)
	require.NoError(t, err)
	assert.Equal(t, 40, rep.NewOrders)
	assert.Equal(t, 40, rep.Counts[outcome.Ready])
	rows := e.results()
	require.Len(t, rows, 40)
	for i, r := range rows {
		assert.Equal(t, e.names[i], r["企业名称"], "input order and original columns kept")
		assert.Equal(t, fmt.Sprintf("C%04d", i+1), r["客户编号"])
		assert.Equal(t, "ready", r["outcome"])
		assert.NotEmpty(t, r["order_no"])
		assert.NotEmpty(t, r["report_url"])
		assert.Equal(t, 1, e.srv.Orders(e.names[i]))
	}
	assert.Equal(t, 40, e.srv.TotalOrders())

	// A rerun with the same state file orders nothing and polls nothing.
	creates, polls, _ := e.srv.Requests()
	rep, err = e.run(context.Background(), nil)
	require.NoError(t, err)
	assert.Equal(t, 0, rep.NewOrders)
	c2, p2, _ := e.srv.Requests()
	assert.Equal(t, creates, c2, "rerun sent no CreateReport")
	assert.Equal(t, polls, p2, "rerun sent no GetReportInfo")
	assert.Equal(t, 40, e.srv.TotalOrders())
}

func TestRun_DuplicatesOrderedOnce(t *testing.T) {
	names := []string{"甲公司有限", "乙公司有限", "甲公司有限", " 甲公司有限 ", "乙公司有限", "丙公司有限"}
	e := newEnv(t, names)
	rep, err := e.run(context.Background(), nil)
	require.NoError(t, err)
	assert.Equal(t, 3, rep.NewOrders)
	assert.Equal(t, 3, e.srv.TotalOrders())
	for _, n := range []string{"甲公司有限", "乙公司有限", "丙公司有限"} {
		assert.Equal(t, 1, e.srv.Orders(n), n)
	}
	rows := e.results()
	require.Len(t, rows, 6)
	assert.Equal(t, rows[0]["order_no"], rows[2]["order_no"], "duplicate rows share the order")
	assert.Equal(t, rows[0]["order_no"], rows[3]["order_no"])
	for _, r := range rows {
		assert.Equal(t, "ready", r["outcome"])
	}
}

func TestRun_ScriptedOutcomes(t *testing.T) {
	names := []string{"正常的公司甲", "这家公司不存在", "生成失败的公司", "某社会组织", "X", ""}
	e := newEnv(t, names)
	_, err := e.run(context.Background(), nil)
	require.NoError(t, err, "every row final")
	rows := e.results()
	got := []string{}
	for _, r := range rows {
		got = append(got, r["outcome"])
	}
	assert.Equal(t, []string{"ready", "not_found", "failed", "rejected", "invalid", "invalid"}, got)
	assert.Equal(t, 0, e.srv.Orders("X"), "one-character names are rejected locally, nothing spent")

	// --reorder-failed orders the failed company again, at most once a run.
	e.cfg.ReorderFailed = true
	_, err = e.run(context.Background(), nil)
	require.NoError(t, err)
	assert.Equal(t, 1+1, e.srv.Orders("生成失败的公司"))
	_, err = e.run(context.Background(), nil)
	require.NoError(t, err)
	assert.Equal(t, 1+2, e.srv.Orders("生成失败的公司"), "one more order per run")
	assert.Equal(t, 1, e.srv.Orders("正常的公司甲"))
}

func TestRun_FaultsEndFinalWithoutDoubleOrders(t *testing.T) {
	e := newEnv(t, companyNames(120),
		// Below the outage breaker (10 ambiguous of the last 20 orders).
		qcctest.WithErrorRate(0.08), qcctest.WithDropRate(0.1),
		qcctest.WithRateLimit(150), qcctest.WithLatency(2*time.Millisecond), qcctest.WithSeed(7))
	e.cfg.Backoff.Attempts = 30
	_, err := e.run(context.Background(), nil)
	requireFinal(t, err, "every row final: ready or uncertain")
	rows := e.results()
	uncertain := 0
	for _, r := range rows {
		require.Contains(t, []string{"ready", "uncertain"}, r["outcome"], r["message"])
		if r["outcome"] == "uncertain" {
			uncertain++
		}
	}
	e.assertNoDoubleOrder(rows)
	assert.Greater(t, uncertain, 0, "dropped answers leave some rows uncertain")

	// Only --reorder-uncertain orders those again.
	before := e.srv.OrderCounts()
	_, err = e.run(context.Background(), nil)
	requireFinal(t, err)
	assert.Equal(t, before, e.srv.OrderCounts(), "a plain rerun orders nothing")
}

func TestRun_ReorderUncertain(t *testing.T) {
	e := newEnv(t, []string{"会掉线的公司", "正常的公司乙"})
	_, err := e.run(context.Background(), nil)
	var se *batch.StopError
	require.ErrorAs(t, err, &se)
	assert.Equal(t, batch.StopUncertain, se.Stop, "exit 5: a person is needed")
	assert.Contains(t, en(se), "1 rows uncertain")
	assert.Equal(t, "uncertain", e.results()[0]["outcome"])
	assert.Equal(t, 1, e.srv.Orders("会掉线的公司"), "the dropped order was accepted by the server")

	e.cfg.ReorderUncertain = true
	_, err = e.run(context.Background(), nil)
	requireFinal(t, err, "dropped again: uncertain again")
	assert.Equal(t, 2, e.srv.Orders("会掉线的公司"), "ordered again only when asked")
	assert.Equal(t, 1, e.srv.Orders("正常的公司乙"))
}

func TestRun_QuotaStopsThenResumes(t *testing.T) {
	e := newEnv(t, companyNames(30))
	e.srv.SetQuota(10)
	e.cfg.Concurrency = 1
	_, err := e.run(context.Background(), nil)
	var se *batch.StopError
	require.ErrorAs(t, err, &se)
	assert.Equal(t, batch.StopQuota, se.Stop)
	assert.Contains(t, en(se), "112")
	assert.Equal(t, 10, e.srv.TotalOrders())
	rows := e.results()
	counts := map[string]int{}
	for _, r := range rows {
		counts[r["outcome"]]++
	}
	assert.Equal(t, 10, counts["ready"], "orders placed before the stop are still polled")
	assert.Equal(t, 20, counts["not_ordered"])

	e.srv.SetQuota(-1)
	_, err = e.run(context.Background(), nil)
	require.NoError(t, err)
	assert.Equal(t, 30, e.srv.TotalOrders())
	for _, n := range e.names {
		assert.Equal(t, 1, e.srv.Orders(n), n)
	}
}

func TestRun_WrongKeyOrdersNothing(t *testing.T) {
	e := newEnv(t, companyNames(10))
	_, err := e.run(context.Background(), e.client("wrong-key", "sandbox"))
	var se *batch.StopError
	require.ErrorAs(t, err, &se)
	assert.Equal(t, batch.StopAccount, se.Stop)
	assert.Contains(t, en(se), "101")
	assert.Equal(t, 0, e.srv.TotalOrders())
	creates, _, _ := e.srv.Requests()
	assert.LessOrEqual(t, creates, 8, "stops after the first answers, at most one per worker")
}

func TestRun_BadTokenMentionsClock(t *testing.T) {
	e := newEnv(t, companyNames(3))
	_, err := e.run(context.Background(), e.client("sandbox", "not-the-secret"))
	var se *batch.StopError
	require.ErrorAs(t, err, &se)
	assert.Contains(t, en(se), "115")
	assert.Contains(t, en(se), "clock")
	assert.NotContains(t, en(se), "not-the-secret")
}

func TestRun_BreakerStopsWrongColumn(t *testing.T) {
	names := make([]string, 40)
	for i := range names {
		names[i] = fmt.Sprintf("不支持的关键字%02d有限公司", i) // the sandbox answers 215
	}
	e := newEnv(t, names)
	e.cfg.Concurrency = 1
	_, err := e.run(context.Background(), nil)
	var se *batch.StopError
	require.ErrorAs(t, err, &se)
	assert.Equal(t, batch.StopFailing, se.Stop)
	assert.Contains(t, en(se), "column")
	creates, _, _ := e.srv.Requests()
	assert.Equal(t, 20, creates, "stopped after 20 answers")
	assert.Equal(t, 0, e.srv.TotalOrders())
}

// cancellingAPI cancels the run's context after n orders were accepted,
// as Ctrl-C would.
type cancellingAPI struct {
	batch.API
	n      int64
	count  atomic.Int64
	cancel context.CancelFunc
}

func (c *cancellingAPI) CreateReport(ctx context.Context, key string, f client.Format) (string, error) {
	no, err := c.API.CreateReport(ctx, key, f)
	if c.count.Add(1) == c.n {
		c.cancel()
	}
	return no, err
}

func TestRun_InterruptThenResume(t *testing.T) {
	e := newEnv(t, companyNames(60))
	e.cfg.Concurrency = 2
	ctx, cancel := context.WithCancel(context.Background())
	api := &cancellingAPI{API: e.client("sandbox", "sandbox"), n: 10, cancel: cancel}
	_, err := e.run(ctx, api)
	var se *batch.StopError
	require.ErrorAs(t, err, &se)
	assert.Equal(t, batch.StopIncomplete, se.Stop)
	assert.Contains(t, en(se), "interrupted")
	placed := e.srv.TotalOrders()
	assert.Less(t, placed, 60)
	assert.GreaterOrEqual(t, placed, 10)
	_, statErr := os.Stat(e.cfg.Output)
	require.NoError(t, statErr, "results written on interrupt")

	_, err = e.run(context.Background(), nil)
	require.NoError(t, err)
	for _, n := range e.names {
		assert.Equal(t, 1, e.srv.Orders(n), n)
	}
}

func TestRun_MaxOrders(t *testing.T) {
	e := newEnv(t, companyNames(25))
	e.cfg.MaxOrders = 10
	_, err := e.run(context.Background(), nil)
	var se *batch.StopError
	require.ErrorAs(t, err, &se)
	assert.Equal(t, batch.StopIncomplete, se.Stop)
	assert.Contains(t, en(se), "max-orders")
	assert.Equal(t, 10, e.srv.TotalOrders())
	_, err = e.run(context.Background(), nil)
	require.Error(t, err)
	assert.Equal(t, 20, e.srv.TotalOrders())
	_, err = e.run(context.Background(), nil)
	require.NoError(t, err)
	assert.Equal(t, 25, e.srv.TotalOrders())
}

func TestRun_Cooldown(t *testing.T) {
	e := newEnv(t, []string{"需要冷却的公司", "正常的公司丙"})
	_, err := e.run(context.Background(), nil)
	var se *batch.StopError
	require.ErrorAs(t, err, &se)
	assert.Equal(t, batch.StopIncomplete, se.Stop)
	rows := e.results()
	assert.Equal(t, "not_ordered", rows[0]["outcome"])
	assert.Contains(t, rows[0]["message"], "110")
	assert.Equal(t, "ready", rows[1]["outcome"])
	// Within the two hours, a rerun does not try again.
	creates, _, _ := e.srv.Requests()
	_, err = e.run(context.Background(), nil)
	require.Error(t, err)
	c2, _, _ := e.srv.Requests()
	assert.Equal(t, creates, c2)
}

func TestRun_SecretNeverWritten(t *testing.T) {
	const secret = "Sup3rSecretValue-9f8e7d"
	srvOpts := []qcctest.Option{qcctest.WithSecret(secret), qcctest.WithErrorRate(0.3), qcctest.WithSeed(3)}
	e := newEnv(t, companyNames(20), srvOpts...)
	_, err := e.run(context.Background(), e.client("sandbox", secret))
	if err != nil {
		assert.NotContains(t, en(err), secret)
	}
	for _, p := range []string{e.cfg.State, e.cfg.Output} {
		data, err := os.ReadFile(p)
		require.NoError(t, err)
		assert.NotContains(t, string(data), secret, p)
		assert.NotContains(t, string(data), strings.ToUpper(secret), p)
	}
}

func TestRun_InputErrorBeforeAnyCall(t *testing.T) {
	e := newEnv(t, companyNames(3))
	require.NoError(t, os.WriteFile(e.cfg.Input, []byte("foo,bar\r\n1,2\r\n"), 0o600))
	_, err := e.run(context.Background(), nil)
	var ie *input.Error
	require.True(t, errors.As(err, &ie), "got %v", err)
	creates, polls, _ := e.srv.Requests()
	assert.Zero(t, creates+polls)
}
