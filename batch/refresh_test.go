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
)

// writeBook writes a CSV book with the given extra column after the name.
func writeBook(t *testing.T, path, extraHeader string, names, extra []string) {
	t.Helper()
	var b strings.Builder
	b.WriteString("客户编号,企业名称," + extraHeader + "\r\n")
	for i, n := range names {
		fmt.Fprintf(&b, "C%04d,%s,%s\r\n", i+1, n, extra[i])
	}
	require.NoError(t, os.WriteFile(path, []byte(b.String()), 0o600))
}

// shifted is a clock that runs d away from the real one (a frozen clock
// would never make a poll due).
func shifted(d time.Duration) func() time.Time {
	return func() time.Time { return time.Now().Add(d) }
}

func ratingAges(t *testing.T, s string) batch.Refresh {
	t.Helper()
	age, rf, err := batch.ParseRefreshAfter(s)
	require.NoError(t, err)
	require.Zero(t, age)
	return rf
}

// TestRefresh_ByRating: a book of 300 customers with three ratings, run
// once, then refreshed with --refresh-after 高=1s,中=1h,低=1d: the rerun
// orders exactly the 高 customers. Later, under --max-orders, the ratings
// are refreshed in the order the mapping lists them (高 before 中 even
// though the 中 reports are older), oldest first within each.
func TestRefresh_ByRating(t *testing.T) {
	e := newEnv(t, companyNames(300))
	ratings := make([]string, 300)
	forms := map[string][]string{"高": {"高", "高风险", "　高　"}, "中": {"中", "中风险", "中"}, "低": {"低", "低风险", "低"}}
	rating := func(i int) string { return []string{"高", "中", "低"}[i%3] }
	for i := range ratings {
		ratings[i] = forms[rating(i)][i%9/3]
	}
	writeBook(t, e.cfg.Input, "风险等级", e.names, ratings)
	e.cfg.Now = shifted(-30 * time.Minute)
	_, err := e.run(context.Background(), nil)
	require.NoError(t, err)
	require.Equal(t, 300, e.srv.TotalOrders())

	e.cfg.Now = time.Now
	e.cfg.Refresh = ratingAges(t, "高=1s,中=1h,低=1d")
	csvOut := e.cfg.Output
	e.cfg.Output = filepath.Join(e.dir, "results.xlsx")
	rep, err := e.run(context.Background(), nil)
	require.NoError(t, err)
	e.cfg.Output = csvOut
	// The Summary sheet: per rating, due, ordered this run, left for the next run.
	f, err := excelize.OpenFile(filepath.Join(e.dir, "results.xlsx"))
	require.NoError(t, err)
	sum, err := f.GetRows("Summary")
	require.NoError(t, err)
	require.NoError(t, f.Close())
	var ratingRows [][]string
	for i, r := range sum {
		if len(r) > 0 && r[0] == "Risk rating" {
			ratingRows = sum[i : i+4]
		}
	}
	assert.Equal(t, [][]string{{"Risk rating", "due", "ordered this run", "left for the next run"},
		{"高", "100", "100", "0"}, {"中", "0", "0", "0"}, {"低", "0", "0", "0"}}, ratingRows)
	assert.Equal(t, 400, e.srv.TotalOrders(), "the 100 高 customers, no other")
	for i, n := range e.names {
		want := 1
		if rating(i) == "高" {
			want = 2
		}
		require.Equal(t, want, e.srv.Orders(n), "%s rated %q", n, ratings[i])
	}
	require.Len(t, rep.Ratings, 3)
	assert.Equal(t, "高", rep.Ratings[0].Rating)
	assert.Equal(t, []int{100, 100, 0}, []int{rep.Ratings[0].Due, rep.Ratings[0].Ordered, rep.Ratings[0].Left})
	assert.Equal(t, 0, rep.Ratings[1].Due)

	// Two hours later 高 (refreshed just now) and 中 (older) are due, 低
	// is not: with room for 150 orders, every 高 goes first.
	e.cfg.Now = shifted(2 * time.Hour)
	e.cfg.MaxOrders = 150
	plan, err := batch.PlanRun(e.cfg)
	require.NoError(t, err)
	require.Len(t, plan.Ratings, 3)
	assert.Equal(t, []int{100, 100, 0}, []int{plan.Ratings[0].Due, plan.Ratings[1].Due, plan.Ratings[2].Due})
	var out strings.Builder
	plan.Write(&out, "en")
	assert.Contains(t, out.String(), "by risk rating")
	rep, err = e.run(context.Background(), nil)
	var se *batch.StopError
	require.ErrorAs(t, err, &se)
	assert.Equal(t, batch.StopIncomplete, se.Stop)
	assert.Equal(t, 550, e.srv.TotalOrders())
	mid := 0
	for i, n := range e.names {
		switch rating(i) {
		case "高":
			require.Equal(t, 3, e.srv.Orders(n), "every 高 customer before any 中")
		case "中":
			mid += e.srv.Orders(n) - 1
		case "低":
			require.Equal(t, 1, e.srv.Orders(n))
		}
	}
	assert.Equal(t, 50, mid, "the budget left goes to 中")
	assert.Equal(t, []int{100, 50, 50}, []int{rep.Ratings[1].Due, rep.Ratings[1].Ordered, rep.Ratings[1].Left})
}

