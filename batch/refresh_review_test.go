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
	"golang.org/x/text/unicode/norm"

	"github.com/qccbatch/qccbatch/batch"
)

// TestRefresh_TotalsRowWithoutRating: a sheet as a desk keeps it, with a
// 合计 row and a blank row-note at the bottom whose rating cell is empty:
// those rows are not customers (nothing is ordered for them), so their
// missing rating does not stop the refresh; a customer's blank rating
// still does.
func TestRefresh_TotalsRowWithoutRating(t *testing.T) {
	e := newEnv(t, companyNames(3))
	var b strings.Builder
	b.WriteString("客户编号,企业名称,风险等级\r\n")
	for i, n := range e.names {
		fmt.Fprintf(&b, "C%04d,%s,高\r\n", i+1, n)
	}
	b.WriteString(",合计,\r\n")
	require.NoError(t, os.WriteFile(e.cfg.Input, []byte(b.String()), 0o600))
	e.cfg.Now = shifted(-30 * time.Minute)
	_, err := e.run(context.Background(), nil)
	require.NoError(t, err)
	require.Equal(t, 3, e.srv.TotalOrders())

	e.cfg.Now = time.Now
	e.cfg.Refresh = ratingAges(t, "高=1s,低=1d")
	_, err = e.run(context.Background(), nil)
	require.NoError(t, err, "the 合计 row has no rating and is no customer")
	assert.Equal(t, 6, e.srv.TotalOrders(), "the 3 高 customers refreshed, each once")
}

// TestSplitBy_NamesNeverCollide: values that are made safe to one name
// (case, a character Windows refuses) get a number, and a value that is
// itself such a numbered name ("a-2", "a_b-2") gets another: every value
// has a file of its own, and the files' rows add up to the whole.
func TestSplitBy_NamesNeverCollide(t *testing.T) {
	names := companyNames(9)
	e := newEnv(t, names)
	mgr := []string{"a", "A", "a-2", "a/b", "a?b", "a_b-2", "a_b", "caf\u00e9", "cafe\u0301"}
	writeBook(t, e.cfg.Input, "客户经理", names, mgr)
	e.cfg.Read.SplitBy = "客户经理"
	rep, err := e.run(context.Background(), nil)
	require.NoError(t, err)
	assert.Equal(t, 9, e.srv.TotalOrders())
	require.Len(t, rep.Split, len(mgr), "one file per value")
	seen := map[string]bool{}
	total := 0
	got := map[string]bool{}
	for _, f := range rep.Split {
		fold := strings.ToLower(norm.NFC.String(f)) // one file on Windows or macOS
		assert.False(t, seen[fold], "%s written twice", f)
		seen[fold] = true
		rows := readCSVRows(t, f)
		require.Len(t, rows, 1, f)
		got[rows[0][2]] = true
		total += len(rows)
	}
	assert.Equal(t, len(e.results()), total, "the files add up to the whole")
	assert.Len(t, got, len(mgr), "each value's row is in a file")
}

// TestRefresh_AgesThatMeanSomethingElse: a book reported 40 days ago, then
// refreshed with an age a desk writes meaning months or centuries: "18m"
// (18 months, to Go 18 minutes) and "585y" (which wrapped round to 21
// days in nanoseconds). Each is refused (exit 2 at the command line), so
// nothing is ordered again; before, both re-ordered the whole book.
func TestRefresh_AgesThatMeanSomethingElse(t *testing.T) {
	e := newEnv(t, companyNames(3))
	e.cfg.Now = shifted(-40 * 24 * time.Hour)
	_, err := e.run(context.Background(), nil)
	require.NoError(t, err)
	require.Equal(t, 3, e.srv.TotalOrders())
	e.cfg.Now = time.Now
	for _, s := range []string{"18m", "1y6m", "585y", "213503d", "高=18m", "高=585y,*=1y"} {
		age, rf, err := batch.ParseRefreshAfter(s)
		assert.Error(t, err, s)
		if err != nil {
			continue
		}
		e.cfg.RefreshAfter, e.cfg.Refresh = age, rf
		writeBook(t, e.cfg.Input, "风险等级", e.names, []string{"高", "高", "高"})
		_, err = e.run(context.Background(), nil)
		require.NoError(t, err)
	}
	assert.Equal(t, 3, e.srv.TotalOrders(), "nothing ordered again")
}
