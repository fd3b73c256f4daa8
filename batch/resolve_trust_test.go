package batch_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/qccbatch/qccbatch/batch"
	"github.com/qccbatch/qccbatch/batch/identifier"
	"github.com/qccbatch/qccbatch/batch/journal"
	"github.com/qccbatch/qccbatch/batch/outcome"
	"github.com/qccbatch/qccbatch/client/qcctest"
)

// The tests of issue 18, item 7: resolve does not trust the vendor's list,
// nor an order number given by hand.

// requireRefused checks that a resolution was refused as a *ConfigError
// (exit 2) naming every one of names, and that the state file is as it was.
func requireRefused(t *testing.T, e *env, before []byte, err error, names ...string) {
	t.Helper()
	var ce *batch.ConfigError
	if assert.ErrorAs(t, err, &ce) { // not require: a test goes on to show what the next run would buy
		assert.NotContains(t, ce.Problem, "\n", "one line")
		for _, n := range names {
			assert.Contains(t, ce.Problem, n)
		}
	}
	after, rerr := os.ReadFile(e.cfg.State)
	require.NoError(t, rerr)
	assert.True(t, bytes.Equal(before, after), "refused: nothing changed")
}

// runCtx runs the pipeline with a deadline: a test never hangs.
func (e *env) runCtx(d time.Duration) (*batch.RunSummary, error) {
	e.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), d)
	defer cancel()
	return e.run(ctx, nil)
}

func placedOf(srv *qcctest.Server, searchKey string) qcctest.PlacedOrder {
	for _, o := range srv.OrderList() {
		if o.SearchKey == searchKey {
			return o
		}
	}
	return qcctest.PlacedOrder{}
}

// (a) A list said to be complete (--absent-not-ordered) that holds 2 of
// the state file's 20 orders in its span is refused, naming the 18 it
// lacks; the 10 uncertain companies are not bought again.
func TestResolve_AbsentNotOrderedRefusesAnIncompleteList(t *testing.T) {
	var names []string // two answered orders to one lost answer: the outage breaker stays quiet
	for i := 1; i <= 10; i++ {
		names = append(names, fmt.Sprintf("正常科技有限公司%02d", 2*i-1), fmt.Sprintf("正常科技有限公司%02d", 2*i), fmt.Sprintf("掉线科技有限公司%02d", i))
	}
	e := newEnv(t, names)
	_, err := e.runCtx(30 * time.Second)
	requireFinal(t, err)
	require.Equal(t, 30, e.srv.TotalOrders())

	var normal []qcctest.PlacedOrder
	for _, o := range e.srv.OrderList() { // oldest first
		if strings.HasPrefix(o.SearchKey, "正常") {
			normal = append(normal, o)
		}
	}
	require.Len(t, normal, 20)
	list := []qcctest.PlacedOrder{normal[0], normal[19]}
	path := filepath.Join(e.dir, "orders.csv")
	vendorCSV(t, path, list, "")
	before, _ := os.ReadFile(e.cfg.State)
	_, err = batch.Resolve(context.Background(), batch.ResolveConfig{State: e.cfg.State, Orders: path, AbsentNotOrdered: true, Apply: true, Lang: "en"})
	var missing []string
	for _, o := range normal[1:19] {
		missing = append(missing, o.OrderNo)
	}
	requireRefused(t, e, before, err, append(missing, "18 orders")...)

	_, err = e.runCtx(30 * time.Second)
	again := 0
	for i := 1; i <= 10; i++ {
		again += e.srv.Orders(fmt.Sprintf("掉线科技有限公司%02d", i)) - 1
	}
	assert.Zero(t, again, "companies ordered again")
	assert.Equal(t, 30, e.srv.TotalOrders(), "no company ordered again")
	requireFinal(t, err)

	// The whole list is accepted: the uncertain companies it lacks were
	// not ordered, and the next run orders them (once more each).
	vendorCSV(t, path, normal, "")
	plan, err := batch.Resolve(context.Background(), batch.ResolveConfig{State: e.cfg.State, Orders: path, AbsentNotOrdered: true, Apply: true, Lang: "en"})
	require.NoError(t, err)
	assert.Len(t, plan.Actions, 10)
}

