package input

import (
	"strings"
	"unicode"
)

// IsInvisible reports whether r is a zero-width or byte-order character that
// copy-paste from web pages and Word leaves in cells.
func IsInvisible(r rune) bool {
	switch r {
	case '\u200b', '\u200c', '\u200d', '\u2060', '\ufeff', '\u00ad':
		return true
	}
	return false
}

// IsTrimmed reports whether r is dropped from both ends of an identifier:
// white space of any width (including NBSP and the ideographic space) and
// invisible characters.
func IsTrimmed(r rune) bool { return unicode.IsSpace(r) || IsInvisible(r) }

// Trim trims an identifier cell and unwraps Excel's ="..." text trick.
func Trim(s string) string {
	s = strings.TrimFunc(s, IsTrimmed)
	if len(s) >= 3 && strings.HasPrefix(s, `="`) && strings.HasSuffix(s, `"`) {
		s = strings.TrimFunc(s[2:len(s)-1], IsTrimmed)
	}
	return s
}
