package batch

import "github.com/qccbatch/qccbatch/batch/msg"

// InvalidRow is a data row whose identifier is invalid: it is never
// ordered.
type InvalidRow struct {
	Row     int    // the data row, 0-based
	Line    int    // its sheet row (or CSV line), as people count
	Reason  msg.ID // the short reason (msg.Text names it)
	Message string // the whole reason, in the language asked for
}

// DuplicateRow is a data row naming a company an earlier row named: it
// shares that row's order and result.
type DuplicateRow struct {
	Row       int // the data row, 0-based
	Line      int // its sheet row (or CSV line)
	FirstRow  int // the row it repeats, 0-based
	FirstLine int // that row's sheet row
	Company   int // an index into Portfolio.Companies
}

// InvalidRows lists the invalid rows in input order, their messages in
// lang: what validate and run --dry-run list, for a front end to show.
func (p *Portfolio) InvalidRows(lang string) []InvalidRow {
	var out []InvalidRow
	for i, ci := range p.RowCompany {
		if ci < 0 {
			out = append(out, InvalidRow{Row: i, Line: int(p.RowLine[i]), Reason: p.RowReason[i], Message: p.Message(i, lang)})
		}
	}
	return out
}

// DuplicateRows lists the rows that repeat an earlier row's company, in
// input order.
func (p *Portfolio) DuplicateRows() []DuplicateRow {
	var out []DuplicateRow
	for i, ci := range p.RowCompany {
		if ci < 0 {
			continue
		}
		first := int(p.Companies[ci].FirstRow)
		if first == i {
			continue
		}
		out = append(out, DuplicateRow{Row: i, Line: int(p.RowLine[i]), FirstRow: first, FirstLine: int(p.RowLine[first]), Company: int(ci)})
	}
	return out
}