// usccCode is a unified social credit code with a right check character.
func usccCode(t *testing.T, n int) string {
	t.Helper()
	first := fmt.Sprintf("914403%011d", 100000000+n)
	c, ok := identifier.USCCCheckChar(first)
	require.True(t, ok)
	return first + string(c)
}

// (b) A list with both 统一社会信用代码 and 企业名称 matches companies
// ordered by name too: the uncertain ones are found, and not bought again
// with --absent-not-ordered.
func TestResolve_ListWithNameAndCodeColumns(t *testing.T) {
	e := uncertainEnv(t)
	var b strings.Builder
	b.WriteString("\ufeff订单号,统一社会信用代码,企业名称,下单时间\r\n")
	for i, o := range e.srv.OrderList() {
		fmt.Fprintf(&b, "%s,%s,%s,%s\r\n", o.OrderNo, usccCode(t, i), o.SearchKey, o.At.In(batch.ChinaTime).Format("2006-01-02 15:04:05"))
	}
	path := filepath.Join(e.dir, "orders.csv")
	require.NoError(t, os.WriteFile(path, []byte(b.String()), 0o600))
	plan, err := batch.Resolve(context.Background(), batch.ResolveConfig{State: e.cfg.State, Orders: path, AbsentNotOrdered: true, Apply: true, Lang: "en"})
	require.NoError(t, err)
	require.Len(t, plan.Actions, 2)
	for _, a := range plan.Actions {
		assert.False(t, a.NotOrdered, "%s is in the list by name", a.SearchKey)
		assert.Equal(t, placedOf(e.srv, a.SearchKey).OrderNo, a.OrderNo)
	}
	assert.Empty(t, plan.Unknown)

	_, err = e.runCtx(30 * time.Second)
	assert.Equal(t, 3, e.srv.TotalOrders(), "no company ordered again")
	for _, r := range e.results() {
		assert.Equal(t, "ready", r["outcome"])
	}
	requireFinal(t, err)
}

// (c) One order number on lines of two companies, or a number the state
// file has for another company: refused naming the lines. (Such a line was
// skipped, and with --absent-not-ordered its company counted as absent
// and was bought again.)
func TestResolve_OrderNumberOfAnotherCompany(t *testing.T) {
	e := uncertainEnv(t)
	one, three := placedOf(e.srv, "掉线科技有限公司一"), placedOf(e.srv, "正常科技有限公司三")
	path := filepath.Join(e.dir, "orders.csv")
	before, _ := os.ReadFile(e.cfg.State)

	// One number, two companies (rows 2 and 3).
	two := one
	two.SearchKey = "掉线科技有限公司二"
	vendorCSV(t, path, []qcctest.PlacedOrder{one, two}, "")
	_, err := batch.Resolve(context.Background(), batch.ResolveConfig{State: e.cfg.State, Orders: path, AbsentNotOrdered: true, Apply: true, Lang: "en"})
	requireRefused(t, e, before, err, "one order number to two companies", one.OrderNo, "rows 2, 3")

	// The state file's order of 正常三, given to 掉线二 (row 3): it would
	// take 正常三's report for its own.
	stolen := three
	stolen.SearchKey = "掉线科技有限公司二"
	vendorCSV(t, path, []qcctest.PlacedOrder{one, stolen}, "")
	_, err = batch.Resolve(context.Background(), batch.ResolveConfig{State: e.cfg.State, Orders: path, AbsentNotOrdered: true, Apply: true, Lang: "en"})
	requireRefused(t, e, before, err, "row 3 has order "+three.OrderNo+" for 掉线科技有限公司二", "for 正常科技有限公司三")

	_, err = e.runCtx(30 * time.Second)
	assert.Equal(t, 3, e.srv.TotalOrders(), "no company ordered again: a line whose number is taken is no proof of absence")
	rows := e.results()
	assert.Equal(t, "uncertain", rows[1]["outcome"], "掉线二 has no report but its own")
	requireFinal(t, err)
}

