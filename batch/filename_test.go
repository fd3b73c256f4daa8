package batch_test

import (
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/qccbatch/qccbatch/batch"
)

func TestReportFileName(t *testing.T) {
	tests := []struct{ name, key, order, ext, want string }{
		{"plain", "914403001922038216", "ORD1", "pdf", "914403001922038216_ORD1.pdf"},
		{"chinese name", "小米科技有限责任公司", "RB2025", "docx", "小米科技有限责任公司_RB2025.docx"},
		{"slash", "a/b公司", "O1", "pdf", "a_b公司_O1.pdf"},
		{"backslash", `a\b`, "O1", "pdf", "a_b_O1.pdf"},
		{"dotdot", "../../etc/passwd", "O1", "pdf", "____etc_passwd_O1.pdf"},
		{"nul and control", "x\x00y\nz\u0085", "O1", "pdf", "x_y_z__O1.pdf"},
		{"windows forbidden", `a:b*c?"<>|`, "O1", "pdf", "a_b_c______O1.pdf"},
		{"only dots", "..", "..", "pdf", "report__.pdf"},
		{"empty key", "", "O1", "pdf", "report_O1.pdf"},
		{"spaces and dots trimmed", " .公司. ", "O1", "pdf", "公司_O1.pdf"},
		{"bidi override dropped", "abc\u202Efdp.exe", "O1", "pdf", "abcfdp.exe_O1.pdf"},
		{"every bidi control dropped", "a\u202A\u202B\u202C\u202D\u202E\u2066\u2067\u2068\u2069\u200E\u200Fb", "O1", "pdf", "ab_O1.pdf"},
		{"zero width and BOM dropped", "\ufeff小\u200b米", "O1", "pdf", "小米_O1.pdf"},
		{"invalid UTF-8", "a\xffb", "O1", "pdf", "a_b_O1.pdf"},
		{"real U+FFFD kept", "a\ufffdb", "O1", "pdf", "a\ufffdb_O1.pdf"},
		{"line separator", "a\u2028b", "O1", "pdf", "a_b_O1.pdf"},
		{"device name with extension", "CON.x", "O1", "pdf", "_CON.x_O1.pdf"},
		{"device name lower case", "nul.公司", "O1", "pdf", "_nul.公司_O1.pdf"},
		{"device name with trailing space", "com1 .a", "O1", "pdf", "_com1 .a_O1.pdf"},
		{"device name without order", "AUX", "", "pdf", "_AUX.pdf"},
		{"LPT superscript", "LPT¹.x", "O1", "pdf", "_LPT¹.x_O1.pdf"},
		{"device prefix is no device", "CONSOLE.x", "O1", "pdf", "CONSOLE.x_O1.pdf"},
		{"CON with order is a file", "CON", "O1", "pdf", "CON_O1.pdf"},
		{"order with slash", "a", "O/1", "pdf", "a_O_1.pdf"},
		{"hash and percent break links", "A#2 100%公司", "O1", "pdf", "A_2 100_公司_O1.pdf"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, batch.ReportFileName(tt.key, tt.order, tt.ext))
		})
	}
}

func TestReportFileName_LongNamesKeepTheOrderNumber(t *testing.T) {
	// Two names sharing their first 40 characters (120 bytes in UTF-8): the
	// old name cut the order number first, and both became one file.
	prefix := strings.Repeat("某", 40)
	a := batch.ReportFileName(prefix+"综合服务部门甲", "RB202500000001", "pdf")
	b := batch.ReportFileName(prefix+"综合服务部门乙", "RB202500000002", "pdf")
	assert.NotEqual(t, a, b)
	for _, got := range []string{a, b} {
		assert.LessOrEqual(t, len(got), 120)
		assert.True(t, utf8.ValidString(got), "%q is not UTF-8", got)
	}
	assert.True(t, strings.HasSuffix(a, "_RB202500000001.pdf"), a)
	assert.True(t, strings.HasSuffix(b, "_RB202500000002.pdf"), b)
	assert.True(t, strings.HasPrefix(a, "某某某"), a)

	// Cut at a character boundary, never in the middle of a 3-byte character.
	for n := 30; n < 50; n++ {
		got := batch.ReportFileName(strings.Repeat("é", n)+"公司", "ORD123", "docx")
		require.LessOrEqual(t, len(got), 120)
		require.True(t, utf8.ValidString(got))
		require.True(t, strings.HasSuffix(got, "_ORD123.docx"), got)
	}

	// A cut that ends in a dot or space drops it (Windows would).
	got := batch.ReportFileName(strings.Repeat("a", 110)+". x", "ORD1", "pdf")
	assert.Equal(t, strings.Repeat("a", 110)+"_ORD1.pdf", got)

	// An absurd order number is cut too, keeping a hash so two stay distinct.
	long1 := batch.ReportFileName("公司", strings.Repeat("9", 200)+"1", "pdf")
	long2 := batch.ReportFileName("公司", strings.Repeat("9", 200)+"2", "pdf")
	assert.NotEqual(t, long1, long2)
	assert.LessOrEqual(t, len(long1), 120)
}

// deviceNameRe is an independent list of the names Windows reserves.
var deviceNameRe = regexp.MustCompile(`(?i)^(CON|PRN|AUX|NUL|CONIN\$|CONOUT\$|COM[0-9¹²³]|LPT[0-9¹²³]) *$`)

// safeOrder and safeExt match order numbers and extensions kept verbatim.
var (
	safeOrder = regexp.MustCompile(`^[A-Za-z0-9_-]{1,64}$`)
	safeExt   = regexp.MustCompile(`^[A-Za-z0-9_-]{1,16}$`)
)

func FuzzReportFileName(f *testing.F) {
	for _, seed := range [][3]string{
		{"914403001922038216", "ORD1", "pdf"},
		{"../../etc/passwd", "..", "pdf"},
		{"CON.x", "", "pdf"},
		{"abc\u202Efdp.exe", "O1", "docx"},
		{strings.Repeat("很长的公司名称", 20), "RB1", "docx"},
		{"a\xff\xfe", "\x00", "\u202e"},
		{" . ", " . ", " . "},
		{"0", "0", "000000000000000 0"},
	} {
		f.Add(seed[0], seed[1], seed[2])
	}
	f.Fuzz(func(t *testing.T, key, order, ext string) {
		got := batch.ReportFileName(key, order, ext)
		require.NotEmpty(t, got)
		require.LessOrEqual(t, len(got), 120, "%q", got)
		require.True(t, utf8.ValidString(got), "%q", got)
		require.False(t, strings.ContainsAny(got, "/\\:*?\"<>|#%"), "%q", got)
		require.False(t, strings.ContainsFunc(got, func(r rune) bool {
			return r < 0x20 || r == 0x7f || (r >= 0x202a && r <= 0x202e) || (r >= 0x2066 && r <= 0x2069) || r == 0x200e || r == 0x200f
		}), "%q", got)
		require.NotContains(t, got, "..")
		require.False(t, strings.HasSuffix(got, ".") || strings.HasSuffix(got, " "), "%q", got)
		require.False(t, strings.HasPrefix(got, ".") || strings.HasPrefix(got, " "), "%q", got)
		stem, _, _ := strings.Cut(got, ".")
		require.False(t, deviceNameRe.MatchString(stem), "%q is a Windows device name", got)
		if safeOrder.MatchString(order) && safeExt.MatchString(ext) {
			require.True(t, strings.HasSuffix(got, "_"+order+"."+ext), "%q does not end with _%s.%s", got, order, ext)
		}
	})
}
