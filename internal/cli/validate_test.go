package cli

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// runCLI runs the command line in-process and returns the exit code main
// would use, stdout, and the error line main would print. It runs under a
// deadline: a regression fails the test, it never hangs it.
func runCLI(t *testing.T, args ...string) (code int, stdout, errLine string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	root := newRootCmd()
	var out bytes.Buffer
	root.SetOut(&out)
	root.SetErr(&out)
	root.SetArgs(args)
	cmd, err := root.ExecuteContextC(ctx)
	require.NoError(t, ctx.Err(), "the command did not end within its deadline")
	if err == nil {
		return 0, out.String(), ""
	}
	return exitCode(err), out.String(), errorLine(cmd, err)
}

// TestValidate_BadInput runs validate on every file of the bad-input corpus:
// each must exit 2 with one line that names the problem.
func TestValidate_BadInput(t *testing.T) {
	dir := filepath.Join("..", "..", "testdata", "input", "bad")
	tests := []struct {
		file  string
		args  []string
		wants []string // substrings of the error line
	}{
		{file: "empty.csv", wants: []string{"empty.csv", "empty"}},
		{file: "blank_lines.csv", wants: []string{"no header"}},
		{file: "empty_sheet.xlsx", wants: []string{"no header", "worksheet"}},
		{file: "no_identifier_column.csv", wants: []string{"no identifier column", `"序号"`, `"金额"`, `"日期"`}},
		{file: "no_identifier_column.xlsx", wants: []string{"no identifier column", `"序号"`}},
		{file: "legacy_excel97.xls", wants: []string{"Excel 97-2003", ".xlsx"}},
		{file: "password_protected.xlsx", wants: []string{"password-protected"}},
		{file: "csv_renamed.xlsx", wants: []string{"not an xlsx workbook", "not a zip"}},
		{file: "web_page_export.xls", wants: []string{".xls files are not supported"}},
		{file: "truncated.xlsx", wants: []string{"damaged zip"}},
		{file: "damaged_sheet.xlsx", wants: []string{"worksheet damaged near row"}},
		{file: "zip_not_workbook.xlsx", wants: []string{"not an xlsx workbook", "workbook"}},
		{file: "zip_bomb.xlsx", wants: []string{"zip bomb"}},
		{file: "picture.png", wants: []string{"unsupported file type", ".png"}},
		{file: "opendocument.ods", wants: []string{"OpenDocument", ".xlsx"}},
		{file: "../numbers_lo.xlsx", args: []string{"--sheet", "客户"}, wants: []string{`sheet "客户" not found`, `"numbers"`}},
		{file: "../numbers_lo.xlsx", args: []string{"--column", "代码"}, wants: []string{`column "代码" not found`, `"统一社会信用代码"`}},
		{file: "../numbers_gbk.csv", args: []string{"--encoding", "latin1"}, wants: []string{`unknown encoding "latin1"`}},
		{file: "does_not_exist.csv", wants: []string{"cannot open", "no such file"}},
	}
	files, _ := filepath.Glob(filepath.Join(dir, "*"))
	require.GreaterOrEqual(t, len(files), 12, "bad-input corpus has %d files, want at least 12", len(files))
	covered := map[string]bool{}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			covered[tt.file] = true
			args := append([]string{"validate", "--lang", "en", filepath.Join(dir, tt.file)}, tt.args...)
			code, stdout, line := runCLI(t, args...)
			require.Equal(t, 2, code, "exit code (stdout %q, error %q)", stdout, line)
			assert.NotContains(t, line, "\r", "error is not one line")
			assert.NotContains(t, line, "\n", "error is not one line")
			for _, w := range tt.wants {
				assert.Contains(t, line, w, "error line does not mention %q", w)
			}
		})
	}
	for _, f := range files {
		assert.True(t, covered[filepath.Base(f)], "corpus file %s has no test case", filepath.Base(f))
	}
}

// TestValidate_BadInputZh: without --lang, an input error is a Chinese
// sentence that names the file and quotes its headers as they are.
func TestValidate_BadInputZh(t *testing.T) {
	dir := filepath.Join("..", "..", "testdata", "input", "bad")
	tests := []struct {
		file  string
		wants []string
	}{
		{"blank_lines.csv", []string{"qccbatch: blank_lines.csv: ", "没有表头"}},
		{"empty_sheet.xlsx", []string{"qccbatch: empty_sheet.xlsx: ", "没有表头", "工作表"}},
		{"no_identifier_column.csv", []string{"qccbatch: no_identifier_column.csv: ", "找不到标识列", `"序号"`, `"金额"`}},
		{"password_protected.xlsx", []string{"密码"}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			code, stdout, line := runCLI(t, "validate", filepath.Join(dir, tt.file))
			require.Equal(t, 2, code, "exit code (stdout %q, error %q)", stdout, line)
			for _, w := range tt.wants {
				assert.Contains(t, line, w)
			}
			_, _, en := runCLI(t, "validate", "--lang", "en", filepath.Join(dir, tt.file))
			assert.NotEqual(t, en, line, "--lang en gives another sentence")
		})
	}
}

