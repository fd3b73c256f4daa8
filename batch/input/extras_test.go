package input

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

func TestCellDate(t *testing.T) {
	want := time.Date(2026, 3, 31, 0, 0, 0, 0, time.UTC)
	for _, c := range []Cell{
		{Value: "46112", Type: CellNumber}, // Excel's serial of 2026-03-31
		{Value: "46112.5", Type: CellNumber},
		{Value: "2026-03-31", Type: CellString},
		{Value: "2026/3/31", Type: CellString},
		{Value: " 2026年3月31日 ", Type: CellString},
		{Value: "2026.03.31", Type: CellString},
		{Value: "2026-03-31 00:00:00", Type: CellString},
		{Value: "20260331", Type: CellString}, // core-banking exports
		{Value: "20260331", Type: CellNumber},
	} {
		d, blank, ok := c.Date()
		assert.True(t, ok, "%+v", c)
		assert.False(t, blank)
		assert.Equal(t, want, d, "%+v", c)
	}
	for _, c := range []Cell{{Value: "下月", Type: CellString}, {Value: "2026-02-30", Type: CellString}, {Value: "-3", Type: CellNumber},
		{Value: "20260230", Type: CellString}, {Value: "18991231", Type: CellNumber}, {Value: "12345678", Type: CellString}} {
		_, blank, ok := c.Date()
		assert.False(t, ok || blank, "%+v", c)
	}
	_, blank, ok := Cell{}.Date()
	assert.True(t, blank)
	assert.False(t, ok)

	// The 1904 date system (older Excel for Mac): serial 44650 is
	// 2026-03-31 there, 1,462 days after the 1900 system's 2022-03-30.
	d, _, ok := Cell{Value: "44650", Type: CellNumber}.DateIn(true)
	assert.True(t, ok)
	assert.Equal(t, want, d)
	d, _, _ = Cell{Value: "44650", Type: CellNumber}.DateIn(false)
	assert.Equal(t, want.AddDate(0, 0, -1462), d)
}

func TestFindExtras_RiskAutoDetected(t *testing.T) {
	x, err := FindExtras("b.csv", []string{"企业名称", "洗钱风险等级", "客户经理"}, Options{SplitBy: "客户经理"})
	assert.NoError(t, err)
	assert.Equal(t, Extras{Risk: 1, Due: -1, Split: 2}, x)
	_, err = FindExtras("b.csv", []string{"企业名称"}, Options{DueColumn: "下次复核日期"})
	assert.ErrorContains(t, err, "下次复核日期")
}
