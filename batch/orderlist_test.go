package batch_test

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/xuri/excelize/v2"

	"github.com/qccbatch/qccbatch/batch"
)

func TestReadOrderList(t *testing.T) {
	dir := t.TempDir()
	csvPath := filepath.Join(dir, "orders.csv")
	// As the vendor's console exports it: a BOM, Chinese headers, CRLF, a
	// full-width code, and a totals line.
	data := "\ufeff订单号,查询关键字,下单时间,金额\r\n" +
		"SBX001,测试科技有限公司0001,2026-11-02 09:15:00,30\r\n" +
		"SBX002,９１１１０１０８５５１３８５０８２Ｑ,2026-11-03 10:00:00,30\r\n" +
		",合计,,60\r\n"
	require.NoError(t, os.WriteFile(csvPath, []byte(data), 0o600))
	l, err := batch.ReadOrderList(csvPath, nil)
	require.NoError(t, err)
	require.Len(t, l.Orders, 2)
	assert.Equal(t, "SBX001", l.Orders[0].OrderNo)
	assert.Equal(t, "测试科技有限公司0001", l.Orders[0].SearchKey)
	assert.Equal(t, "91110108551385082Q", l.Orders[1].Key, "normalised like the input")
	assert.Equal(t, time.Date(2026, 11, 2, 1, 15, 0, 0, time.UTC), l.Orders[0].OrderedAt.UTC(), "China time, whatever the machine's zone")
	assert.Equal(t, l.Orders[0].OrderedAt, l.From)
	assert.Equal(t, l.Orders[1].OrderedAt, l.To)
	assert.Len(t, l.SHA256, 64)

	// The same list as xlsx, with a title row above the header and no times.
	f := excelize.NewFile()
	require.NoError(t, f.SetSheetRow("Sheet1", "A1", &[]any{"企查查订单明细"}))
	require.NoError(t, f.SetSheetRow("Sheet1", "A3", &[]any{"订单编号", "企业名称"}))
	require.NoError(t, f.SetSheetRow("Sheet1", "A4", &[]any{"SBX003", "测试科技有限公司0003"}))
	xlsxPath := filepath.Join(dir, "orders.xlsx")
	require.NoError(t, f.SaveAs(xlsxPath))
	l, err = batch.ReadOrderList(xlsxPath, nil)
	require.NoError(t, err)
	require.Len(t, l.Orders, 1)
	assert.Equal(t, "SBX003", l.Orders[0].OrderNo)
	assert.True(t, l.From.IsZero(), "no time column: no span")

	// Not an order list.
	bad := filepath.Join(dir, "book.csv")
	require.NoError(t, os.WriteFile(bad, []byte("企业名称\n某某有限公司\n"), 0o600))
	_, err = batch.ReadOrderList(bad, nil)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "订单号")
}
