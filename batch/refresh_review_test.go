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

// summaryFacts reads the label → value pairs of a results workbook's
// Summary sheet (the first two columns), and its per-rating rows.
func summaryFacts(t *testing.T, path string) (map[string]string, map[string][]string) {
	t.Helper()
	f, err := excelize.OpenFile(path)
	require.NoError(t, err)
	defer f.Close()
	rows, err := f.GetRows("Summary")
	require.NoError(t, err)
	facts, ratings := map[string]string{}, map[string][]string{}
	inRatings := false
	for _, r := range rows {
		switch {
		case len(r) == 0:
			inRatings = false
		case r[0] == "Risk rating":
			inRatings = true
		case inRatings:
			ratings[r[0]] = r[1:]
		case len(r) >= 2:
			facts[r[0]] = r[1]
		}
	}
	return facts, ratings
}

// TestSummary_OrderedMeansPlaced: the per-rating "ordered this run" and a
// split file's "new orders this run" (and its spend) count the orders the
// API placed, like the whole Summary: not a request answered 201 (no such
// company, nothing placed) nor one refused by a cooldown, which is left for
// the next run. The ratings' ordered add up to the run's new orders.
func TestSummary_OrderedMeansPlaced(t *testing.T) {
	names := []string{"甲科技有限公司", "不存在科技有限公司", "冷却科技有限公司", "乙科技有限公司"}
	e := newEnv(t, names)
	var b strings.Builder
	b.WriteString("企业名称,风险等级,客户经理\r\n")
	for i, row := range [][2]string{{"高", "张三"}, {"高", "张三"}, {"高", "李四"}, {"中", "李四"}} {
		fmt.Fprintf(&b, "%s,%s,%s\r\n", names[i], row[0], row[1])
	}
	require.NoError(t, os.WriteFile(e.cfg.Input, []byte(b.String()), 0o600))
	e.cfg.Output = filepath.Join(e.dir, "results.xlsx")
	e.cfg.Read.SplitBy = "客户经理"
	e.cfg.Refresh = ratingAges(t, "高=1y,中=2y")
	e.cfg.Price = 10
	rep, err := e.run(context.Background(), nil)
	var se *batch.StopError
	require.ErrorAs(t, err, &se, "the cooldown leaves a row for later")
	assert.Equal(t, 2, e.srv.TotalOrders(), "甲 and 乙 placed")
	require.Equal(t, 2, rep.NewOrders)

	require.Len(t, rep.Ratings, 2)
	ordered := 0
	for _, r := range rep.Ratings {
		ordered += r.Ordered
	}
	assert.Equal(t, rep.NewOrders, ordered, "the ratings' orders add up to the run's")
	assert.Equal(t, []int{3, 1, 1}, []int{rep.Ratings[0].Due, rep.Ratings[0].Ordered, rep.Ratings[0].Left},
		"高: 3 due, 1 placed (甲), 1 left (冷却), 不存在 answered 201")
	_, ratings := summaryFacts(t, e.cfg.Output)
	assert.Equal(t, []string{"3", "1", "1"}, ratings["高"])
	assert.Equal(t, []string{"1", "1", "0"}, ratings["中"])

	for _, mgr := range []string{"张三", "李四"} {
		facts, _ := summaryFacts(t, filepath.Join(e.dir, "results-"+mgr+".xlsx"))
		assert.Equal(t, "1", facts["new orders this run"], mgr)
		assert.Equal(t, "10.00", facts["spend this run (CNY)"], mgr)
	}
}

// TestSplitBy_NeverOverwritesTheInput: a split file is OUT-<value>: with
// the input named book-A.csv and -o book.csv, value A's file was the
// input itself, overwritten by the results of its rows.
func TestSplitBy_NeverOverwritesTheInput(t *testing.T) {
	names := companyNames(3)
	e := newEnv(t, names)
	e.cfg.Input = filepath.Join(e.dir, "book-A.csv")
	e.cfg.Output = filepath.Join(e.dir, "book.csv")
	writeBook(t, e.cfg.Input, "客户经理", names, []string{"A", "B", "A"})
	before, err := os.ReadFile(e.cfg.Input)
	require.NoError(t, err)
	e.cfg.Read.SplitBy = "客户经理"
	rep, err := e.run(context.Background(), nil)
	require.NoError(t, err)
	after, err := os.ReadFile(e.cfg.Input)
	require.NoError(t, err)
	assert.Equal(t, string(before), string(after), "the input is unchanged")
	assert.NotContains(t, rep.Split, e.cfg.Input)
	assert.Len(t, rep.Split, 2)
	assert.Equal(t, 3, e.srv.TotalOrders())
}
