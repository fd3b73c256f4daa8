package input

import (
	"errors"
	"io"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// sheetXML wraps rows in a worksheet part.
func sheetXML(rows string) string {
	return `<?xml version="1.0" encoding="UTF-8"?>` + "\n" +
		`<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>` + rows + `</sheetData></worksheet>`
}

func TestSheetReader(t *testing.T) {
	sst := []string{"企业名称", "华为技术有限公司", ""}
	tests := []struct {
		name string
		xml  string
		want []Row
	}{
		{"types", `<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1"><v>440301103097413</v></c><c r="C1" t="b"><v>1</v></c>` +
			`<c r="D1" t="inlineStr"><is><t>a&amp;b&#x4E2D;</t></is></c><c r="E1" t="str"><f>X()</f><v>r</v></c><c r="F1" t="e"><v>#N/A</v></c></row>`,
			[]Row{{Line: 1, Cells: []Cell{{"企业名称", CellString}, {"440301103097413", CellNumber}, {"TRUE", CellBool},
				{"a&b中", CellString}, {"r", CellString}, {"#N/A", CellString}}}}},
		{"gaps and missing refs", `<row r="3"><c r="C3" t="s"><v>1</v></c><c><v>7</v></c></row><row><c/></row>`,
			[]Row{{Line: 3, Cells: []Cell{{}, {}, {"华为技术有限公司", CellString}, {"7", CellNumber}}}, {Line: 4}}},
		{"namespace prefixes and single quotes", `<x:row r='2'><x:c r='B2' t='s'><x:v>1</x:v></x:c></x:row>`,
			[]Row{{Line: 2, Cells: []Cell{{}, {"华为技术有限公司", CellString}}}}},
		{"rich inline text without phonetics", `<row r="1"><c r="A1" t="inlineStr"><is><r><t>华为</t></r><r><t xml:space="preserve">技术</t></r><rPh><t>huawei</t></rPh></is></c></row>`,
			[]Row{{Line: 1, Cells: []Cell{{"华为技术", CellString}}}}},
		{"comment, CDATA and escapes", `<!-- c --><row r="1"><c r="A1" t="inlineStr"><is><t><![CDATA[<x>]]>_x000D_</t></is></c><c r="B1" t="s"><v>2</v></c></row>`,
			[]Row{{Line: 1, Cells: []Cell{{"<x>\r", CellString}}}}},
		{"self-closing row", `<row r="1" spans="1:3"/>`, []Row{{Line: 1}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// One byte at a time: every token crosses a buffer refill.
			for _, r := range []io.Reader{strings.NewReader(sheetXML(tt.xml)), iotest.OneByteReader(strings.NewReader(sheetXML(tt.xml)))} {
				sr := newSheetReader(r, packStrings(sst))
				var got []Row
				for {
					row, err := sr.read()
					if errors.Is(err, io.EOF) {
						break
					}
					require.NoError(t, err)
					got = append(got, row)
				}
				assert.Equal(t, tt.want, got)
			}
		})
	}
}

func TestSheetReader_Errors(t *testing.T) {
	tests := []struct{ name, xml, want string }{
		{"truncated in a cell", `<row r="1"><c r="A1"><v>1`, "ends inside"},
		{"truncated in a tag", `<row r="1"><c r="A1`, "ends inside a tag"},
		{"shared string out of range", `<row r="1"><c r="A1" t="s"><v>9</v></c></row>`, "out of range"},
		{"beyond XFD", `<row r="1"><c r="XFE1"><v>1</v></c></row>`, "beyond column XFD"},
		{"too many rows", `<row r="1048577"><c><v>1</v></c></row>`, "more than 1048576 rows"},
		{"bad row number", `<row r="x"/>`, "bad row number"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			x := sheetXML(tt.xml)
			if strings.Contains(tt.name, "truncated") {
				x = x[:strings.Index(x, "<sheetData>")+len("<sheetData>")] + tt.xml
			}
			sr := newSheetReader(strings.NewReader(x), packStrings([]string{"a"}))
			var err error
			for err == nil {
				_, err = sr.read()
			}
			require.NotErrorIs(t, err, io.EOF)
			assert.Contains(t, err.Error(), tt.want)
		})
	}
}

// packStrings builds a shared-string table.
func packStrings(ss []string) *sharedStrings {
	t := &sharedStrings{off: []uint32{0}}
	for _, s := range ss {
		t.data = append(t.data, s...)
		t.off = append(t.off, uint32(len(t.data)))
	}
	return t
}
