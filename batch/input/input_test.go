package input

import (
	"errors"
	"io"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// readAll opens path and returns its header and data rows.
func readAll(t *testing.T, path string, opt Options) (*Reader, []Row) {
	t.Helper()
	in, err := Open(path, opt)
	require.NoError(t, err)
	t.Cleanup(func() { in.Close() })
	var rows []Row
	for {
		r, err := in.Next()
		if errors.Is(err, io.EOF) {
			return in, rows
		}
		require.NoError(t, err)
		rows = append(rows, r)
	}
}

// TestOpenInput_LibreOffice reads workbooks that LibreOffice wrote
// (testdata/input/README.md): numbers typed as numbers keep their digits
// and their type, formulas give their cached value.
func TestOpenInput_LibreOffice(t *testing.T) {
	in, rows := readAll(t, "../../testdata/input/formats_lo.xlsx", Options{})
	require.Equal(t, []string{"编号", "客户名称", "统一社会信用代码", "开户日期", "已核实"}, in.Header())
	tests := []struct {
		line int
		want Cell // the identifier cell
	}{
		{2, Cell{"440301103097413", CellNumber}},       // format 0.00E+00
		{3, Cell{"440301103097413", CellNumber}},       // format #,##0
		{4, Cell{"9.14403001922038E+017", CellNumber}}, // 18 digits typed as a number
		{5, Cell{"91110108551385082Q", CellString}},    // =UPPER("...q")
		{6, Cell{"440301103097413", CellNumber}},       // =440301103097410+3
		{7, Cell{"#N/A", CellString}},                  // =NA()
		{8, Cell{"９１４４０３００７１５２６７２６ＸＧ", CellString}},    // full-width text
	}
	require.Len(t, rows, len(tests))
	for i, tt := range tests {
		r := rows[i]
		assert.Equal(t, tt.line, r.Line, "row %d", i)
		assert.Equal(t, tt.want, in.Identifier(r), "line %d", r.Line)
	}
	// Other columns keep their type: a date is its serial number, a
	// missing cell in the middle of a row is empty.
	assert.Equal(t, Cell{"43539", CellNumber}, rows[0].Cells[3], "date cell")
	assert.Equal(t, Cell{}, rows[1].Cells[3], "missing cell")

	in2, rows2 := readAll(t, "../../testdata/input/formats_lo.xlsx", Options{Sheet: "other"})
	assert.Equal(t, "Other", in2.Sheet())
	require.Len(t, rows2, 1)
	assert.Equal(t, "深圳市腾讯计算机系统有限公司", in2.Identifier(rows2[0]).Value)
}

// TestOpenInput_Encodings reads the same portfolio saved in every
// encoding and delimiter Excel and WPS write.
func TestOpenInput_Encodings(t *testing.T) {
	ref, refRows := readAll(t, "../../testdata/input/numbers_utf8bom.csv", Options{})
	tests := []struct {
		file, format string
		opt          Options
	}{
		{"numbers_utf8bom.csv", "csv (utf-8, comma)", Options{}},
		{"numbers_gbk.csv", "csv (gb18030, comma)", Options{}},
		{"numbers_gbk.csv", "csv (gb18030, comma)", Options{Encoding: "GBK"}},
		{"numbers_utf16.txt", "csv (utf-16le, tab)", Options{}},
		{"numbers_semicolon.csv", "csv (utf-8, semicolon)", Options{}},
		{"src/numbers.csv", "csv (utf-8, comma)", Options{}},
	}
	for _, tt := range tests {
		t.Run(tt.file+tt.opt.Encoding, func(t *testing.T) {
			in, rows := readAll(t, filepath.Join("../../testdata/input", tt.file), tt.opt)
			assert.Equal(t, tt.format, in.Format())
			assert.Equal(t, ref.Header(), in.Header())
			require.Len(t, rows, len(refRows))
			for i := range rows {
				assert.Equal(t, ref.Identifier(refRows[i]), in.Identifier(rows[i]), "row %d", i)
			}
		})
	}
}

func TestOpenInput_CSVShapes(t *testing.T) {
	tests := []struct {
		name    string
		content string
		opt     Options
		header  string
		idents  []string // identifier value of each data row
		lines   []int
	}{
		{"CRLF and quoted newline", "\r\n企业名称,备注\r\n华为技术有限公司,\"两行\r\n备注\"\r\n小米科技有限责任公司,x\r\n",
			Options{}, "企业名称|备注", []string{"华为技术有限公司", "小米科技有限责任公司"}, []int{3, 5}},
		{"name fallback where code empty", "客户名称,USCC\n甲公司,\n乙公司,91110108551385082Q\n",
			Options{}, "客户名称|USCC", []string{"甲公司", "91110108551385082Q"}, []int{2, 3}},
		{"preference order", "名称,注册号,统一社会信用代码\na公司,440301103097413,914403001922038216\n",
			Options{}, "名称|注册号|统一社会信用代码", []string{"914403001922038216"}, []int{2}},
		{"header case and width", " ＵＳＣＣ ,Company\n914403001922038216,x\n",
			Options{}, "ＵＳＣＣ|Company", []string{"914403001922038216"}, []int{2}},
		{"--column by letter", "a,b\n1,甲公司\n",
			Options{Column: "b"}, "a|b", []string{"甲公司"}, []int{2}},
		{"--column by header", "代码,企业名称\n914403001922038216,甲公司\n",
			Options{Column: "代码"}, "代码|企业名称", []string{"914403001922038216"}, []int{2}},
		{"blank rows skipped, short rows kept", "企业名称,x\n\n,\n甲公司\n",
			Options{}, "企业名称|x", []string{"甲公司"}, []int{4}},
		{"row with empty identifier kept", "企业名称,备注\n,只有备注\n",
			Options{}, "企业名称|备注", []string{""}, []int{2}},
		{"single column, no delimiter", "企业名称\n华为技术有限公司, 深圳\n",
			Options{}, "企业名称", []string{"华为技术有限公司"}, []int{2}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in, rows := readAll(t, writeTemp(t, "in.csv", tt.content), tt.opt)
			assert.Equal(t, tt.header, strings.Join(in.Header(), "|"))
			var got []string
			var lines []int
			for _, r := range rows {
				got = append(got, in.Identifier(r).Value)
				lines = append(lines, r.Line)
			}
			assert.Equal(t, tt.idents, got)
			assert.Equal(t, tt.lines, lines)
		})
	}
}

// TestOpenInput_Errors checks problems found after the header: they are
// InputErrors naming the place.
func TestOpenInput_Errors(t *testing.T) {
	big := "企业名称\n" + strings.Repeat("x", maxCSVRecord+10)
	err := inLang(readErr(t, writeTemp(t, "long.csv", big), Options{}), "en")
	var ie *Error
	require.ErrorAs(t, err, &ie)
	assert.Contains(t, err.Error(), "longer than 16 MiB")

	in, err := openEN("../../testdata/input/bad/damaged_sheet.xlsx", Options{})
	require.NoError(t, err)
	defer in.Close()
	n := 0
	for {
		if _, err = in.Next(); err != nil {
			break
		}
		n++
	}
	require.ErrorAs(t, err, &ie)
	assert.Contains(t, inLang(err, "en").Error(), "near row 5")
	assert.Equal(t, 3, n, "rows before the damage")
}
