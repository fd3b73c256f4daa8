package input

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/text/encoding/simplifiedchinese"
)

func gbk(t testing.TB, s string) []byte {
	b, err := simplifiedchinese.GBK.NewEncoder().Bytes([]byte(s))
	require.NoError(t, err)
	return b
}

func TestSniffEncoding(t *testing.T) {
	// Two-character GBK strings that are valid UTF-8 by accident: a short
	// file of them alone must still be recognised, and is here because the
	// header and names around them are not.
	long := strings.Repeat("深圳市腾讯计算机系统有限公司,91440300708461136T\n", 2000)
	tests := []struct {
		name string
		data []byte
		want string
	}{
		{"ascii", []byte("name\nabc\n"), encUTF8},
		{"utf-8", []byte("企业名称\n华为技术有限公司\n"), encUTF8},
		{"utf-8 BOM", append([]byte{0xEF, 0xBB, 0xBF}, "企业名称\n"...), encUTF8},
		{"gbk", gbk(t, "企业名称\n华为技术有限公司\n"), encGB18030},
		{"gbk after a long utf-8-looking ascii prefix", append([]byte(strings.Repeat("a,b\n", 100000)), gbk(t, "华为")...), encGB18030},
		{"utf-16le BOM", []byte{0xFF, 0xFE, 'a', 0, '\t', 0, 'b', 0}, encUTF16LE},
		{"utf-16be BOM", []byte{0xFE, 0xFF, 0, 'a', 0, '\t', 0, 'b'}, encUTF16BE},
		{"utf-16le no BOM", []byte{'a', 0, '\t', 0, 'b', 0, '\n', 0}, encUTF16LE},
		{"utf-8 with one damaged byte", append([]byte(long), 0xFF), encUTF8},
		{"utf-8 rune across the 256 KiB chunk", []byte(strings.Repeat("a", 256<<10-1) + "华"), encUTF8},
		{"truncated rune at the end", []byte("华为\xe5"), encGB18030},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := sniffEncoding(bytes.NewReader(tt.data), "")
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
		})
	}
}

func TestSepDirective(t *testing.T) {
	tests := []struct {
		head  string
		want  rune
		bytes int
	}{
		{"sep=;\r\na;b\r\n", ';', 7},
		{"SEP=,\n", ',', 6},
		{"\"sep=\t\"\n", '\t', 8},
		{"sep=;", ';', 5},
		{"sep=\"\n", 0, 0},
		{"sep=\x00\n", 0, 0},
		{"sep=;;\n", 0, 0},
		{"企业名称\n", 0, 0},
	}
	for _, tt := range tests {
		got, n := sepDirective([]byte(tt.head))
		assert.Equal(t, tt.want, got, "%q", tt.head)
		assert.Equal(t, tt.bytes, n, "%q", tt.head)
	}
}

func TestSniffDelimiter(t *testing.T) {
	tests := []struct {
		name, head string
		want       rune
	}{
		{"comma", "a,b,c\n1,2,3\n", ','},
		{"tab", "a\tb\n1\t2\n", '\t'},
		{"semicolon", "a;b\n1;2\n", ';'},
		{"semicolon with decimal commas", "名称;金额\n甲;1,5\n乙;2,5\n", ';'},
		{"comma inside quotes ignored", "\"a;b\",c\n\"1;2\",3\n", ','},
		{"one column", "企业名称\n华为\n", ','},
		{"empty", "", ','},
		{"quoted newline in header", "\"a\nb\",c\n1,2\n", ','},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, string(tt.want), string(sniffDelimiter([]byte(tt.head))))
		})
	}
}

// nopCloser makes a bytes.Reader an io.ReadSeekCloser.
type nopCloser struct{ *bytes.Reader }

func (nopCloser) Close() error { return nil }

// FuzzSniffCSV feeds arbitrary bytes through encoding and delimiter
// sniffing and the CSV reader: no panic, a known encoding and delimiter,
// a bounded number of records, and every error a one-line message.
func FuzzSniffCSV(f *testing.F) {
	for _, s := range []string{"企业名称,代码\n华为,1\n", "a;b\r\n\"x\ny\";2", "\xff\xfea\x00\t\x00", "\xef\xbb\xbf\"",
		"\"unterminated", "a\tb\n\xb9\xab\xcb\xbe\tc\n", "\x00\x00\x00", "\xfe\xff\x00"} {
		f.Add([]byte(s), "")
	}
	f.Add([]byte("a,b\n"), "gbk")
	f.Fuzz(func(t *testing.T, data []byte, override string) {
		src, err := newCSVSource(nopCloser{bytes.NewReader(data)}, override)
		if err != nil {
			require.NotContains(t, err.Error(), "\n")
			return
		}
		require.Contains(t, []string{encUTF8, encGB18030, encUTF16LE, encUTF16BE}, src.encoding)
		// Sniffed: comma, tab or semicolon; from a sep= line: any ASCII
		// character that encoding/csv accepts.
		require.True(t, src.comma > 0 && src.comma < 0x80 && !strings.ContainsRune("\"\r\n", src.comma), "delimiter %q", src.comma)
		last := 0
		for n := 0; ; n++ {
			r, err := src.read()
			if errors.Is(err, io.EOF) {
				return
			}
			if err != nil {
				require.NotContains(t, err.Error(), "invalid field or comment delimiter")
				return
			}
			require.LessOrEqual(t, n, len(data)+1, "records from %d bytes", len(data))
			require.Greater(t, r.Line, last, "record %d: lines go forward", n)
			last = r.Line
		}
	})
}
