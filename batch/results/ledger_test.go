package results

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/xuri/excelize/v2"
)

// TestWriteLedger: the ledger's .csv and .xlsx hold every order, formula-like
// text kept as text, and the workbook's Invoice sheet holds the totals as
// numbers.
func TestWriteLedger(t *testing.T) {
	row := []string{"@SUM(A1)", "=1+1", "pdf", "", "", "r1", "ready", "S", "", "", ""}
	l := Ledger{Rows: [][]string{row}, Invoice: []InvoiceLine{{Month: "2026-11", Format: "pdf", Orders: 3, Uncertain: 1, Failed: 1}}}
	dir := t.TempDir()

	csvPath := filepath.Join(dir, "ledger.csv")
	require.NoError(t, WriteLedger(csvPath, l))
	data, err := os.ReadFile(csvPath)
	require.NoError(t, err)
	lines := strings.Split(strings.TrimSuffix(string(data), "\r\n"), "\r\n")
	require.Len(t, lines, 2)
	assert.Equal(t, utf8BOM+strings.Join(LedgerHeader, ","), lines[0])
	assert.True(t, strings.HasPrefix(lines[1], "'@SUM(A1),'=1+1,pdf,"), lines[1])

	xlsxPath := filepath.Join(dir, "ledger.xlsx")
	require.NoError(t, WriteLedger(xlsxPath, l))
	x, err := excelize.OpenFile(xlsxPath)
	require.NoError(t, err)
	defer x.Close()
	assert.Equal(t, []string{"Orders", "Invoice"}, x.GetSheetList())
	f, err := x.GetCellFormula("Orders", "B2")
	require.NoError(t, err)
	assert.Empty(t, f, "text, never a formula")
	v, err := x.GetCellValue("Orders", "B2")
	require.NoError(t, err)
	assert.Equal(t, "=1+1", v)
	inv, err := x.GetRows("Invoice")
	require.NoError(t, err)
	assert.Equal(t, [][]string{{"month", "format", "orders", "possibly charged", "failed"}, {"2026-11", "pdf", "3", "1", "1"}}, inv)
	typ, err := x.GetCellType("Invoice", "C2")
	require.NoError(t, err)
	assert.NotEqual(t, excelize.CellTypeInlineString, typ)
	assert.NotEqual(t, excelize.CellTypeSharedString, typ)

	assert.Error(t, WriteLedger(filepath.Join(dir, "ledger.txt"), l))
	fi, err := os.Stat(xlsxPath)
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o600), fi.Mode().Perm())
}
