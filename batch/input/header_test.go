package input

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// writeTemp writes content to a file named name in a temporary directory.
func writeTemp(t *testing.T, name, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	require.NoError(t, os.WriteFile(p, []byte(content), 0o600))
	return p
}

// TestOpen_HeaderDetection finds the header below title rows, maker lines
// and blank rows, or where --header-row says.
func TestOpen_HeaderDetection(t *testing.T) {
	tests := []struct {
		name      string
		content   string
		opt       Options
		headerRow int
		code      int
		nameCol   int
		idents    []string
	}{
		{"title, maker line, blank row", "2025年第三季度对公客户尽调清单,,\n制表人：张三,,\n,,\n序号,企业名称,统一社会信用代码\n1,甲公司,\n2,乙公司,91110108551385082Q\n",
			Options{}, 4, 2, 1, []string{"甲公司", "91110108551385082Q"}},
		{"prose mentioning a header is not one", "请填写企业名称和统一社会信用代码\n企业名称\n甲公司\n",
			Options{}, 2, -1, 0, []string{"甲公司"}},
		{"forced header row", "企业名称\n名称,代码\n甲公司,x\n",
			Options{HeaderRow: 2}, 2, -1, 0, []string{"甲公司"}},
		{"forced header row with a title above", "标题\n\n企业名称\n甲公司\n",
			Options{HeaderRow: 3}, 3, -1, 0, []string{"甲公司"}},
		{"--column text marks the header", "清单\n代码,备注\n914403001922038216,x\n",
			Options{Column: "代码"}, 2, 0, -1, []string{"914403001922038216"}},
		{"--column by letter without header text", "a,b\n1,甲公司\n",
			Options{Column: "b"}, 1, 1, -1, []string{"甲公司"}},
		{"--column keeps the name fallback", "代码,企业名称\n,甲公司\n914403001922038216,乙公司\n",
			Options{Column: "代码"}, 1, 0, 1, []string{"甲公司", "914403001922038216"}},
		{"--name-column keeps the code", "统一社会信用代码,客户,企业名称\n,甲公司,x\n91110108551385082Q,乙公司,y\n",
			Options{NameColumn: "客户"}, 1, 0, 1, []string{"甲公司", "91110108551385082Q"}},
		{"both named", "a,b,c\n,甲公司,x\n91110108551385082Q,乙公司,y\n",
			Options{Column: "A", NameColumn: "B"}, 1, 0, 1, []string{"甲公司", "91110108551385082Q"}},
		// A header wrapped in its cell (Alt+Enter) or spaced out: its code
		// column was missed, and every row ordered by its name.
		{"header text wrapped or spaced", "客户名称,\"统一社会\n信用代码\"\n甲公司,91110108551385082Q\n",
			Options{}, 1, 1, 0, []string{"91110108551385082Q"}},
		{"header text with inner spaces", "企业　名称,统一社会 信用代码\n甲公司,91110108551385082Q\n",
			Options{}, 1, 1, 0, []string{"91110108551385082Q"}},
		{"--column naming the detected name column", "企业名称,x\n甲公司,1\n",
			Options{Column: "企业名称"}, 1, 0, -1, []string{"甲公司"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in, rows := readAll(t, writeTemp(t, "in.csv", tt.content), tt.opt)
			assert.Equal(t, tt.headerRow, in.HeaderRow())
			code, name := in.Columns()
			assert.Equal(t, tt.code, code, "code column")
			assert.Equal(t, tt.nameCol, name, "name column")
			var got []string
			for _, r := range rows {
				got = append(got, in.Identifier(r).Value)
			}
			assert.Equal(t, tt.idents, got)
		})
	}
}

// TestOpen_HeaderErrors: no header, an empty forced row, a header with no
// data below it.
func TestOpen_HeaderErrors(t *testing.T) {
	tests := []struct {
		name    string
		content string
		opt     Options
		wants   []string
	}{
		{"no known header in 30 rows", strings.Repeat("x\n", 40) + "企业名称\n甲公司\n", Options{},
			[]string{"no identifier column", "first 30", `A="x"`}},
		{"forced row empty", "企业名称\n\n甲公司\n", Options{HeaderRow: 2},
			[]string{"row 2", "empty"}},
		{"forced row without identifier column", "企业名称\n序号,金额\n甲公司\n", Options{HeaderRow: 2},
			[]string{"header row 2", "no identifier column", `"金额"`}},
		{"header only", "序号,企业名称\r\n", Options{}, []string{"no data", "row 1"}},
		{"negative header row", "企业名称\n甲\n", Options{HeaderRow: -1}, []string{"header row -1"}},
		{"--column not in the header", "企业名称\n甲公司\n", Options{Column: "代码"}, []string{`column "代码" not found`, `"企业名称"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := openEN(writeTemp(t, "in.csv", tt.content), tt.opt)
			var ie *Error
			require.ErrorAs(t, err, &ie)
			for _, w := range tt.wants {
				assert.Contains(t, err.Error(), w)
			}
			assert.NotContains(t, err.Error(), "\n")
		})
	}
}

// TestOpen_SheetChoice skips an instructions sheet and an empty first
// sheet, and lists every sheet when none has a header.
func TestOpen_SheetChoice(t *testing.T) {
	dir := "../../testdata/input/"
	tests := []struct {
		file, sheet string
		opt         Options
		headerRow   int
	}{
		{"realbook/realbook.xlsx", "客户名单", Options{}, 4},
		{"realbook/realbook.xlsx", "客户名单", Options{HeaderRow: 4}, 4},
		{"realbook/realbook.xlsx", "客户名单", Options{Sheet: "客户名单"}, 4},
		{"interop/xlsxwriter_instructions_first.xlsx", "客户名单", Options{}, 1},
		{"interop/xlsxwriter_empty_first_sheet.xlsx", "客户名单", Options{}, 1},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			in, _ := readAll(t, dir+tt.file, tt.opt)
			assert.Equal(t, tt.sheet, in.Sheet())
			assert.Equal(t, tt.headerRow, in.HeaderRow())
			code, name := in.Columns()
			assert.Equal(t, `C "统一社会信用代码"`, in.columnLabel(code))
			assert.Equal(t, 1, name)
		})
	}

	_, err := openEN(dir+"realbook/realbook.xlsx", Options{HeaderRow: 2})
	require.Error(t, err)
	for _, w := range []string{`"说明"`, `"客户名单"`, "2 worksheets", "制表人"} {
		assert.Contains(t, err.Error(), w)
	}
	_, err = openEN(dir+"realbook/realbook.xlsx", Options{Sheet: "说明"})
	require.Error(t, err)
	assert.Contains(t, err.Error(), `worksheet "说明"`)
}
