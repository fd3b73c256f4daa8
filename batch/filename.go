package batch

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"unicode"
	"unicode/utf8"
)

// maxFileName is the longest report file name written, in bytes.
const maxFileName = 120

// maxOrderPart is the longest order number kept whole in a file name; a
// longer one (never seen from the API) is cut and tagged with a hash of it.
const maxOrderPart = 64

// reportFileName returns the file name of a downloaded report,
// <search_key>_<order_no>.<ext>, made safe on every operating system:
//
//   - it always ends with the order number and the extension: when the name
//     is too long, the company part is cut (at a character boundary), so two
//     companies whose names share a long prefix never share a file;
//   - at most 120 bytes, valid UTF-8, never empty;
//   - path separators, characters Windows refuses (: * ? " < > |), "#" and
//     "%" (which break a link to the file), control characters and invalid
//     UTF-8 become "_"; bidi controls (U+202A–U+202E,
//     U+2066–U+2069, U+200E, U+200F) and other invisible format characters
//     are dropped, so a name cannot display differently from what it is;
//   - no "..", no leading or trailing dots and spaces (Windows drops trailing
//     ones, Unix hides a leading dot);
//   - never a Windows device name (CON, PRN, AUX, NUL, COM0–9, LPT0–9,
//     CONIN$, CONOUT$, with or without an extension): such a name gets a
//     leading "_".
func reportFileName(searchKey, orderNo, ext string) string {
	order := cleanNamePart(orderNo)
	if len(order) > maxOrderPart {
		sum := sha256.Sum256([]byte(orderNo))
		order = cutBytes(order, maxOrderPart-9) + "-" + hex.EncodeToString(sum[:4])
	}
	suffix := ""
	if e := strings.Trim(cutBytes(cleanNamePart(ext), 16), ". "); e != "" {
		suffix = "." + e
	}
	if order != "" {
		suffix = "_" + order + suffix
	}
	company := cleanNamePart(searchKey)
	if strings.Trim(company, "_") == "" {
		company = "report"
	}
	name := fitName(company, suffix)
	if windowsReserved(name) {
		name = fitName("_"+company, suffix)
	}
	return name
}

// fitName joins company and suffix, cutting company so the name fits in
// maxFileName bytes and ends in no dot or space before the suffix.
func fitName(company, suffix string) string {
	company = strings.TrimRight(cutBytes(company, maxFileName-len(suffix)), ". ")
	if company == "" {
		company = "report"
	}
	return company + suffix
}

// cleanNamePart makes s safe as part of a file name: unsafe characters become
// "_", invisible format characters are dropped, ".." is broken up and leading
// and trailing dots and spaces are trimmed.
func cleanNamePart(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for i, r := range s {
		switch {
		case r == utf8.RuneError:
			_, size := utf8.DecodeRuneInString(s[i:])
			if size == 1 { // an invalid byte, not a real U+FFFD
				b.WriteByte('_')
				continue
			}
			b.WriteRune(r)
		case unicode.IsControl(r), r == '\u2028', r == '\u2029':
			b.WriteByte('_')
		case strings.ContainsRune(`/\:*?"<>|#%`, r):
			// Windows refuses the first nine; "#" and "%" would break
			// the file's link in the results workbook (a fragment, an
			// escape).
			b.WriteByte('_')
		case unicode.Is(unicode.Cf, r):
			// Bidi controls, zero-width characters, BOM: dropped.
		default:
			b.WriteRune(r)
		}
	}
	out := b.String()
	for strings.Contains(out, "..") {
		out = strings.ReplaceAll(out, "..", "_")
	}
	return strings.Trim(out, ". ")
}

// cutBytes returns the longest prefix of s of at most n bytes that ends at a
// character boundary.
func cutBytes(s string, n int) string {
	if n <= 0 {
		return ""
	}
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// windowsDevices are the names Windows maps to devices, in upper case.
var windowsDevices = func() map[string]bool {
	m := map[string]bool{"CON": true, "PRN": true, "AUX": true, "NUL": true, "CONIN$": true, "CONOUT$": true}
	for _, p := range []string{"COM", "LPT"} {
		for _, d := range []string{"0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "¹", "²", "³"} {
			m[p+d] = true
		}
	}
	return m
}()

// windowsReserved reports whether Windows would open a device instead of a
// file named name: its part before the first dot, without trailing spaces,
// is a device name in any case ("nul.pdf", "Com1 .txt").
func windowsReserved(name string) bool {
	stem, _, _ := strings.Cut(name, ".")
	return windowsDevices[strings.ToUpper(strings.TrimRight(stem, " "))]
}