// (d) List times without an offset are China time whatever the machine's
// zone: a stale list read on a machine in UTC covered today's requests,
// and the uncertain companies were bought again. Times in the future or
// before the state file began are refused.
func TestResolve_ListTimesAreChinaTime(t *testing.T) {
	// The list was read in the machine's zone: on a machine in UTC (a
	// container, CI) China times were 8 hours late. (time.Local is not set
	// here: the fake API's goroutines read it.)
	if _, off := time.Now().Zone(); off == 8*60*60 {
		t.Log("this machine is in UTC+8: the old misreading cannot show here")
	}
	e := uncertainEnv(t)
	now := time.Now()
	// Exported 7 hours ago: its last order was 7 hours ago, its first 9.
	// Read as UTC, its wall times (China time) end an hour from now.
	stale := []qcctest.PlacedOrder{
		{OrderNo: "OTHER1", SearchKey: "别人的科技有限公司一", At: now.Add(-9 * time.Hour)},
		{OrderNo: "OTHER2", SearchKey: "别人的科技有限公司二", At: now.Add(-7 * time.Hour)},
	}
	path := filepath.Join(e.dir, "orders.csv")
	vendorCSV(t, path, stale, "")
	l, err := batch.ReadOrderList(path, "en", nil)
	require.NoError(t, err)
	assert.WithinDuration(t, now.Add(-7*time.Hour), l.To, time.Second, "China time, not the machine's")

	before, _ := os.ReadFile(e.cfg.State)
	_, err = batch.Resolve(context.Background(), batch.ResolveConfig{State: e.cfg.State, Orders: path, AbsentNotOrdered: true, Apply: true, Lang: "en"})
	requireRefused(t, e, before, err, "before the state file began", "row 2", "row 3")
	_, err = e.runCtx(30 * time.Second)
	assert.Equal(t, 3, e.srv.TotalOrders(), "the uncertain companies were not bought again")
	requireFinal(t, err)

	// A list in another zone says so with --orders-tz: read in UTC, the
	// same wall times are 8 hours later.
	before, _ = os.ReadFile(e.cfg.State)
	l, err = batch.ReadOrderList(path, "en", time.UTC)
	require.NoError(t, err)
	assert.WithinDuration(t, now.Add(time.Hour), l.To, time.Second)
	_, err = batch.Resolve(context.Background(), batch.ResolveConfig{State: e.cfg.State, Orders: path, OrdersTZ: "UTC", Lang: "en"})
	requireRefused(t, e, before, err, "later than now", "row 3")
	_, err = batch.Resolve(context.Background(), batch.ResolveConfig{State: e.cfg.State, Orders: path, OrdersTZ: "Mars/Olympus", Lang: "en"})
	requireRefused(t, e, before, err, "--orders-tz")

	// A time with an offset keeps it.
	require.NoError(t, os.WriteFile(path, []byte("订单号,查询关键字,下单时间\n"+
		"O1,别人的科技有限公司一,2026-11-02T09:15:00+01:00\n"), 0o600))
	l, err = batch.ReadOrderList(path, "en", nil)
	require.NoError(t, err)
	assert.Equal(t, time.Date(2026, 11, 2, 8, 15, 0, 0, time.UTC), l.From.UTC())
}

