package input

import (
	"fmt"
	"strings"

	"golang.org/x/text/unicode/norm"
)

// Headers recognised as the code and the name column, in order of
// preference (SPEC "Input"). Matching is on trimmed, NFKC-folded text,
// ignoring case.
var (
	codeHeaders = []string{"统一社会信用代码", "社会信用代码", "信用代码", "USCC", "注册号", "工商注册号", "searchKey"}
	nameHeaders = []string{"企业名称", "公司名称", "客户名称", "名称", "company", "name"}
)

// findColumns returns the code and name columns of header (-1 where there
// is none). With column set, that column alone holds the identifier; it is
// matched as a header first, then as a column letter.
func findColumns(header []string, column string) (code, name int, err error) {
	if column != "" {
		if i := headerIndex(header, column); i >= 0 {
			return i, -1, nil
		}
		if i, ok := columnLetter(column); ok {
			if i >= len(header) {
				return -1, -1, fmt.Errorf("column %s is beyond the header's %d columns; headers seen: %s", strings.ToUpper(column), len(header), listHeaders(header))
			}
			return i, -1, nil
		}
		return -1, -1, fmt.Errorf("column %q not found; headers seen: %s", column, listHeaders(header))
	}
	code, name = -1, -1
	for _, h := range codeHeaders {
		if code = headerIndex(header, h); code >= 0 {
			break
		}
	}
	for _, h := range nameHeaders {
		if name = headerIndex(header, h); name >= 0 {
			break
		}
	}
	if code < 0 && name < 0 {
		return -1, -1, fmt.Errorf("no identifier column: expected a header such as 统一社会信用代码 or 企业名称 (or use --column); headers seen: %s", listHeaders(header))
	}
	return code, name, nil
}

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

func foldHeader(s string) string {
	return strings.ToLower(strings.TrimFunc(norm.NFKC.String(s), IsTrimmed))
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

// listHeaders shows the headers seen, quoted, for an error line.
func listHeaders(header []string) string {
	if len(header) == 0 {
		return "(none)"
	}
	const max = 20
	parts := make([]string, 0, max+1)
	for i, h := range header {
		if i == max {
			parts = append(parts, fmt.Sprintf("… (%d more)", len(header)-max))
			break
		}
		if r := []rune(h); len(r) > 40 {
			h = string(r[:40]) + "…"
		}
		parts = append(parts, fmt.Sprintf("%s=%q", ColumnName(i), h))
	}
	return strings.Join(parts, ", ")
}
