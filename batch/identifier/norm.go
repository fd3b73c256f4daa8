package identifier

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/qccbatch/qccbatch/batch/input"
	"golang.org/x/text/unicode/norm"
)

// foldCode folds a would-be code to ASCII: NFKC (full-width digits and
// letters become ASCII), every space and invisible character dropped, upper
// case, and a leading apostrophe (Excel's "this is text" mark) removed.
func foldCode(s string) string {
	s = norm.NFKC.String(s)
	s = strings.TrimPrefix(s, "'")
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		if input.IsTrimmed(r) {
			continue
		}
		if 'a' <= r && r <= 'z' {
			r -= 'a' - 'A'
		}
		b.WriteRune(r)
	}
	return b.String()
}

// looksLikeCode reports whether a folded value is meant as a code rather
// than a name: only ASCII digits and capital letters, and all digits or at
// least eight of them. "3M" and "ABB" stay names.
func looksLikeCode(s string) bool {
	if s == "" {
		return false
	}
	digits := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case '0' <= c && c <= '9':
			digits++
		case 'A' <= c && c <= 'Z':
		default:
			return false
		}
	}
	return digits == len(s) || digits >= 8
}

// AppendNameKey appends to dst the de-duplication key of a name cell's
// text, as Classify gives a name (ID.Key; nothing for a blank cell),
// without checking that the text is a valid name: with a reused dst it
// allocates nothing for most names.
func AppendNameKey(dst []byte, cell string) []byte {
	raw := input.Trim(cell)
	if raw == "" {
		return dst
	}
	return appendNameKey(dst, raw)
}

// nameKey is the de-duplication key of a name: NFKC (full-width brackets
// become ASCII), Latin letters upper-cased, runs of space collapsed to one,
// invisible characters dropped.
func nameKey(name string) string {
	k := appendNameKey(make([]byte, 0, len(name)), name)
	if string(k) != name {
		return string(k)
	}
	return name // share the memory of the search key
}

func appendNameKey(b []byte, name string) []byte {
	s := name
	if !norm.NFKC.IsNormalString(s) {
		s = norm.NFKC.String(s)
	}
	start := len(b)
	space := false
	for _, r := range s {
		switch {
		case input.IsInvisible(r):
			continue
		case unicode.IsSpace(r):
			space = true
			continue
		}
		if space && len(b) > start {
			b = append(b, ' ')
		}
		space = false
		b = utf8.AppendRune(b, unicode.ToUpper(r))
	}
	return b
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// isSciNotation reports whether s is a number in scientific notation, as
// Excel shows (and exports to CSV) a long number: "9.14403E+17". The form
// is strict (a decimal point or a signed exponent, at most three exponent
// digits) so that a credit code with an E in it ("9E44...") is not taken
// for one.
func isSciNotation(s string) bool {
	s = foldCode(s)
	i := strings.IndexByte(s, 'E')
	if i <= 0 || i == len(s)-1 {
		return false
	}
	mant, exp := strings.TrimPrefix(s[:i], "-"), s[i+1:]
	intPart, frac, dot := strings.Cut(mant, ".")
	if !allDigits(intPart) || (dot && frac != "" && !allDigits(frac)) {
		return false
	}
	signed := exp[0] == '+' || exp[0] == '-'
	if signed {
		exp = exp[1:]
	}
	return (dot || signed) && len(exp) <= 3 && allDigits(exp)
}

// numberDigits returns the decimal digits of the integer a spreadsheet
// number cell holds ("9.14403001922038E+017" gives 18 digits, "110108012345678"
// 15). ok is false for negative or fractional numbers and for text that is
// not a number, and for exponents beyond ±30 (no identifier is that long).
func numberDigits(raw string) (string, bool) {
	s := strings.TrimSpace(raw)
	exp := 0
	if i := strings.IndexAny(s, "eE"); i >= 0 {
		e, err := strconv.Atoi(strings.TrimPrefix(s[i+1:], "+"))
		if err != nil || e > 30 || e < -30 {
			return "", false
		}
		exp, s = e, s[:i]
	}
	intPart, frac, _ := strings.Cut(s, ".")
	if !allDigits(intPart) || (frac != "" && !allDigits(frac)) {
		return "", false
	}
	mant := intPart + frac
	point := len(intPart) + exp
	lead := len(mant) - len(strings.TrimLeft(mant, "0"))
	mant, point = mant[lead:], point-lead
	switch {
	case mant == "":
		return "0", true
	case point <= 0:
		return "", false
	case point >= len(mant):
		return mant + strings.Repeat("0", point-len(mant)), true
	}
	if strings.Trim(mant[point:], "0") != "" {
		return "", false
	}
	return mant[:point], true
}

// exactDigits reports whether a number cell holds the digits as they were
// entered, though more than a spreadsheet keeps: its raw text carries more
// than 15 significant digits (Excel and LibreOffice write what a double
// keeps: "9.14403001922038E+017", "914403001922038000"), and those digits
// are not merely the expansion of a double ("914403001922038272" for
// 914403001922038216), unless they form a valid credit code.
func exactDigits(raw, digits string) bool {
	s := strings.TrimSpace(raw)
	if i := strings.IndexAny(s, "eE"); i >= 0 {
		s = s[:i]
	}
	s = strings.Trim(strings.Replace(s, ".", "", 1), "0")
	if len(s) <= 15 || !allDigits(s) {
		return false
	}
	if len(digits) == 18 {
		if want, _ := USCCCheckChar(digits[:17]); want == digits[17] {
			return true
		}
	}
	f, err := strconv.ParseFloat(digits, 64)
	return err == nil && strconv.FormatFloat(f, 'f', 0, 64) != digits
}
