package input

import (
	"errors"
	"io"
	"strings"
	"testing"
)

// FuzzSheetReader reads arbitrary worksheet XML: it never panics, every
// cell sits within Excel's columns, and the rows end (by EOF or an error)
// within Excel's row limit.
func FuzzSheetReader(f *testing.F) {
	for _, s := range []string{
		sheetXML(`<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1"><v>440301103097413</v></c></row>`),
		sheetXML(`<row r="2"><c r="C2" t="inlineStr"><is><t>x</t></is></c><c r="A2" t="inlineStr"><is><r><t>甲</t></r><rPh><t>j</t></rPh></is></c></row>`),
		sheetXML(`<row><c t="str"><f>A1</f></c><c t="b"><v>1</v></c><c t="e"><v>#N/A</v></c></row><row r="9"/>`),
		sheetXML(`<row r="1"><c r="XFD1"><v>1</v></c><c r="A1" t="s"><v>9</v></c></row>`),
		`<worksheet><sheetData><row r="1"><c r="A1"><v><![CDATA[1]]></v>`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		sst := &sharedStrings{data: []byte("企业名称甲"), off: []uint32{0, 12, 15}}
		sr := newSheetReader(strings.NewReader(string(data)), sst)
		sr.fullCalc = len(data)%2 == 0
		for n := 0; ; n++ {
			r, err := sr.read()
			if errors.Is(err, io.EOF) || err != nil {
				return
			}
			if n > maxExcelRows || r.Line < 1 || r.Line > maxExcelRows {
				t.Fatalf("row %d: line %d", n, r.Line)
			}
			if len(r.Cells) > maxExcelColumns {
				t.Fatalf("row %d: %d cells", r.Line, len(r.Cells))
			}
		}
	})
}
