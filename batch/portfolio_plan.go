package batch

import (
	"fmt"
	"io"
	"sort"
	"unicode/utf8"

	"github.com/qccbatch/qccbatch/batch/identifier"
	"github.com/qccbatch/qccbatch/batch/input"
)

// WritePlan writes the plan of `validate` (and of `run --dry-run`) for
// people: what was read, how many rows are invalid and why, how many are
// duplicates, and how many companies would be ordered.
func (p *Portfolio) WritePlan(w io.Writer) {
	src := p.Path
	if p.Sheet != "" {
		src += fmt.Sprintf(" (sheet %q)", p.Sheet)
	}
	fmt.Fprintf(w, "input:       %s, %s\n", src, p.Format)
	fmt.Fprintf(w, "identifier:  %s\n", p.columnsText())
	fmt.Fprintf(w, "rows:        %d\n", p.Rows)
	invalid := p.Invalid()
	fmt.Fprintf(w, "invalid:     %d\n", invalid)
	writeCounts(w, p.InvalidByReason)
	fmt.Fprintf(w, "duplicates:  %d (rows naming a company already named above; they share its result)\n", p.Duplicates)
	if n := sumCounts(p.WarningByReason); n > 0 {
		fmt.Fprintf(w, "warnings:    %d (ordered, see the message column)\n", n)
		writeCounts(w, p.WarningByReason)
	}
	var codes, regs, names int
	for _, c := range p.Companies {
		switch c.Kind {
		case identifier.KindUSCC:
			codes++
		case identifier.KindRegNo:
			regs++
		default:
			names++
		}
	}
	fmt.Fprintf(w, "companies:   %d to order (%d by credit code, %d by registration number, %d by name)\n",
		len(p.Companies), codes, regs, names)
	if invalid > 0 {
		fmt.Fprintf(w, "Invalid rows are never ordered; write the results with -o to see each row's reason.\n")
	}
}

// columnsText describes the identifier columns, e.g.
// `C "统一社会信用代码", else B "企业名称" where the code is empty`.
func (p *Portfolio) columnsText() string {
	col := func(i int) string {
		h := ""
		if i < len(p.Header) {
			h = p.Header[i]
		}
		return fmt.Sprintf("column %s %q", input.ColumnName(i), h)
	}
	switch {
	case p.CodeColumn >= 0 && p.NameColumn >= 0:
		return col(p.CodeColumn) + ", else " + col(p.NameColumn) + " where the code is empty"
	case p.CodeColumn >= 0:
		return col(p.CodeColumn)
	case p.NameColumn >= 0:
		return col(p.NameColumn)
	}
	return "(none)"
}

// writeCounts lists counts by reason, largest first, then by name.
func writeCounts(w io.Writer, m map[string]int) {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		if m[keys[i]] != m[keys[j]] {
			return m[keys[i]] > m[keys[j]]
		}
		return keys[i] < keys[j]
	})
	for _, k := range keys {
		fmt.Fprintf(w, "  %-*s %d\n", 24-displayWidth(k)+utf8.RuneCountInString(k), k, m[k])
	}
}

func sumCounts(m map[string]int) int {
	n := 0
	for _, c := range m {
		n += c
	}
	return n
}

// displayWidth approximates the terminal width of s: CJK characters take
// two columns.
func displayWidth(s string) int {
	w := 0
	for _, r := range s {
		if r >= 0x1100 && (r <= 0x115f || (r >= 0x2e80 && r <= 0xa4cf) || (r >= 0xac00 && r <= 0xd7a3) ||
			(r >= 0xf900 && r <= 0xfaff) || (r >= 0xfe30 && r <= 0xfe4f) || (r >= 0xff00 && r <= 0xff60) || (r >= 0xffe0 && r <= 0xffe6)) {
			w += 2
		} else {
			w++
		}
	}
	return w
}
