package batch_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/xuri/excelize/v2"
)

// TestRefresh_DueDatesOf1904Workbook: a workbook saved with the 1904 date
// system (an option of older Excel for Mac) counts its date serials from
// 1904-01-01, 1,462 days later than the 1900 system's. The reader took
// them as 1900 dates, 4 years and a day early, so a customer whose review
// is 100 days away was taken as overdue and its report bought again.
func TestRefresh_DueDatesOf1904Workbook(t *testing.T) {
	names := companyNames(2)
	e := newEnv(t, names)
	today := time.Now().UTC()
	serial1904 := func(days int) float64 {
		d := time.Date(today.Year(), today.Month(), today.Day(), 0, 0, 0, 0, time.UTC).AddDate(0, 0, days)
		return float64(d.Sub(time.Date(1904, 1, 1, 0, 0, 0, 0, time.UTC)) / (24 * time.Hour))
	}
	f := excelize.NewFile()
	yes := true
	require.NoError(t, f.SetWorkbookProps(&excelize.WorkbookPropsOptions{Date1904: &yes}))
	require.NoError(t, f.SetSheetRow("Sheet1", "A1", &[]any{"客户编号", "企业名称", "下次复核日期"}))
	require.NoError(t, f.SetSheetRow("Sheet1", "A2", &[]any{"C0001", names[0], serial1904(-5)}))  // due
	require.NoError(t, f.SetSheetRow("Sheet1", "A3", &[]any{"C0002", names[1], serial1904(100)})) // not due
	e.cfg.Input = filepath.Join(e.dir, "book.xlsx")
	require.NoError(t, f.SaveAs(e.cfg.Input))
	require.NoError(t, f.Close())

	e.cfg.Read.DueColumn = "下次复核日期"
	e.cfg.Now = shifted(-400 * 24 * time.Hour) // the first reports, 400 days ago
	_, err := e.run(context.Background(), nil)
	require.NoError(t, err)
	require.Equal(t, 2, e.srv.TotalOrders())

	e.cfg.Now = time.Now
	_, err = e.run(context.Background(), nil)
	require.NoError(t, err)
	assert.Equal(t, 2, e.srv.Orders(names[0]), "5 days past its review: refreshed")
	assert.Equal(t, 1, e.srv.Orders(names[1]), "its review is 100 days away: not bought again")
}
