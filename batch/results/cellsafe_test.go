package results

import (
	"bytes"
	"encoding/csv"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/xuri/excelize/v2"
)

func TestFormulaLike(t *testing.T) {
	for _, s := range []string{"=1", "+1", "-5", "-", "@SUM(1)", "\t=1", "\r=1"} {
		assert.True(t, FormulaLike(s), "%q", s)
		assert.Equal(t, "'"+s, safeText(s), "%q", s)
	}
	for _, s := range []string{"", "a=1", " =1", "公司", "5", "'=1", "SBX1"} {
		assert.False(t, FormulaLike(s), "%q", s)
		assert.Equal(t, s, safeText(s), "%q", s)
	}
}

// TestCSVWriter: a table written with newCSVWriter has a BOM, CRLF line
// ends and every formula-like field prefixed.
func TestCSVWriter(t *testing.T) {
	var b bytes.Buffer
	cw, err := newCSVWriter(&b)
	require.NoError(t, err)
	require.NoError(t, cw.write([]string{"order_no", "search_key"}))
	require.NoError(t, cw.write([]string{"@SUM(A1)", "=HYPERLINK(\"x\")"}))
	require.NoError(t, cw.write([]string{"-5", "\t+1"}))
	require.NoError(t, cw.flush())
	data := b.Bytes()
	require.True(t, bytes.HasPrefix(data, []byte(utf8BOM)))
	assert.Equal(t, 3, bytes.Count(data, []byte("\r\n")))
	recs, err := csv.NewReader(bytes.NewReader(data[len(utf8BOM):])).ReadAll()
	require.NoError(t, err)
	assert.Equal(t, [][]string{{"order_no", "search_key"}, {"'@SUM(A1)", `'=HYPERLINK("x")`}, {"'-5", "'\t+1"}}, recs)
}

// TestSetSafeRow: strings are text cells, never formulas; formula-like
// ones have the Text format; numbers stay numbers, a negative one too.
func TestSetSafeRow(t *testing.T) {
	f := excelize.NewFile()
	defer func() { _ = f.Close() }()
	text, err := newTextStyle(f)
	require.NoError(t, err)
	require.NoError(t, setSafeRow(f, "Sheet1", 1, []any{"=1+1", "@x", "plain", -5, 3.5}, text))
	path := filepath.Join(t.TempDir(), "t.xlsx")
	require.NoError(t, f.SaveAs(path))
	g, err := excelize.OpenFile(path)
	require.NoError(t, err)
	defer func() { _ = g.Close() }()
	for cell, want := range map[string]struct {
		v    string
		text bool
		typ  excelize.CellType
	}{
		"A1": {"=1+1", true, excelize.CellTypeSharedString},
		"B1": {"@x", true, excelize.CellTypeSharedString},
		"C1": {"plain", false, excelize.CellTypeSharedString},
		"D1": {"-5", false, excelize.CellTypeUnset},
		"E1": {"3.5", false, excelize.CellTypeUnset},
	} {
		formula, _ := g.GetCellFormula("Sheet1", cell)
		assert.Empty(t, formula, cell)
		v, _ := g.GetCellValue("Sheet1", cell, excelize.Options{RawCellValue: true})
		assert.Equal(t, want.v, v, cell)
		typ, _ := g.GetCellType("Sheet1", cell)
		assert.Equal(t, want.typ, typ, cell)
		id, _ := g.GetCellStyle("Sheet1", cell)
		st, _ := g.GetStyle(id)
		isText := st != nil && st.NumFmt == 49
		assert.Equal(t, want.text, isText, "%s Text format", cell)
	}
}

// TestSummary_FormulaLikeTextIsText: a Summary value that looks like a
// formula (an input named "=1+1", a stop reason) is Text formatted.
func TestSummary_FormulaLikeTextIsText(t *testing.T) {
	out := filepath.Join(t.TempDir(), "r.xlsx")
	require.NoError(t, Write(out, nil, sliceSource(nil), Summary{Input: "=1+1.csv", StopReason: "-stopped"}, "en"))
	f, err := excelize.OpenFile(out)
	require.NoError(t, err)
	defer func() { _ = f.Close() }()
	rows, err := f.GetRows(summarySheet)
	require.NoError(t, err)
	found := 0
	for r, row := range rows {
		for c, v := range row {
			if !FormulaLike(v) {
				continue
			}
			found++
			cell, _ := excelize.CoordinatesToCellName(c+1, r+1)
			id, _ := f.GetCellStyle(summarySheet, cell)
			st, _ := f.GetStyle(id)
			require.NotNil(t, st, cell)
			assert.Equal(t, 49, st.NumFmt, "%s %q", cell, v)
		}
	}
	assert.Equal(t, 2, found, "the input and the stop reason")
}
