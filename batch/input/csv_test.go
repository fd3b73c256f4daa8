package input

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestOpen_CSVFlavours reads line ends and directives that Excel writes.
func TestOpen_CSVFlavours(t *testing.T) {
	tests := []struct {
		name    string
		content string
		format  string
		idents  []string
		lines   []int
	}{
		{"CR only (CSV Macintosh)", "序号,企业名称\r1,甲公司\r2,乙公司\r", "csv (utf-8, comma)", []string{"甲公司", "乙公司"}, []int{2, 3}},
		{"CR only with a quoted line break", "企业名称,备注\r甲公司,\"两\r行\"\r乙公司,x", "csv (utf-8, comma)", []string{"甲公司", "乙公司"}, []int{2, 4}},
		{"mixed CRLF and CR", "企业名称\r\n甲公司\r乙公司\r\n", "csv (utf-8, comma)", []string{"甲公司", "乙公司"}, []int{2, 3}},
		{"sep=; honoured", "sep=;\r\n序号;企业名称;备注\r\n1;甲公司;a,b\r\n", "csv (utf-8, semicolon)", []string{"甲公司"}, []int{3}},
		{"sep=, against semicolon-looking data", "sep=,\n企业名称,备注;x;y\n甲公司,a;b;c\n", "csv (utf-8, comma)", []string{"甲公司"}, []int{3}},
		{"quoted sep= line", "\"sep=|\"\n企业名称|备注\n甲公司|x\n", `csv (utf-8, '|')`, []string{"甲公司"}, []int{3}},
		{"quoted field over 16 lines is fine up to 16", "企业名称,备注\n甲公司,\"" + strings.Repeat("行\n", 15) + "\"\n乙公司,x\n", "csv (utf-8, comma)", []string{"甲公司", "乙公司"}, []int{2, 18}},
		{"lazy quote inside a field", "企业名称,备注\n甲公司,他说\"好\"\n乙公司,x\n", "csv (utf-8, comma)", []string{"甲公司", "乙公司"}, []int{2, 3}},
		{"escaped quotes", "企业名称,备注\n\"甲\"\"公司\",\"a\"\"\nb\"\n乙公司,x\n", "csv (utf-8, comma)", []string{"甲\"公司", "乙公司"}, []int{2, 4}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in, rows := readAll(t, writeTemp(t, "in.csv", tt.content), Options{})
			assert.Equal(t, tt.format, in.Format())
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

// TestOpen_CSVStrayQuote: one stray quote must not swallow the rest of
// the file into a cell (issue 12 item 5).
func TestOpen_CSVStrayQuote(t *testing.T) {
	var rows100 strings.Builder
	rows100.WriteString("序号,企业名称,备注\n1,甲公司,x\n2,乙公司,x\n")
	rows100.WriteString("3,\"丙公司 有\"限公司,x\n") // the quote opens on line 4
	for i := 4; i <= 100; i++ {
		rows100.WriteString("9,某某贸易有限公司,x\n")
	}
	tests := []struct {
		name    string
		content string
		wants   []string
	}{
		{"runs past 16 lines", rows100.String(), []string{"CSV line 4", "16 lines", "quote"}},
		{"never closed", "企业名称,备注\n甲公司,\"x\n乙公司,y\n", []string{"CSV line 2", "never closed"}},
		{"runs past 64 KiB on one line", "企业名称,备注\n甲公司,\"" + strings.Repeat("x", 70<<10) + "\"\n", []string{"CSV line 2", "64 KiB"}},
		{"17 lines in a field", "企业名称,备注\n甲公司,\"" + strings.Repeat("行\n", 16) + "\"\n", []string{"CSV line 2", "16 lines"}},
		{"a cell over 32,767 characters", "企业名称,备注\n甲公司," + strings.Repeat("长", maxCellChars+1) + "\n", []string{"line 2, column B", "32767"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := readErr(t, writeTemp(t, "in.csv", tt.content), Options{Lang: "en"})
			var ie *Error
			require.ErrorAs(t, err, &ie)
			for _, w := range tt.wants {
				assert.Contains(t, err.Error(), w)
			}
		})
	}
}

// TestOpen_CSVHugeQuotedRecord: a quoted record of 200 MiB is refused
// after 64 KiB, without reading it into memory.
func TestOpen_CSVHugeQuotedRecord(t *testing.T) {
	if testing.Short() {
		t.Skip("writes 200 MiB")
	}
	p := filepath.Join(t.TempDir(), "huge.csv")
	f, err := os.Create(p)
	require.NoError(t, err)
	_, err = f.WriteString("企业名称,备注\n甲公司,\"")
	require.NoError(t, err)
	chunk := bytes.Repeat([]byte("xxxxxxx\n"), 1<<17) // 1 MiB
	for range 200 {
		_, err = f.Write(chunk)
		require.NoError(t, err)
	}
	require.NoError(t, f.Close())

	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	err = readErr(t, p, Options{Lang: "en"})
	runtime.ReadMemStats(&after)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "CSV line 2")
	assert.Less(t, after.TotalAlloc-before.TotalAlloc, uint64(32<<20), "bytes allocated")
}

// readErr opens path and reads every row, returning the first error.
func readErr(t *testing.T, path string, opt Options) error {
	t.Helper()
	in, err := Open(path, opt)
	if err != nil {
		return err
	}
	defer in.Close()
	for {
		if _, err := in.Next(); err != nil {
			if errors.Is(err, io.EOF) {
				return nil
			}
			return err
		}
	}
}
