package batch_test

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/qccbatch/qccbatch/batch"
	"github.com/qccbatch/qccbatch/batch/identifier"
	"github.com/qccbatch/qccbatch/batch/msg"
)

// uscc returns a valid credit code ending in the 8 digits of n.
func uscc(n int) string {
	first := fmt.Sprintf("91110000%09d", n)
	c, ok := identifier.USCCCheckChar(first)
	if !ok {
		panic(first)
	}
	return first + string(c)
}

// writeBook writes rows (客户编号, 统一社会信用代码, 企业名称) as the env's input.
func (e *env) writeBook(rows [][2]string) {
	e.t.Helper()
	var b strings.Builder
	b.WriteString("客户编号,统一社会信用代码,企业名称\r\n")
	for i, r := range rows {
		fmt.Fprintf(&b, "C%04d,%s,%s\r\n", i+1, r[0], r[1])
	}
	require.NoError(e.t, os.WriteFile(e.cfg.Input, []byte(b.String()), 0o600))
}

// TestPortfolio_NameOnlyRowIsItsCodedRowsCompany: a row with a credit code
// and a name, and a row with the same name and a blank code cell, were two
// companies and two paid orders. The name-only row is now the coded row's
// company (whichever comes first, the name folded as the key folds it:
// full-width brackets); a name two coded rows give with different codes is
// ambiguous: not ordered, its message names both codes. A rerun orders
// nothing more.
func TestPortfolio_NameOnlyRowIsItsCodedRowsCompany(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	e := newEnv(t, nil)
	a, b, c1, c2 := uscc(1), uscc(2), uscc(3), uscc(4)
	e.writeBook([][2]string{
		{a, "甲科技（北京）有限公司"},
		{"", "甲科技(北京)有限公司"}, // after its coded row, half-width brackets
		{"", "乙贸易有限公司"},     // before its coded row
		{b, "乙贸易有限公司"},
		{c1, "丙实业有限公司"},
		{c2, "丙实业有限公司"},
		{"", "丙实业有限公司"}, // two codes: ambiguous
		{"", "丁商贸有限公司"}, // a name no code gives: ordered by name
	})

	p, err := batch.ScanPortfolio(e.cfg.Input, e.cfg.Read, e.cfg.Classify)
	require.NoError(t, err)
	assert.Len(t, p.Companies, 5, "a, b, c1, c2 and 丁")
	assert.Equal(t, 1, p.Invalid(), "the ambiguous name-only row")
	assert.Equal(t, 1, p.InvalidByReason[msg.ReasonAmbiguousName])
	assert.Equal(t, 2, p.Duplicates, "the two name-only rows of a coded company")

	for run := 1; run <= 2; run++ {
		_, err := e.run(ctx, nil)
		require.NoError(t, err, "run %d", run)
		counts := e.srv.OrderCounts()
		assert.Equal(t, 5, e.srv.TotalOrders(), "run %d: orders %v", run, counts)
		for _, k := range []string{a, b, c1, c2, "丁商贸有限公司"} {
			assert.Equal(t, 1, counts[k], "run %d: %s", run, k)
		}
		rows := e.results()
		require.Len(t, rows, 8)
		for _, i := range []int{0, 1} {
			assert.Equal(t, "ready", rows[i]["outcome"], "row %d", i)
			assert.Equal(t, a, rows[i]["search_key"], "row %d", i)
		}
		for _, i := range []int{2, 3} {
			assert.Equal(t, "ready", rows[i]["outcome"], "row %d", i)
			assert.Equal(t, b, rows[i]["search_key"], "row %d", i)
		}
		assert.Equal(t, "invalid", rows[6]["outcome"])
		assert.Contains(t, rows[6]["message"], c1)
		assert.Contains(t, rows[6]["message"], c2)
		assert.Equal(t, "ready", rows[7]["outcome"])
	}
}

// TestPortfolio_NameOnlyRowOldLedgerNotReordered: a state file written
// before the name-only row joined its coded row holds two orders, one for
// the code and one for the name. The book with both rows orders nothing
// more, and both rows get the code's report.
func TestPortfolio_NameOnlyRowOldLedgerNotReordered(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	e := newEnv(t, nil)
	a := uscc(7)
	// The orders of the old version: the code, and the name on its own.
	e.writeBook([][2]string{{a, ""}, {"", "甲科技有限公司"}})
	_, err := e.run(ctx, nil)
	require.NoError(t, err)
	require.Equal(t, 2, e.srv.TotalOrders())

	e.writeBook([][2]string{{a, "甲科技有限公司"}, {"", "甲科技有限公司"}})
	_, err = e.run(ctx, nil)
	require.NoError(t, err)
	assert.Equal(t, 2, e.srv.TotalOrders(), "ordered again: %v", e.srv.OrderCounts())
	for i, r := range e.results() {
		assert.Equal(t, "ready", r["outcome"], "row %d", i)
		assert.Equal(t, a, r["search_key"], "row %d", i)
	}
}
