package cli

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/xuri/excelize/v2"

	"github.com/qccbatch/qccbatch/batch"
	"github.com/qccbatch/qccbatch/client/qcctest"
)

// writeVendorList writes the fake API's order list as Qichacha's console
// exports it: csv with a BOM, Chinese headers, China times (UTC+8).
func writeVendorList(t *testing.T, path string, orders []qcctest.PlacedOrder) {
	t.Helper()
	var b strings.Builder
	b.WriteString("\ufeff订单号,查询关键字,下单时间,报告类型\r\n")
	for _, o := range orders {
		fmt.Fprintf(&b, "%s,%s,%s,基础身份报告\r\n", o.OrderNo, o.SearchKey, o.At.In(batch.ChinaTime).Format("2006-01-02 15:04:05"))
	}
	require.NoError(t, os.WriteFile(path, []byte(b.String()), 0o600))
}

// TestLedgerAndResolve_EndToEnd is issue 14's loop: orders placed but their
// answers lost; the run exits 5; the ledger lists every order request and
// every run; the vendor's order list settles the uncertain rows (preview,
// then --apply); the next run polls them to ready without ordering; the
// ledger then holds exactly the orders the API placed.
func TestLedgerAndResolve_EndToEnd(t *testing.T) {
	srv := qcctest.New(t, qcctest.WithGenDelay(0))
	dir := t.TempDir()
	in := filepath.Join(dir, "book.csv")
	names := []string{"掉线科技有限公司一", "掉线科技有限公司二", "正常科技有限公司三", "正常科技有限公司四"}
	require.NoError(t, os.WriteFile(in, []byte("企业名称\n"+strings.Join(names, "\n")+"\n"), 0o600))
	state := in + ".qccstate"
	t.Setenv("QCC_KEY", "sandbox")
	t.Setenv("QCC_SECRET_KEY", "sandbox")
	run := func() (int, string) {
		code, out, line := runCLI(t, "run", in, "--lang", "en", "--base-url", srv.BaseURL(), "--qps", "0", "--poll-interval", "20ms", "--quiet", "-o", filepath.Join(dir, "r.csv"))
		return code, out + line
	}

	code, out := run()
	assert.Equal(t, exitPerson, code, "dropped answers: a person is needed: %s", out)
	assert.Contains(t, out, "2 rows uncertain")
	placed := srv.OrderList()
	require.Len(t, placed, 4, "the API placed all four")

	// The ledger lists every request that may have been charged: the two
	// answered with their numbers, the two uncertain without.
	ledgerCSV := filepath.Join(dir, "ledger.csv")
	code, _, line := runCLI(t, "ledger", "-o", ledgerCSV, state)
	require.Equal(t, exitOK, code, line)
	data, err := os.ReadFile(ledgerCSV)
	require.NoError(t, err)
	placedNos := map[string]bool{}
	for _, p := range placed {
		placedNos[p.OrderNo] = true
	}
	lines := strings.Split(strings.TrimSpace(strings.TrimPrefix(string(data), "\ufeff")), "\r\n")
	require.Len(t, lines, 1+4, "a header and four requests")
	uncertain := 0
	for _, l := range lines[1:] {
		no := strings.Split(l, ",")[0]
		if no == "" {
			uncertain++
			assert.Contains(t, l, "uncertain")
			continue
		}
		assert.True(t, placedNos[no], "order %s is one the API placed", no)
	}
	assert.Equal(t, 2, uncertain)

	// Preview: changes nothing.
	list := filepath.Join(dir, "orders.csv")
	writeVendorList(t, list, placed)
	before, err := os.ReadFile(state)
	require.NoError(t, err)
	code, out, line = runCLI(t, "resolve", "--lang", "en", "--orders", list, state)
	require.Equal(t, exitOK, code, line)
	assert.Contains(t, out, "would become pending with order")
	assert.Contains(t, out, "nothing changed")
	assert.Contains(t, out, "2 would be resolved, 0 would stay uncertain", "a preview says what would happen, not what did")
	assert.NotContains(t, out, "2 resolved")
	after, err := os.ReadFile(state)
	require.NoError(t, err)
	assert.Equal(t, before, after, "a preview changes nothing")

	code, out, line = runCLI(t, "resolve", "--lang", "en", "--orders", list, "--apply", state)
	require.Equal(t, exitOK, code, line)
	assert.Contains(t, out, "2 resolved, 0 still uncertain")

	// The next run polls the resolved rows to ready and orders nothing.
	code, out = run()
	assert.Equal(t, exitOK, code, out)
	assert.Equal(t, 4, srv.TotalOrders(), "no order placed")
	for _, n := range names {
		assert.Equal(t, 1, srv.Orders(n))
	}

	// The ledger now holds exactly the orders the API placed.
	code, out, line = runCLI(t, "ledger", "--json", state)
	require.Equal(t, exitOK, code, line)
	var rows []map[string]string
	require.NoError(t, json.Unmarshal([]byte(out), &rows))
	got := map[string]bool{}
	for _, r := range rows {
		assert.NotEmpty(t, r["order_no"], "no request is uncertain any more: %v", r)
		assert.Equal(t, "ready", r["outcome"])
		got[r["order_no"]] = true
	}
	assert.Equal(t, placedNos, got)

	// Every run, resolution on record, with its exit code.
	code, out, line = runCLI(t, "ledger", "--runs", "--json", state)
	require.Equal(t, exitOK, code, line)
	var runs []struct {
		Run, Kind, StartedAt, EndedAt, Version, Host, User, Input string
		NewOrders                                                 int  `json:"new_orders"`
		Exit                                                      *int `json:"exit"`
	}
	require.NoError(t, json.Unmarshal([]byte(out), &runs))
	require.Len(t, runs, 3, "run, resolve, run: %s", out)
	assert.Equal(t, "run", runs[0].Kind)
	require.NotNil(t, runs[0].Exit)
	assert.Equal(t, exitPerson, *runs[0].Exit)
	assert.Equal(t, 2, runs[0].NewOrders, "answered with a number; the two uncertain requests are not counted")
	assert.Equal(t, "resolve", runs[1].Kind)
	require.NotNil(t, runs[2].Exit)
	assert.Equal(t, exitOK, *runs[2].Exit)
	assert.Equal(t, 0, runs[2].NewOrders)

	// Why the first run stopped, in the reader's language (it was kept in
	// Chinese only, whatever --lang the reader asked for).
	reason := func(lang string, asJSON bool) string {
		args := []string{"ledger", "--runs", "--lang", lang, state}
		if asJSON {
			args = append(args[:2], append([]string{"--json"}, args[2:]...)...)
		}
		code, out, line := runCLI(t, args...)
		require.Equal(t, exitOK, code, line)
		if !asJSON {
			return strings.Split(out, "\n")[1] // the first run's line
		}
		var rs []struct{ Reason string }
		require.NoError(t, json.Unmarshal([]byte(out), &rs))
		return rs[0].Reason
	}
	for _, asJSON := range []bool{true, false} {
		en, zh := reason("en", asJSON), reason("zh", asJSON)
		assert.Contains(t, en, "2 rows uncertain", "json %v", asJSON)
		assert.NotRegexp(t, `\p{Han}{2}`, strings.ReplaceAll(en, "掉线科技有限公司", ""), "json %v: %s", asJSON, en)
		assert.Regexp(t, `\p{Han}{2}`, zh, "json %v", asJSON)
		assert.NotEqual(t, en, zh)
	}

	// The xlsx ledger has the invoice sheet: this month, pdf, 4 orders.
	ledgerXLSX := filepath.Join(dir, "ledger.xlsx")
	code, _, line = runCLI(t, "ledger", "-o", ledgerXLSX, state)
	require.Equal(t, exitOK, code, line)
	x, err := excelize.OpenFile(ledgerXLSX)
	require.NoError(t, err)
	defer x.Close()
	inv, err := x.GetRows("Invoice")
	require.NoError(t, err)
	require.Len(t, inv, 2)
	assert.Equal(t, []string{placed[0].At.Local().Format("2006-01"), "pdf", "4", "0", "0"}, inv[1])
}