func TestValidate_Plan(t *testing.T) {
	tests := []struct {
		name  string
		args  []string
		wants []string
	}{
		{"xlsx from LibreOffice", []string{"validate", "--lang", "en", "../../testdata/input/numbers_lo.xlsx"},
			[]string{"rows:        8", "invalid:     2", "precision lost", "empty", "duplicates:  1", "companies:   5 ("}},
		{"zh is the default", []string{"validate", "../../testdata/input/numbers_lo.xlsx"},
			[]string{"行数：      8", "无效：      2", "数字精度已丢失", "空", "重复：      1", "企业：      5（"}},
		{"flags after the file", []string{"validate", "--lang", "en", "../../testdata/input/formats_lo.xlsx", "--sheet", "Other", "--column", "A"},
			[]string{`sheet "Other"`, "rows:        1", "companies:   1 ("}},
		{"gbk csv", []string{"validate", "--lang", "en", "../../testdata/input/numbers_gbk.csv"},
			[]string{"gb18030", "invalid:     1", "companies:   6 ("}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, line := runCLI(t, tt.args...)
			require.Equal(t, 0, code, "exit code; error %q", line)
			for _, w := range tt.wants {
				assert.Contains(t, out, w, "plan does not contain %q", w)
			}
		})
	}
}

func TestValidate_Out(t *testing.T) {
	out := filepath.Join(t.TempDir(), "r.csv")
	code, _, line := runCLI(t, "validate", "../../testdata/input/numbers_utf16.txt", "-o", out, "--lang", "en")
	require.Equal(t, 0, code, "exit code; error %q", line)
	b, err := os.ReadFile(out)
	require.NoError(t, err)
	got := string(b)
	for _, w := range []string{"search_key,outcome", ",91110108551385082Q,not_ordered,", ",invalid,,empty: fill in", "阿里巴巴（中国）有限公司,not_ordered"} {
		assert.Contains(t, got, w, "results do not contain %q", w)
	}
	assert.Equal(t, 8, strings.Count(strings.TrimSpace(got), "\n"), "data rows in the results")

	t.Run("refuses to overwrite the input", func(t *testing.T) {
		dir := t.TempDir()
		in := filepath.Join(dir, "in.csv")
		require.NoError(t, os.WriteFile(in, []byte("企业名称\n华为技术有限公司\n"), 0o644))
		code, _, line := runCLI(t, "validate", "--lang", "en", in, "-o", in)
		assert.Equal(t, 2, code, "exit %d, %q", code, line)
		assert.Contains(t, line, "is the input file")
	})
	t.Run("xlsx", func(t *testing.T) {
		out := filepath.Join(t.TempDir(), "r.xlsx")
		code, _, line := runCLI(t, "validate", "../../testdata/input/formats_lo.xlsx", "-o", out)
		require.Equal(t, 0, code, "exit code; error %q", line)
		st, err := os.Stat(out)
		require.NoError(t, err, "no results")
		assert.NotZero(t, st.Size(), "no results: the file is empty")
	})
}

// TestValidate_RealBook reads the workbook an ops desk keeps (written by
// LibreOffice): an instructions sheet first, a merged title row, a maker
// line, the header on row 4 and a totals row at the bottom (issue 13 item 1,
// 2 and 4).
func TestValidate_RealBook(t *testing.T) {
	code, out, line := runCLI(t, "validate", "--lang", "en", "../../testdata/input/realbook/realbook.xlsx")
	require.Equal(t, exitOK, code, line)
	assert.Contains(t, out, `(sheet "客户名单"), header on row 4`)
	assert.Contains(t, out, "rows:        9")
	assert.Contains(t, out, "companies:   8")
	assert.Regexp(t, `(?m)^  row 13: .*totals row`, out, "the totals row is listed with its sheet row")

	code, _, line = runCLI(t, "validate", "--strict", "../../testdata/input/realbook/realbook.xlsx")
	assert.Equal(t, exitPerson, code, "--strict: an invalid row exits 5: %s", line)

	// A column of people is refused by run, warned by validate.
	code, out, _ = runCLI(t, "validate", "--lang", "en", "--column", "客户经理", "../../testdata/input/realbook/realbook.xlsx")
	assert.Equal(t, exitOK, code)
	assert.Contains(t, out, "look like organisations")
	code, _, line = runCLI(t, "run", "--sandbox", "--quiet", "--column", "客户经理", "-o", filepath.Join(t.TempDir(), "r.csv"),
		"--state", filepath.Join(t.TempDir(), "s.qccstate"), "../../testdata/input/realbook/realbook.xlsx")
	assert.Equal(t, exitUsage, code, line)
	assert.Contains(t, line, "--name-column")
}

// TestValidate_WrongEncodingSuggestsTheDetectedOne (issue 13 item 15).
func TestValidate_WrongEncodingSuggestsTheDetectedOne(t *testing.T) {
	code, _, line := runCLI(t, "validate", "--lang", "en", "--encoding", "utf-8", "../../testdata/input/numbers_gbk.csv")
	assert.Equal(t, exitUsage, code)
	assert.Contains(t, line, "try --encoding gb18030, or leave --encoding out")
}
