package results

import (
	"path/filepath"
	"strings"
	"unicode"
	"unicode/utf8"
)

// windowsReserved are the file names Windows refuses whatever the
// extension (CON.xlsx is the console).
var windowsReserved = map[string]bool{"CON": true, "PRN": true, "AUX": true, "NUL": true,
	"COM1": true, "COM2": true, "COM3": true, "COM4": true, "COM5": true, "COM6": true, "COM7": true, "COM8": true, "COM9": true,
	"LPT1": true, "LPT2": true, "LPT3": true, "LPT4": true, "LPT5": true, "LPT6": true, "LPT7": true, "LPT8": true, "LPT9": true,
	"CONIN$": true, "CONOUT$": true, "COM¹": true, "COM²": true, "COM³": true, "LPT¹": true, "LPT²": true, "LPT³": true}

// maxSplitName bounds the value's part of a split file name, in bytes
// (Windows and most file systems allow 255 per name).
const maxSplitName = 120

// SafeName turns a cell value into a part of a file name that Windows,
// macOS and Linux all accept: <>:"/\|?*, control and format characters
// (a right-to-left override would disguise the name) become _, trailing
// dots and spaces go, a reserved device name (CON, PRN, AUX, NUL, COM1-9,
// LPT1-9, CONIN$, CONOUT$, COM¹-³, LPT¹-³) gets a _ after it, and the name
// is cut to a bound at a character boundary. blank names an empty value.
func SafeName(value, blank string) string {
	var b strings.Builder
	for _, r := range strings.TrimSpace(value) {
		if r < 0x20 || r == 0x7f || unicode.Is(unicode.Cf, r) || strings.ContainsRune(`<>:"/\|?*`, r) {
			r = '_'
		}
		b.WriteRune(r)
	}
	s := b.String()
	if len(s) > maxSplitName {
		cut := maxSplitName
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		s = s[:cut]
	}
	s = strings.TrimRight(s, ". ")
	if s == "" {
		return blank
	}
	if base, _, _ := strings.Cut(s, "."); windowsReserved[strings.ToUpper(strings.TrimSpace(base))] {
		s = base + "_" + s[len(base):]
	}
	return s
}

// SplitPath is the results file of one split value: OUT-<name>.ext beside
// out (name from SafeName).
func SplitPath(out, name string) string {
	ext := filepath.Ext(out)
	return strings.TrimSuffix(out, ext) + "-" + name + ext
}
