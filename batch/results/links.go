package results

import (
	"os"
	"path/filepath"
	"strings"
)

// maxHyperlinkLen is the longest link HYPERLINK accepts in Excel.
const maxHyperlinkLen = 255

// hyperlinkFormula returns a HYPERLINK formula for an http(s) URL: the stream
// writer cannot add real hyperlinks (excelize issue #982). Quotes are doubled,
// so the URL cannot end the string literal and inject a formula; other
// schemes (file:, javascript:), control characters and over-long URLs are
// refused and left as plain text.
func hyperlinkFormula(url string) (string, bool) {
	lower := strings.ToLower(url)
	if !strings.HasPrefix(lower, "https://") && !strings.HasPrefix(lower, "http://") {
		return "", false
	}
	if len(url) > maxHyperlinkLen || hasControl(url) {
		return "", false
	}
	return `HYPERLINK(` + formulaString(url) + `)`, true
}

// fileLinks makes the links of the file column: a downloaded report's path,
// made relative to the folder the workbook is written to, so that the link
// still works when the workbook and the download folder are moved or shared
// together (a workbook beside the folder "reports" links "reports/x.pdf").
type fileLinks struct {
	base string // absolute folder of the workbook; "" when unknown
	cwd  string // what a relative file path is relative to
}

// linkBase returns the absolute folder of the results file path as given
// (not of a symlink's target: the link is where people open it), or "".
func linkBase(path string) string {
	abs, err := filepath.Abs(path)
	if err != nil {
		return ""
	}
	return filepath.Dir(abs)
}

// newFileLinks returns the links for a workbook in folder base. A relative
// file path is taken as relative to the current directory, where the run
// that downloaded it wrote it.
func newFileLinks(base string) fileLinks {
	cwd, _ := os.Getwd()
	return fileLinks{base: base, cwd: cwd}
}

// formula returns a HYPERLINK formula that opens file and shows file as its
// text, or false when file cannot be linked safely: empty, with control
// characters, or with "#" or "%" (which Excel and LibreOffice read as a
// fragment or an escape, so the link would open the wrong file).
func (fl fileLinks) formula(file string) (string, bool) {
	if file == "" || hasControl(file) || strings.ContainsAny(file, "#%") {
		return "", false
	}
	target := file
	abs := file
	if !filepath.IsAbs(abs) && fl.cwd != "" {
		abs = filepath.Join(fl.cwd, abs)
	}
	if fl.base != "" && filepath.IsAbs(abs) {
		if rel, err := filepath.Rel(fl.base, abs); err == nil {
			target = rel
		}
	}
	target = filepath.ToSlash(target)
	if !filepath.IsAbs(target) && !strings.HasPrefix(target, "/") {
		if first, _, _ := strings.Cut(target, "/"); strings.Contains(first, ":") {
			// "x:y/report.pdf" would read as a URL scheme x:.
			target = "./" + target
		}
	}
	if len(target) > maxHyperlinkLen {
		return "", false
	}
	return `HYPERLINK(` + formulaString(target) + `,` + formulaString(file) + `)`, true
}

// formulaString returns s as a formula string literal: quoted, with its
// quotes doubled, so it cannot end the literal.
func formulaString(s string) string {
	return `"` + strings.ReplaceAll(s, `"`, `""`) + `"`
}

// hasControl reports whether s holds a control character.
func hasControl(s string) bool {
	return strings.ContainsFunc(s, func(r rune) bool { return r < 0x20 || r == 0x7f })
}
