package batch

import (
	"fmt"
	"io"
	"sort"
	"unicode/utf8"

	"github.com/qccbatch/qccbatch/batch/identifier"
	"github.com/qccbatch/qccbatch/batch/input"
	"github.com/qccbatch/qccbatch/batch/msg"
	"github.com/qccbatch/qccbatch/batch/results"
)

// WritePlan writes the plan of `validate` (and of `run --dry-run`) for
// people, in language t: what was read, how many rows are invalid and why, how
// many are duplicates, and how many companies would be ordered.
func (p *Portfolio) WritePlan(w io.Writer, t msg.Language) {
	src := p.Path
	if p.Sheet != "" {
		src += t.Text(msg.PlanSheet, p.Sheet)
	}
	if p.HeaderRow > 1 {
		src += t.Text(msg.PlanHeaderRow, p.HeaderRow)
	}
	fmt.Fprint(w, t.Text(msg.PlanInput, src, p.Format))
	fmt.Fprint(w, t.Text(msg.PlanIdentifier, p.columnsText(t)))
	fmt.Fprint(w, t.Text(msg.PlanRows, p.Rows))
	invalid := p.Invalid()
	fmt.Fprint(w, t.Text(msg.PlanInvalid, invalid))
	writeCounts(w, t, p.InvalidByReason)
	fmt.Fprint(w, t.Text(msg.PlanDuplicates, p.Duplicates))
	if n := sumCounts(p.WarningByReason); n > 0 {
		fmt.Fprint(w, t.Text(msg.PlanWarnings, n))
		writeCounts(w, t, p.WarningByReason)
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
	fmt.Fprint(w, t.Text(msg.PlanCompanies, len(p.Companies), codes, regs, names))
	if invalid > 0 {
		fmt.Fprint(w, t.Text(msg.PlanInvalidNeverOrdered))
	}
}

// columnsText describes the identifier columns, e.g.
// `column C "统一社会信用代码", else column B "企业名称" where the code is empty`.
func (p *Portfolio) columnsText(t msg.Language) string {
	col := func(i int) string {
		h := ""
		if i < len(p.Header) {
			h = p.Header[i]
		}
		return t.Text(msg.PlanColumn, input.ColumnName(i), h)
	}
	switch {
	case p.CodeColumn >= 0 && p.NameColumn >= 0:
		return t.Text(msg.PlanCodeElseName, col(p.CodeColumn), col(p.NameColumn))
	case p.CodeColumn >= 0:
		return col(p.CodeColumn)
	case p.NameColumn >= 0:
		return col(p.NameColumn)
	}
	return t.Text(msg.PlanNoColumn)
}

// writeCounts lists counts by reason, in t's language, largest first, then
// by name.
func writeCounts(w io.Writer, t msg.Language, m map[msg.ID]int) {
	keys := make([]string, 0, len(m))
	counts := make(map[string]int, len(m))
	for id, n := range m {
		k := t.Text(id)
		keys = append(keys, k)
		counts[k] += n
	}
	sort.Slice(keys, func(i, j int) bool {
		if counts[keys[i]] != counts[keys[j]] {
			return counts[keys[i]] > counts[keys[j]]
		}
		return keys[i] < keys[j]
	})
	for _, k := range keys {
		fmt.Fprintf(w, "  %-*s %d\n", 24-results.DisplayWidth(k)+utf8.RuneCountInString(k), k, counts[k])
	}
}

func sumCounts(m map[msg.ID]int) int {
	n := 0
	for _, c := range m {
		n += c
	}
	return n
}

// WriteRows lists the invalid rows with their sheet row number and reason,
// then the duplicate rows with the row they repeat: the first max of each
// on w, then how many more there are; in language t.
func (p *Portfolio) WriteRows(w io.Writer, t msg.Language, limit int) {
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
			fmt.Fprint(w, t.Text(msg.PlanInvalidRows))
		}
		listed++
		fmt.Fprint(w, t.Text(msg.PlanInvalidRow, p.RowLine[i], t.Msg(p.RowMessage[i])))
	}
	if more > 0 {
		fmt.Fprint(w, t.Text(msg.PlanMore, more))
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
			fmt.Fprint(w, t.Text(msg.PlanDuplicateRows))
		}
		listed++
		fmt.Fprint(w, t.Text(msg.PlanDuplicateRow, p.RowLine[i], p.RowLine[p.Companies[ci].FirstRow], p.Companies[ci].SearchKey))
	}
	if more > 0 {
		fmt.Fprint(w, t.Text(msg.PlanMore, more))
	}
	if p.PeopleColumn >= 0 {
		fmt.Fprint(w, t.Text(msg.PlanPeopleWarning, p.columnLabel(p.PeopleColumn), p.PeopleNames, p.PeopleOrgs, organisationWords))
	}
}
