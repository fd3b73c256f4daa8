package batch_test

// Tests for one-line bugs a mutation run let through (issue 18 item 11):
// each fails with its mutation applied.

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/qccbatch/qccbatch/batch"
	"github.com/qccbatch/qccbatch/batch/identifier"
	"github.com/qccbatch/qccbatch/batch/input"
	"github.com/qccbatch/qccbatch/batch/journal"
	"github.com/qccbatch/qccbatch/batch/outcome"
)

// TestRun_DedupByNormalisedKey: spellings of one company that differ only
// in full- or half-width brackets, letter case, full-width letters or
// runs of inner space are one company, ordered once. Mutation: the
// portfolio de-duplicated by SearchKey (the name as written) instead of
// the normalised key.
func TestRun_DedupByNormalisedKey(t *testing.T) {
	names := []string{
		"折叠科技（北京）有限公司",       // 1: first spelling, the one sent
		"折叠科技(北京)有限公司",       // half-width brackets
		"ABC Trading Ltd",    // 3: first spelling, the one sent
		"abc trading ltd",    // case
		"ABC  Trading   Ltd", // inner spaces
		"ＡＢＣ Trading Ltd",    // full-width letters
		"折叠科技（北京） 有限公司",      // not the same: a space where there was none
	}
	e := newEnv(t, names)

	p, err := batch.ScanPortfolio(e.cfg.Input, input.Options{}, identifier.Options{})
	require.NoError(t, err)
	assert.Len(t, p.Companies, 3, "three companies")
	assert.Equal(t, 4, p.Duplicates)

	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	rep, err := e.run(ctx, nil)
	require.NoError(t, err)
	assert.Equal(t, 3, rep.NewOrders)
	assert.Equal(t, 3, e.srv.TotalOrders(), "orders the fake API counted: %v", e.srv.OrderCounts())
	assert.Equal(t, 1, e.srv.Orders(names[0]))
	assert.Equal(t, 1, e.srv.Orders(names[2]))
	assert.Equal(t, 1, e.srv.Orders(names[6]))
	for _, i := range []int{1, 3, 4, 5} {
		assert.Equal(t, 0, e.srv.Orders(names[i]), "%q is a duplicate: never sent", names[i])
	}
	rows := e.results()
	require.Len(t, rows, len(names))
	assert.Equal(t, rows[0]["order_no"], rows[1]["order_no"], "row 2 shares row 1's order")
	for _, i := range []int{3, 4, 5} {
		assert.Equal(t, rows[2]["order_no"], rows[i]["order_no"], "row %d shares row 3's order", i+1)
	}
	assert.NotEqual(t, rows[0]["order_no"], rows[6]["order_no"])
	for _, r := range rows {
		assert.Equal(t, "ready", r["outcome"])
	}
}

// mutRequestTime returns when the state file says the request for the
// company with key id was sent (its uncertain order's time).
func mutRequestTime(t *testing.T, state, id string) time.Time {
	t.Helper()
	j, err := journal.Open(state, journal.Options{ReadOnly: true})
	require.NoError(t, err)
	defer j.Close()
	st, known := j.Lookup(journal.Key{ID: id, Format: 1})
	require.True(t, known, id)
	require.Equal(t, outcome.Uncertain, st.Outcome, id)
	require.False(t, st.OrderedAt.IsZero(), "%s: the request time is on record", id)
	return st.OrderedAt
}

// mutVendorList writes a vendor order list (CSV, local times to the
// second, as Qichacha's console exports it).
func mutVendorList(t *testing.T, path string, rows ...[3]string) {
	t.Helper()
	var b strings.Builder
	b.WriteString("\ufeff订单号,查询关键字,下单时间\r\n")
	for _, r := range rows {
		fmt.Fprintf(&b, "%s,%s,%s\r\n", r[0], r[1], r[2])
	}
	require.NoError(t, os.WriteFile(path, []byte(b.String()), 0o600))
}

func mutListTime(t time.Time) string { return t.In(batch.ChinaTime).Format("2006-01-02 15:04:05") }

