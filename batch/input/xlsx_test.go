package input

import (
	"archive/zip"
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// writeWorkbook writes a one-sheet workbook with the given sheetData rows
// and shared strings; fullCalc marks it for recalculation on opening.
func writeWorkbook(t *testing.T, rows string, sst []string, fullCalc bool) string {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	part := func(name, body string) {
		w, err := zw.Create(name)
		require.NoError(t, err)
		_, err = w.Write([]byte(body))
		require.NoError(t, err)
	}
	calc := ""
	if fullCalc {
		calc = `<calcPr fullCalcOnLoad="1"/>`
	}
	part("_rels/.rels", `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`)
	part("xl/workbook.xml", `<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets>`+calc+`</workbook>`)
	part("xl/_rels/workbook.xml.rels", `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>`)
	var s strings.Builder
	s.WriteString(`<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">`)
	for _, v := range sst {
		s.WriteString("<si><t>" + v + "</t></si>")
	}
	s.WriteString("</sst>")
	part("xl/sharedStrings.xml", s.String())
	part("xl/worksheets/sheet1.xml", `<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>`+
		`<row r="1"><c r="A1" t="inlineStr"><is><t>企业名称</t></is></c><c r="B1" t="inlineStr"><is><t>统一社会信用代码</t></is></c></row>`+
		rows+`</sheetData></worksheet>`)
	require.NoError(t, zw.Close())
	p := filepath.Join(t.TempDir(), "book.xlsx")
	require.NoError(t, os.WriteFile(p, buf.Bytes(), 0o600))
	return p
}

// TestOpen_XLSXFormulas: a formula whose result the file does not hold is
// CellFormulaUncalculated; one with a real cached result is that result.
func TestOpen_XLSXFormulas(t *testing.T) {
	tests := []struct {
		name     string
		cell     string
		fullCalc bool
		want     Cell
	}{
		{"no <v> (ExcelJS, excelize, openxlsx)", `<c r="B2" t="str"><f>&quot;9144&quot;&amp;&quot;XG&quot;</f></c>`, false, Cell{`"9144"&"XG"`, CellFormulaUncalculated}},
		{"empty <v> (openpyxl)", `<c r="B2"><f>A1</f><v></v></c>`, true, Cell{"A1", CellFormulaUncalculated}},
		{"0 placeholder with fullCalcOnLoad (XlsxWriter)", `<c r="B2"><f>A1</f><v>0</v></c>`, true, Cell{"A1", CellFormulaUncalculated}},
		{"0 without fullCalcOnLoad is a result", `<c r="B2"><f>A1</f><v>0</v></c>`, false, Cell{"0", CellNumber}},
		{"cached string with fullCalcOnLoad", `<c r="B2" t="str"><f>A1</f><v>91110108551385082Q</v></c>`, true, Cell{"91110108551385082Q", CellString}},
		{"shared formula without value", `<c r="B2"><f t="shared" si="0"/></c>`, false, Cell{"", CellFormulaUncalculated}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := writeWorkbook(t, `<row r="2"><c r="A2" t="inlineStr"><is><t>甲公司</t></is></c>`+tt.cell+`</row>`, nil, tt.fullCalc)
			in, rows := readAll(t, p, Options{})
			require.Len(t, rows, 1)
			assert.Equal(t, tt.want, in.Identifier(rows[0]), "no fallback to the name")
		})
	}
}

// TestOpen_XLSXLimits: cells beyond Excel's 32,767 characters and a shared-
// string table beyond its cap are input errors, not "damaged" files.
func TestOpen_XLSXLimits(t *testing.T) {
	long := strings.Repeat("长", maxCellChars+1)
	tests := []struct {
		name  string
		rows  string
		sst   []string
		wants []string
	}{
		{"inline string", `<row r="2"><c r="A2" t="inlineStr"><is><t>` + long + `</t></is></c></row>`, nil, []string{"cell A2", "32767"}},
		{"shared string", `<row r="2"><c r="A2" t="s"><v>0</v></c></row>`, []string{long}, []string{"shared string 0", "32767"}},
		{"exactly the limit is fine", `<row r="2"><c r="A2" t="s"><v>0</v></c></row>`, []string{strings.Repeat("长", maxCellChars)}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := inLang(readErr(t, writeWorkbook(t, tt.rows, tt.sst, false), Options{}), "en")
			if tt.wants == nil {
				require.NoError(t, err)
				return
			}
			var ie *Error
			require.ErrorAs(t, err, &ie)
			assert.NotContains(t, err.Error(), "damaged")
			for _, w := range tt.wants {
				assert.Contains(t, err.Error(), w)
			}
		})
	}

	// The table's cap, lowered for the test.
	var many []string
	for range 40 {
		many = append(many, strings.Repeat("x", 30000))
	}
	p := writeWorkbook(t, "", many, false)
	zr, err := zip.OpenReader(p)
	require.NoError(t, err)
	defer zr.Close()
	for _, f := range zr.File {
		if f.Name == "xl/sharedStrings.xml" {
			_, err := readSharedStrings(f, 1<<20)
			var le *limitError
			require.ErrorAs(t, err, &le)
			assert.Contains(t, err.Error(), "more than 1 MiB")
		}
	}
}

// TestOpen_XLSXCellsOutOfOrder: a writer that puts a row's cells out of
// column order (C2 before A2) is read by each cell's reference; A2 was
// appended after C2 and read as column D, so the row's name was lost and
// the row was invalid (empty).
func TestOpen_XLSXCellsOutOfOrder(t *testing.T) {
	p := writeWorkbook(t, `<row r="2"><c r="C2" t="inlineStr"><is><t>备注</t></is></c><c r="A2" t="inlineStr"><is><t>甲公司</t></is></c></row>`+
		`<row r="3"><c r="B3" t="inlineStr"><is><t>91110108551385082Q</t></is></c><c r="A3" t="inlineStr"><is><t>乙公司</t></is></c></row>`, nil, false)
	in, rows := readAll(t, p, Options{})
	require.Len(t, rows, 2)
	assert.Equal(t, "甲公司", in.Identifier(rows[0]).Value)
	assert.Equal(t, "备注", rows[0].Cell(2).Value)
	assert.Equal(t, "乙公司", rows[1].Cell(0).Value)
	assert.Equal(t, "91110108551385082Q", in.Identifier(rows[1]).Value)
	assert.Len(t, rows[1].Cells, 2)
}
