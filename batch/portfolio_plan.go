package batch

import (
	"fmt"
	"io"
	"sort"
	"unicode/utf8"

	"github.com/qccbatch/qccbatch/batch/identifier"
	"github.com/qccbatch/qccbatch/batch/input"
	"github.com/qccbatch/qccbatch/batch/results"
)

// WritePlan writes the plan of `validate` (and of `run --dry-run`) for
// people: what was read, how many rows are invalid and why, how many are
// duplicates, and how many companies would be ordered.
func (p *Portfolio) WritePlan(w io.Writer) {
	src := p.Path
	if p.Sheet != "" {
		src += fmt.Sprintf(" (sheet %q)", p.Sheet)
	}
	if p.HeaderRow > 1 {
		src += fmt.Sprintf(", header on row %d", p.HeaderRow)
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
	fmt.Fprintf(w, "companies:   %d (%d by credit code, %d by registration number, %d by name)\n",
		len(p.Companies), codes, regs, names)
	if invalid > 0 {
		fmt.Fprintf(w, "Invalid rows are never ordered.\n")
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
		fmt.Fprintf(w, "  %-*s %d\n", 24-results.DisplayWidth(k)+utf8.RuneCountInString(k), k, m[k])
	}
}

func sumCounts(m map[string]int) int {
	n := 0
	for _, c := range m {
		n += c
	}
	return n
}

// WriteRows lists the invalid rows with their sheet row number and reason,
// then the duplicate rows with the row they repeat: the first max of each
// on w, then how many more there are.
func (p *Portfolio) WriteRows(w io.Writer, lang string, limit int) {
	listed, more := 0, 0
	for i, ci := range p.RowCompany {
		if ci >= 0 {
			continue
		}
		if listed == limit {
			more++
			continue
		}
		if listed == 0 {
			fmt.Fprintln(w, "invalid rows:")
		}
		listed++
		fmt.Fprintf(w, "  row %d: %s\n", p.RowLine[i], p.Message(i, lang))
	}
	if more > 0 {
		fmt.Fprintf(w, "  and %d more — write them with -o\n", more)
	}
	listed, more = 0, 0
	for i, ci := range p.RowCompany {
		if ci < 0 || p.Companies[ci].FirstRow == int32(i) {
			continue
		}
		if listed == limit {
			more++
			continue
		}
		if listed == 0 {
			fmt.Fprintln(w, "duplicate rows:")
		}
		listed++
		fmt.Fprintf(w, "  row %d repeats row %d (%s)\n", p.RowLine[i], p.RowLine[p.Companies[ci].FirstRow], p.Companies[ci].SearchKey)
	}
	if more > 0 {
		fmt.Fprintf(w, "  and %d more — write them with -o\n", more)
	}
	if p.PeopleColumn >= 0 {
		fmt.Fprintf(w, "warning: only %d of %d names in column %s look like organisations (公司, 厂, 中心, Ltd …): is this a column of people? "+
			"run refuses it unless --name-column names it\n", p.PeopleOrgs, p.PeopleNames, p.columnLabel(p.PeopleColumn))
	}
}