// TestResolve_WindowIsFiveMinutes: an order placed 6 minutes before the
// request is an earlier order of the company, not this request's; one
// placed 4 minutes before is (clocks differ). Mutation: the window widened
// to 10 minutes, which takes the 6-minute-old order listed first.
func TestResolve_WindowIsFiveMinutes(t *testing.T) {
	const name = "掉线窗口科技有限公司"
	e := newEnv(t, []string{"早先科技有限公司", name})
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	// The ledger began an hour before the request (resolve refuses list
	// times before it): its first run ordered another company.
	e.cfg.MaxOrders = 1
	e.cfg.Now = func() time.Time { return time.Now().Add(-time.Hour) }
	_, err := e.run(ctx, nil)
	require.Error(t, err, "capped at one order")
	e.cfg.MaxOrders, e.cfg.Now = 0, nil
	_, err = e.run(ctx, nil)
	requireFinal(t, err)
	req := mutRequestTime(t, e.cfg.State, name)

	path := filepath.Join(e.dir, "orders.csv")
	mutVendorList(t, path,
		[3]string{"SBXSIXMINUTES", name, mutListTime(req.Add(-6 * time.Minute))},
		[3]string{"SBXFOURMINUTES", name, mutListTime(req.Add(-4 * time.Minute))})
	plan, err := batch.Resolve(context.Background(), batch.ResolveConfig{State: e.cfg.State, Orders: path})
	require.NoError(t, err)
	require.Len(t, plan.Actions, 1)
	assert.Equal(t, "SBXFOURMINUTES", plan.Actions[0].OrderNo, "the order within 5 minutes before the request")

	// Only the 6-minute-old order listed: the company stays uncertain.
	mutVendorList(t, path, [3]string{"SBXSIXMINUTES", name, mutListTime(req.Add(-6 * time.Minute))})
	plan, err = batch.Resolve(context.Background(), batch.ResolveConfig{State: e.cfg.State, Orders: path})
	require.NoError(t, err)
	assert.Empty(t, plan.Actions, "an order 6 minutes before the request is not its order")
	assert.Equal(t, 1, plan.Remaining)
}

// TestResolve_KnownOrderNumbersAreUsed: a company's earlier order (it
// failed; --reorder-failed ordered it again and that answer was lost) is
// in the vendor's list next to the new one. Resolve must not give the
// uncertain request the old, known order number. Mutation: the set of used
// order numbers not seeded from the state file.
func TestResolve_KnownOrderNumbersAreUsed(t *testing.T) {
	const name = "失败科技有限公司"
	e := newEnv(t, []string{name})
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	_, err := e.run(ctx, nil)
	requireFinal(t, err)
	require.Equal(t, "failed", e.results()[0]["outcome"])
	first := e.results()[0]["order_no"]
	require.NotEmpty(t, first)

	// The re-order is placed, but its answer is an HTML error page.
	e.srv.SetOrderFault(http.StatusBadGateway, true)
	e.cfg.ReorderFailed = true
	_, err = e.run(ctx, nil)
	requireFinal(t, err)
	e.srv.SetOrderFault(0, false)
	require.Equal(t, 2, e.srv.Orders(name), "the fake API counted the re-order")
	mutRequestTime(t, e.cfg.State, name) // uncertain

	list := e.srv.OrderList()
	require.Len(t, list, 2)
	require.Equal(t, first, list[0].OrderNo)
	path := filepath.Join(e.dir, "orders.csv")
	mutVendorList(t, path,
		[3]string{list[0].OrderNo, name, mutListTime(list[0].At)},
		[3]string{list[1].OrderNo, name, mutListTime(list[1].At)})
	plan, err := batch.Resolve(context.Background(), batch.ResolveConfig{State: e.cfg.State, Orders: path, Apply: true})
	require.NoError(t, err)
	require.Len(t, plan.Actions, 1)
	assert.Equal(t, list[1].OrderNo, plan.Actions[0].OrderNo, "the new order, not the failed one the state file knows")

	// The next run polls the new order and orders nothing.
	e.cfg.ReorderFailed = false
	_, err = e.run(ctx, nil)
	requireFinal(t, err)
	assert.Equal(t, 2, e.srv.Orders(name), "no third order")
	assert.Equal(t, list[1].OrderNo, e.results()[0]["order_no"])
}
