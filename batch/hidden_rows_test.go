package batch_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/xuri/excelize/v2"

	"github.com/qccbatch/qccbatch/batch"
	"github.com/qccbatch/qccbatch/batch/msg"
)

// TestPlan_HiddenRowsAreSaid: a desk filters a book in Excel to the
// customers it means to order, saves it and runs it; the rows the filter
// hides are still in the file, and were ordered without a word. They are
// still ordered (the file is what is read), but the plan counts them as a
// warning before anything is paid, and each such row's message says so.
func TestPlan_HiddenRowsAreSaid(t *testing.T) {
	names := companyNames(4)
	e := newEnv(t, names)
	f := excelize.NewFile()
	require.NoError(t, f.SetSheetRow("Sheet1", "A1", &[]any{"客户编号", "企业名称"}))
	for i, n := range names {
		cell, err := excelize.CoordinatesToCellName(1, i+2)
		require.NoError(t, err)
		require.NoError(t, f.SetSheetRow("Sheet1", cell, &[]any{i + 1, n}))
	}
	require.NoError(t, f.SetRowVisible("Sheet1", 3, false)) // names[1]
	require.NoError(t, f.SetRowVisible("Sheet1", 5, false)) // names[3]
	e.cfg.Input = filepath.Join(e.dir, "book.xlsx")
	require.NoError(t, f.SaveAs(e.cfg.Input))
	require.NoError(t, f.Close())

	plan, err := batch.PlanRun(e.cfg)
	require.NoError(t, err)
	assert.Equal(t, 4, plan.ToOrder)
	assert.Equal(t, 2, plan.Portfolio.WarningByReason[msg.ReasonHiddenRow], "the plan counts the hidden rows")

	_, err = e.run(context.Background(), nil)
	require.NoError(t, err)
	assert.Equal(t, 4, e.srv.TotalOrders(), "the file's rows are ordered, hidden or not")
	for i, row := range e.results() {
		if i == 1 || i == 3 {
			assert.Contains(t, row["message"], "hidden or filtered out", "row %d", i+2)
		} else {
			assert.NotContains(t, row["message"], "hidden", "row %d", i+2)
		}
	}
}
