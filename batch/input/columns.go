package input

import (
	"errors"
	"fmt"
	"strings"

	"golang.org/x/text/unicode/norm"

	"github.com/qccbatch/qccbatch/batch/msg"
)

// Headers recognised as the code and the name column, in order of
// preference (SPEC "Input"). Matching is on NFKC-folded text without
// spaces, ignoring case (foldHeader).
var (
	codeHeaders = []string{"统一社会信用代码", "社会信用代码", "信用代码", "USCC", "注册号", "工商注册号", "searchKey"}
	nameHeaders = []string{"企业名称", "公司名称", "客户名称", "名称", "company", "name"}
)

// findColumns returns the code and name columns of header (-1 where there
// is none). opt.Column names the code column and opt.NameColumn the name
// column, each as header text first, then as a column letter; a column not
// named is found by its header. A row uses its code, or its name where
// the code cell is empty, whichever columns were named.
func findColumns(header []string, opt Options) (code, name int, err error) {
	code, name = -1, -1
	if opt.Column != "" {
		if code, err = namedColumn(header, opt.Column); err != nil {
			return -1, -1, err
		}
	} else {
		code = firstHeader(header, codeHeaders)
	}
	if opt.NameColumn != "" {
		if name, err = namedColumn(header, opt.NameColumn); err != nil {
			return -1, -1, err
		}
	} else {
		name = firstHeader(header, nameHeaders)
	}
	if code >= 0 && code == name { // one column serves as both: it is what was named
		if opt.Column == "" {
			code = -1
		} else {
			name = -1
		}
	}
	if code < 0 && name < 0 {
		return -1, -1, &textError{id: msg.InNoIDColumn, args: []any{exampleCodeHeader, exampleNameHeader, listHeaders(header, 20)}, err: errNoIDColumn}
	}
	return code, name, nil
}

// errNoIDColumn is a header without a code or a name column.
var errNoIDColumn = errors.New("no identifier column")

// namedColumn finds a column named on the command line: by its header,
// else by its letter.
func namedColumn(header []string, column string) (int, error) {
	if i := headerIndex(header, column); i >= 0 {
		return i, nil
	}
	if i, ok := columnLetter(column); ok {
		if i >= len(header) {
			return -1, errText(msg.InColumnBeyond, strings.ToUpper(column), len(header), listHeaders(header, 20))
		}
		return i, nil
	}
	return -1, errText(msg.InColumnNotFound, column, listHeaders(header, 20))
}

// firstHeader returns the column of the first of names (in order of
// preference) that header holds, or -1.
func firstHeader(header []string, names []string) int {
	for _, h := range names {
		if i := headerIndex(header, h); i >= 0 {
			return i
		}
	}
	return -1
}

// holdsHeader reports whether r holds a known header, or the header text
// of a column named in opt, as a whole cell: prose that mentions 企业名称
// (an instructions sheet) is not a header.
func holdsHeader(r Row, opt Options) bool {
	for _, c := range r.Cells {
		if c.Type != CellString {
			continue
		}
		h := foldHeader(c.Value)
		if h == "" {
			continue
		}
		if knownHeader[h] || (opt.Column != "" && h == foldHeader(opt.Column)) ||
			(opt.NameColumn != "" && h == foldHeader(opt.NameColumn)) {
			return true
		}
	}
	return false
}

// knownHeader holds the folded code and name headers.
var knownHeader = func() map[string]bool {
	m := map[string]bool{}
	for _, h := range append(append([]string{}, codeHeaders...), nameHeaders...) {
		m[foldHeader(h)] = true
	}
	return m
}()

// headerIndex returns the first column whose header matches h, or -1.
func headerIndex(header []string, h string) int {
	want := foldHeader(h)
	for i, got := range header {
		if foldHeader(got) == want {
			return i
		}
	}
	return -1
}

// foldHeader folds header text for matching: NFKC, lower case, and every
// space, line break and invisible character dropped, so a header wrapped
// in its cell (Alt+Enter: "统一社会\n信用代码") or spaced out ("企业　名称")
// is still found.
func foldHeader(s string) string {
	return strings.ToLower(strings.Map(func(r rune) rune {
		if IsTrimmed(r) {
			return -1
		}
		return r
	}, norm.NFKC.String(s)))
}

// columnLetter parses a column letter such as "C" or "ab" (0-based index).
func columnLetter(s string) (int, bool) {
	s = strings.TrimSpace(s)
	if s == "" || len(s) > 3 {
		return 0, false
	}
	n, err := columnIndex([]byte(s))
	if err != nil || len(strings.TrimLeft(strings.ToUpper(s), "ABCDEFGHIJKLMNOPQRSTUVWXYZ")) != 0 {
		return 0, false
	}
	return n, true
}

// ColumnName returns the spreadsheet letter of a 0-based column index.
func ColumnName(i int) string {
	var b []byte
	for i++; i > 0; i = (i - 1) / 26 {
		b = append([]byte{byte('A' + (i-1)%26)}, b...)
	}
	return string(b)
}

// listHeaders shows the first limit headers seen, quoted, for an error
// line; empty cells are left out.
//
// It is an error only to be an argument of a textError: a plainText list,
// or a *textError "(none)".
func listHeaders(header []string, limit int) error {
	parts := make([]string, 0, limit+1)
	for i, h := range header {
		if h == "" {
			continue
		}
		if len(parts) == limit {
			parts = append(parts, "…")
			break
		}
		if r := []rune(h); len(r) > 40 {
			h = string(r[:40]) + "…"
		}
		parts = append(parts, fmt.Sprintf("%s=%q", ColumnName(i), h))
	}
	if len(parts) == 0 {
		return errText(msg.InNoHeaders)
	}
	return plainText(strings.Join(parts, ", "))
}

// plainText is an error argument that is not translated: names as they came.
type plainText string

func (t plainText) Error() string { return string(t) }