// (e) By hand: another company's number or an earlier order of the same
// company is refused, and so is a number the API does not know (one
// GetReportInfo); a resolution can be undone.
func TestResolve_ByHandChecksTheNumber(t *testing.T) {
	e := uncertainEnv(t)
	api := e.client("sandbox", "sandbox")
	one, three := placedOf(e.srv, "掉线科技有限公司一"), placedOf(e.srv, "正常科技有限公司三")
	resolve := func(key, no string, notOrdered bool) (*batch.ResolvePlan, error) {
		return batch.Resolve(context.Background(), batch.ResolveConfig{State: e.cfg.State, Key: key, OrderNo: no, NotOrdered: notOrdered,
			Apply: true, API: api, Lang: "en"})
	}
	before, _ := os.ReadFile(e.cfg.State)

	_, err := resolve("掉线科技有限公司一", three.OrderNo, false)
	requireRefused(t, e, before, err, three.OrderNo, "belongs to 正常科技有限公司三")

	_, polls0, _ := e.srv.Requests()
	_, err = resolve("掉线科技有限公司一", "QCC2026110200001", false)
	requireRefused(t, e, before, err, "the API does not know order QCC2026110200001", "201")
	_, polls1, _ := e.srv.Requests()
	assert.Equal(t, 1, polls1-polls0, "one GetReportInfo")

	// An earlier order of the same company: 正常三 asked again, the answer
	// lost (uncertain); its first order is not this request's.
	j, err := journal.Open(e.cfg.State, journal.Options{})
	require.NoError(t, err)
	k3 := journal.Key{ID: "正常科技有限公司三", Format: 1}
	require.NoError(t, j.Intent(context.Background(), k3, k3.ID))
	require.NoError(t, j.Ambiguous(k3, "no answer"))
	require.NoError(t, j.Close())
	before, _ = os.ReadFile(e.cfg.State)
	_, err = resolve("正常科技有限公司三", three.OrderNo, false)
	requireRefused(t, e, before, err, three.OrderNo, "earlier order of 正常科技有限公司三")

	// The right number is accepted, and can be undone.
	_, err = resolve("掉线科技有限公司一", one.OrderNo, false)
	require.NoError(t, err)
	plan, err := resolve("掉线科技有限公司一", "", true)
	require.NoError(t, err)
	require.Len(t, plan.Actions, 1)
	assert.Equal(t, outcome.Pending, plan.Actions[0].From)
	assert.True(t, plan.Actions[0].NotOrdered)
	ro, err := journal.Open(e.cfg.State, journal.Options{ReadOnly: true, History: true})
	require.NoError(t, err)
	st, _ := ro.Lookup(journal.Key{ID: "掉线科技有限公司一", Format: 1})
	assert.Equal(t, outcome.NotOrdered, st.Outcome)
	assert.Zero(t, st.Orders)
	assert.False(t, slices.ContainsFunc(ro.Orders(), func(o journal.OrderRecord) bool { return o.OrderNo == one.OrderNo }),
		"the undone order is no row of the ledger")
	require.NoError(t, ro.Close())
}

// (e) A pending order whose polls answer 201 (the API does not know the
// number) becomes uncertain with that reason at once, instead of being
// polled until --timeout every night.
func TestRun_PollAnswered201MakesTheRowUncertain(t *testing.T) {
	e := uncertainEnv(t)
	// A number recorded without the API's check (as an older qccbatch did).
	j, err := journal.Open(e.cfg.State, journal.Options{})
	require.NoError(t, err)
	require.NoError(t, j.Resolve(journal.Key{ID: "掉线科技有限公司一", Format: 1}, journal.Resolution{OrderNo: "QCC2026110200001", By: "test"}))
	require.NoError(t, j.Close())

	e.cfg.Timeout = 3 * time.Second
	_, polls0, _ := e.srv.Requests()
	start := time.Now()
	_, err = e.runCtx(30 * time.Second)
	var se *batch.StopError
	require.ErrorAs(t, err, &se)
	assert.Equal(t, batch.StopUncertain, se.Stop, "complete, a person needed (exit 5): %v", err)
	assert.Less(t, time.Since(start), e.cfg.Timeout, "not polled until --timeout")
	_, polls1, _ := e.srv.Requests()
	assert.Equal(t, 1, polls1-polls0, "polled once")
	rows := e.results()
	assert.Equal(t, "uncertain", rows[0]["outcome"])
	assert.Contains(t, rows[0]["message"], "QCC2026110200001")
	assert.Contains(t, rows[0]["message"], "does not know")
	assert.Equal(t, 3, e.srv.TotalOrders(), "nothing ordered")

	// Settled by hand, with the right number this time.
	_, err = batch.Resolve(context.Background(), batch.ResolveConfig{State: e.cfg.State, Key: "掉线科技有限公司一",
		OrderNo: placedOf(e.srv, "掉线科技有限公司一").OrderNo, Apply: true, API: e.client("sandbox", "sandbox")})
	require.NoError(t, err)
	_, err = e.runCtx(30 * time.Second)
	requireFinal(t, err)
	assert.Equal(t, "ready", e.results()[0]["outcome"])
	assert.Equal(t, 3, e.srv.TotalOrders())
}