// TestRefresh_UnknownRatingExits2: a rating the mapping does not cover,
// without *=, stops the run before any order, naming the rating, its count
// and its first row; *= covers it.
func TestRefresh_UnknownRatingExits2(t *testing.T) {
	e := newEnv(t, companyNames(6))
	writeBook(t, e.cfg.Input, "客户风险等级", e.names, []string{"高", "关注", "低", "关注", "", "低"})
	e.cfg.Refresh = ratingAges(t, "高=1y,低=3y")
	_, err := e.run(context.Background(), nil)
	var ce *batch.ConfigError
	require.ErrorAs(t, err, &ce)
	assert.Contains(t, err.Error(), `"关注" in 2 rows (first in row 3)`)
	assert.Contains(t, err.Error(), `"(blank)" in 1 rows (first in row 6)`)
	assert.Zero(t, e.srv.TotalOrders(), "nothing ordered")
	_, err = batch.PlanRun(e.cfg)
	require.ErrorAs(t, err, &ce, "the dry run refuses it too")

	e.cfg.Refresh = ratingAges(t, "高=1y,低=3y,*=2y")
	_, err = e.run(context.Background(), nil)
	require.NoError(t, err)
	assert.Equal(t, 6, e.srv.TotalOrders())
}

// TestRefresh_RatingChangedBetweenRuns: a customer is judged by its current
// rating, on the same ledger: raised to 高, it is refreshed; lowered to 低,
// it is not, and nobody is ordered twice for moving.
func TestRefresh_RatingChangedBetweenRuns(t *testing.T) {
	e := newEnv(t, companyNames(4))
	writeBook(t, e.cfg.Input, "风险等级", e.names, []string{"低", "高", "高", "低"})
	e.cfg.Now = shifted(-30 * time.Minute)
	e.cfg.Refresh = ratingAges(t, "高=1s,低=1d")
	_, err := e.run(context.Background(), nil)
	require.NoError(t, err)

	e.cfg.Now = time.Now
	writeBook(t, e.cfg.Input, "风险等级", e.names, []string{"高风险", "低", "高", "低"})
	_, err = e.run(context.Background(), nil)
	require.NoError(t, err)
	assert.Equal(t, []int{2, 1, 2, 1}, []int{e.srv.Orders(e.names[0]), e.srv.Orders(e.names[1]), e.srv.Orders(e.names[2]), e.srv.Orders(e.names[3])})
}

// TestRefresh_DueColumn: with --due-column, only the rows whose review date
// is today or earlier (with --due-within 30d, within 30 days) and whose
// report predates that review cycle are ordered again; an unreadable date
// is a row message, not a crash.
func TestRefresh_DueColumn(t *testing.T) {
	names := companyNames(7)
	e := newEnv(t, names)
	today := time.Now()
	d := func(days int, layout string) string { return today.AddDate(0, 0, days).Format(layout) }
	dates := []string{
		d(-5, "2006-01-02"),  // past: due
		d(-1, "2006/1/2"),    // past: due
		d(0, "2006年1月2日"),    // today: due
		d(10, "2006-01-02"),  // near: due only within 30d
		d(100, "2006-01-02"), // future
		"下月",                 // unreadable
		d(-3, "2006-01-02"),  // past, but reported since the cycle began
	}
	writeBook(t, e.cfg.Input, "下次复核日期", names, dates)
	e.cfg.Read.DueColumn = "下次复核日期"
	e.cfg.Now = shifted(-400 * 24 * time.Hour)
	_, err := e.run(context.Background(), nil)
	require.NoError(t, err)
	// The last customer was reviewed a month ago, after its cycle began.
	require.NoError(t, os.WriteFile(filepath.Join(e.dir, "one.csv"), []byte("客户编号,企业名称\r\nC0007,"+names[6]+"\r\n"), 0o600))
	one := e.cfg
	e.cfg.Input, e.cfg.Read.DueColumn = filepath.Join(e.dir, "one.csv"), ""
	e.cfg.Refresh = ratingAges(t, "*=1d")
	e.cfg.Now = shifted(-30 * 24 * time.Hour)
	_, err = e.run(context.Background(), nil)
	require.NoError(t, err)
	require.Equal(t, 8, e.srv.TotalOrders())

	e.cfg = one
	e.cfg.Now = time.Now
	rep, err := e.run(context.Background(), nil)
	require.NoError(t, err)
	got := make([]int, len(names))
	for i, n := range names {
		got[i] = e.srv.Orders(n)
	}
	assert.Equal(t, []int{2, 2, 2, 1, 1, 1, 2}, got, "the past and today's rows only")
	assert.Equal(t, 3, rep.NewOrders)
	var msg string
	for _, r := range e.results() {
		if r["下次复核日期"] == "下月" {
			msg = r["message"]
		}
	}
	assert.Contains(t, msg, `review date "下月" cannot be read`)

	e.cfg.Refresh.DueWithin = 30 * 24 * time.Hour
	_, err = e.run(context.Background(), nil)
	require.NoError(t, err)
	assert.Equal(t, 2, e.srv.Orders(names[3]), "within 30 days: due now")
	assert.Equal(t, 1, e.srv.Orders(names[4]), "100 days away: not due")
	assert.Equal(t, 12, e.srv.TotalOrders())
}
