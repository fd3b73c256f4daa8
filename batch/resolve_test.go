package batch_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/xuri/excelize/v2"

	"github.com/qccbatch/qccbatch/batch"
	"github.com/qccbatch/qccbatch/batch/journal"
	"github.com/qccbatch/qccbatch/client/qcctest"
)

// uncertainEnv runs a book where the two 掉线 companies' answers are lost
// (the orders are placed): they end uncertain.
func uncertainEnv(t *testing.T) *env {
	t.Helper()
	e := newEnv(t, []string{"掉线科技有限公司一", "掉线科技有限公司二", "正常科技有限公司三"})
	_, err := e.run(context.Background(), nil)
	requireFinal(t, err)
	require.Equal(t, 3, e.srv.TotalOrders())
	return e
}

func vendorCSV(t *testing.T, path string, orders []qcctest.PlacedOrder, extra string) {
	t.Helper()
	var b strings.Builder
	b.WriteString("\ufeff订单号,查询关键字,下单时间\r\n")
	for _, o := range orders {
		fmt.Fprintf(&b, "%s,%s,%s\r\n", o.OrderNo, o.SearchKey, o.At.In(batch.ChinaTime).Format("2006-01-02 15:04:05"))
	}
	b.WriteString(extra)
	require.NoError(t, os.WriteFile(path, []byte(b.String()), 0o600))
}

func TestResolve_AbsentNotOrdered(t *testing.T) {
	e := uncertainEnv(t)
	all := e.srv.OrderList()
	// The list has the first company's order only: the second was, as far
	// as the vendor knows, never placed.
	var list []qcctest.PlacedOrder
	for _, o := range all {
		if o.SearchKey != "掉线科技有限公司二" {
			list = append(list, o)
		}
	}
	path := filepath.Join(e.dir, "orders.csv")
	vendorCSV(t, path, list, "")
	plan, err := batch.Resolve(context.Background(), batch.ResolveConfig{State: e.cfg.State, Orders: path, AbsentNotOrdered: true, Apply: true})
	require.NoError(t, err)
	require.Len(t, plan.Actions, 2)
	got := map[string]string{}
	for _, a := range plan.Actions {
		got[a.SearchKey] = a.OrderNo
		if a.NotOrdered {
			got[a.SearchKey] = "not_ordered"
		}
	}
	assert.Equal(t, "not_ordered", got["掉线科技有限公司二"])
	assert.NotEmpty(t, got["掉线科技有限公司一"])

	// The next run orders the absent one (its answer is lost again: the
	// keyword drops every answer), polls the found one, orders nothing else.
	_, err = e.run(context.Background(), nil)
	requireFinal(t, err)
	assert.Equal(t, 1, e.srv.Orders("掉线科技有限公司一"))
	assert.Equal(t, 2, e.srv.Orders("掉线科技有限公司二"), "ordered again, as the list said it never was")
}

func TestResolve_AbsentNeedsACoveringList(t *testing.T) {
	e := uncertainEnv(t)
	path := filepath.Join(e.dir, "orders.csv")
	before, _ := os.ReadFile(e.cfg.State)
	// A list without times cannot prove any request absent.
	require.NoError(t, os.WriteFile(path, []byte("订单号,查询关键字\r\nOLD1,别人的科技有限公司\r\n"), 0o600))
	_, err := batch.Resolve(context.Background(), batch.ResolveConfig{State: e.cfg.State, Orders: path, AbsentNotOrdered: true, Apply: true})
	var ce *batch.ConfigError
	require.ErrorAs(t, err, &ce)
	assert.Contains(t, en(ce), "not covered")
	// A list from last month cannot either: it is refused outright, its
	// times being before the state file began.
	old := []qcctest.PlacedOrder{{OrderNo: "OLD1", SearchKey: "正常科技有限公司三", At: time.Now().AddDate(0, -1, 0)}}
	vendorCSV(t, path, old, "")
	_, err = batch.Resolve(context.Background(), batch.ResolveConfig{State: e.cfg.State, Orders: path, AbsentNotOrdered: true, Apply: true})
	require.ErrorAs(t, err, &ce)
	assert.Contains(t, en(ce), "before the state file began")
	after, _ := os.ReadFile(e.cfg.State)
	assert.Equal(t, before, after, "refused: nothing changed")
}

