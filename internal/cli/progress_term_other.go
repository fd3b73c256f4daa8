//go:build !windows

package cli

import (
	"io"
	"os"
	"strings"
)

// enableANSI reports whether the terminal w writes to interprets ANSI
// sequences: every terminal outside Windows does.
func enableANSI(io.Writer) bool { return true }

// wideAmbiguous reports whether the terminal's locale is a Chinese (or other
// East Asian) double-byte one, such as zh_CN.GBK, whose terminals show
// ambiguous characters (the block of progressbar's default theme) two
// columns wide.
func wideAmbiguous() bool {
	loc := ""
	for _, v := range []string{"LC_ALL", "LC_CTYPE", "LANG"} {
		if loc = os.Getenv(v); loc != "" {
			break
		}
	}
	loc = strings.ToUpper(loc)
	for _, cs := range []string{"GBK", "GB18030", "GB2312", "BIG5", "EUC", "SJIS", "SHIFT_JIS"} {
		if strings.Contains(loc, cs) {
			return true
		}
	}
	return false
}