func TestResolve_ByHand(t *testing.T) {
	e := uncertainEnv(t)
	var no string
	for _, o := range e.srv.OrderList() {
		if o.SearchKey == "掉线科技有限公司一" {
			no = o.OrderNo
		}
	}
	_, err := batch.Resolve(context.Background(), batch.ResolveConfig{State: e.cfg.State, Key: "掉线科技有限公司一", OrderNo: no, Apply: true,
		API: e.client("sandbox", "sandbox")})
	require.NoError(t, err)
	_, err = batch.Resolve(context.Background(), batch.ResolveConfig{State: e.cfg.State, Key: "掉线科技有限公司二", NotOrdered: true, Apply: true})
	require.NoError(t, err)
	// A company that is not uncertain cannot be marked not ordered.
	_, err = batch.Resolve(context.Background(), batch.ResolveConfig{State: e.cfg.State, Key: "正常科技有限公司三", NotOrdered: true, Apply: true})
	var ce *batch.ConfigError
	require.ErrorAs(t, err, &ce, "exit 2")

	_, err = e.run(context.Background(), nil)
	requireFinal(t, err)
	rows := e.results()
	assert.Equal(t, "ready", rows[0]["outcome"])
	assert.Equal(t, no, rows[0]["order_no"])
	assert.Equal(t, 2, e.srv.Orders("掉线科技有限公司二"))
}

func TestResolve_XLSXListAndUnknownCompanies(t *testing.T) {
	e := uncertainEnv(t)
	f := excelize.NewFile()
	require.NoError(t, f.SetSheetRow("Sheet1", "A1", &[]any{"订单编号", "企业名称", "下单时间"}))
	r := 2
	for _, o := range e.srv.OrderList() {
		require.NoError(t, f.SetSheetRow("Sheet1", fmt.Sprintf("A%d", r), &[]any{o.OrderNo, o.SearchKey, o.At.In(batch.ChinaTime).Format("2006-01-02 15:04:05")}))
		r++
	}
	require.NoError(t, f.SetSheetRow("Sheet1", fmt.Sprintf("A%d", r), &[]any{"SBXOTHER", "别人的科技有限公司", time.Now().In(batch.ChinaTime).Format("2006-01-02 15:04:05")}))
	path := filepath.Join(e.dir, "orders.xlsx")
	require.NoError(t, f.SaveAs(path))
	plan, err := batch.Resolve(context.Background(), batch.ResolveConfig{State: e.cfg.State, Orders: path, Apply: true})
	require.NoError(t, err)
	assert.Len(t, plan.Actions, 2)
	require.Len(t, plan.Unknown, 1, "reported, not added")
	assert.Equal(t, "SBXOTHER", plan.Unknown[0].OrderNo)
	j, err := journal.Open(e.cfg.State, journal.Options{ReadOnly: true})
	require.NoError(t, err)
	defer j.Close()
	n := 0
	j.Each(func(journal.State) bool { n++; return true })
	assert.Equal(t, 3, n, "the unknown company was not added")
}

func TestResolve_RefusedWhileARunHoldsTheLock(t *testing.T) {
	e := uncertainEnv(t)
	j, err := journal.Open(e.cfg.State, journal.Options{}) // as a running process would
	require.NoError(t, err)
	defer j.Close()
	path := filepath.Join(e.dir, "orders.csv")
	vendorCSV(t, path, e.srv.OrderList(), "")
	_, err = batch.Resolve(context.Background(), batch.ResolveConfig{State: e.cfg.State, Orders: path, Apply: true})
	var le *journal.LockedError
	require.ErrorAs(t, err, &le)
}
