package results

import (
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/qccbatch/qccbatch/batch/outcome"
	"github.com/xuri/excelize/v2"
)

// summaryStyles are the styles of the Summary sheet.
type summaryStyles struct {
	bold, left, wrap, money, ratio, stop int
}

// newSummaryStyles registers the Summary sheet's styles in f.
func newSummaryStyles(f *excelize.File) (summaryStyles, error) {
	var ss summaryStyles
	boldFont := styleFont(f, func(ft *excelize.Font) { ft.Bold = true })
	left := &excelize.Alignment{Horizontal: "left", Vertical: "top"}
	wrap := &excelize.Alignment{Horizontal: "left", Vertical: "top", WrapText: true}
	money, ratio := "#,##0.00", "0.00"
	for _, x := range []struct {
		id *int
		st *excelize.Style
	}{
		{&ss.bold, &excelize.Style{Font: boldFont, Alignment: &excelize.Alignment{Vertical: "top"}}},
		{&ss.left, &excelize.Style{Alignment: left}},
		{&ss.wrap, &excelize.Style{Alignment: wrap}},
		{&ss.money, &excelize.Style{Alignment: left, CustomNumFmt: &money}},
		{&ss.ratio, &excelize.Style{Alignment: left, CustomNumFmt: &ratio}},
		{&ss.stop, &excelize.Style{Alignment: wrap, Font: boldFont,
			Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{outcomeColours[outcome.Uncertain][0]}}}},
	} {
		id, err := f.NewStyle(x.st)
		if err != nil {
			return ss, err
		}
		*x.id = id
	}
	return ss, nil
}

// writeSummarySheet adds the Summary sheet: why the run stopped (if it did),
// the run's facts, the rows that need a person and what to do about them,
// the count of every outcome (zeros included), and a legend saying what
// each outcome means and what a rerun does with it, in the language of rf.
func writeSummarySheet(f *excelize.File, st *xlsxStyles, sum Summary, rf rowFormat) error {
	if _, err := f.NewSheet(summarySheet); err != nil {
		return err
	}
	ss, err := newSummaryStyles(f)
	if err != nil {
		return err
	}
	sh := summaryWriter{f: f}
	sh.titleLines(ss, sum, rf)
	sh.facts(ss, sum, rf)
	writeRatingRows(&sh, ss, sum, rf.lang)
	sh.actions(ss, st, sum, rf)
	sh.counts(ss, st, sum, rf)
	sh.legend(ss, st, rf)
	if sh.err != nil {
		return sh.err
	}
	widths := summaryWidths[:]
	for i, w := range widths {
		col, err := excelize.ColumnNumberToName(i + 1)
		if err != nil {
			return err
		}
		if err := f.SetColWidth(summarySheet, col, col, w); err != nil {
			return err
		}
	}
	return setPrintLayout(f, summarySheet, widths)
}

// titleLines writes the input's title lines (the rows above its header),
// the first under its label and each further one below it, then a blank
// row; nothing when the input had none.
func (s *summaryWriter) titleLines(ss summaryStyles, sum Summary, rf rowFormat) {
	if len(sum.TitleLines) == 0 {
		return
	}
	for i, line := range sum.TitleLines {
		label := ""
		if i == 0 {
			label = rf.tx.titleLines
		}
		s.row(ss.bold, label, line)
		s.style(ss.left, 2)
	}
	s.n++
}

// facts writes the run's facts, label and value, starting with why the run
// stopped if it did; a fact that does not apply (no price, no uncertain
// order) is left out.
func (s *summaryWriter) facts(ss summaryStyles, sum Summary, rf rowFormat) {
	tx := rf.tx
	fact := func(label string, value any, style int) {
		s.row(ss.bold, label, value)
		s.style(style, 2) // numbers beside their label, not at the far right
	}
	if sum.StopReason != "" {
		fact(tx.stopReason, sum.StopReason, ss.stop)
		s.fitHeight(2, sum.StopReason)
	}
	fact(tx.input, sum.Input, ss.left)
	fact(tx.state, sum.State, ss.left)
	fact(tx.start, rf.time(sum.Start), ss.left)
	fact(tx.end, rf.time(sum.End), ss.left)
	fact(tx.version, sum.Version, ss.left)
	fact(tx.rows, sum.Rows, ss.left)
	fact(tx.companies, sum.Companies, ss.left)
	if sum.ToOrder > 0 {
		fact(tx.toOrder, sum.ToOrder, ss.left)
	}
	fact(tx.newOrders, sum.NewOrders, ss.left)
	if sum.ToOrder > 0 && sum.ToOrder != sum.NewOrders {
		s.row(0, "", tx.ordersNote)
		s.style(ss.wrap, 2)
		s.fitHeight(2, tx.ordersNote)
	}
	if sum.PossiblyCharged > 0 {
		fact(tx.possiblyCharged, sum.PossiblyCharged, ss.left)
	}
	if sum.Price > 0 {
		fact(tx.price, sum.Price, ss.money)
		fact(tx.spend, float64(sum.NewOrders)*sum.Price, ss.money)
	}
	fact(tx.apiCalls, sum.APICalls, ss.left)
	if sum.NewOrders > 0 && sum.APICalls > 0 {
		fact(tx.callsPerOrder, float64(sum.APICalls)/float64(sum.NewOrders), ss.ratio)
	}
	if sum.PollsPending > 0 {
		fact(tx.pollsPending, sum.PollsPending, ss.left)
	}
	if len(sum.Formats) > 0 {
		fact(tx.formats, formatCounts(sum.Formats), ss.left)
	}
}

// actions writes, after a blank row, the rows that need a person: each
// group of outcomes, how many rows have them, and what to do.
func (s *summaryWriter) actions(ss summaryStyles, st *xlsxStyles, sum Summary, rf rowFormat) {
	tx := rf.tx
	s.n++
	s.row(ss.bold, tx.needsAction, tx.rowsCol, tx.whatToDo)
	s.style(ss.bold, 2)
	s.style(ss.bold, 3)
	for _, a := range tx.actions {
		labels := make([]string, len(a.outcomes))
		n := 0
		for i, o := range a.outcomes {
			labels[i] = o.Label(rf.lang)
			n += sum.Counts[o]
		}
		s.row(st.outcome[a.outcomes[0]], strings.Join(labels, " / "), n, a.todo)
		s.style(ss.left, 2)
		s.style(ss.wrap, 3)
		s.fitHeight(3, a.todo)
	}
}

// counts writes, after a blank row, the count of every outcome, zeros
// included: rows, and companies beside them when they are known.
func (s *summaryWriter) counts(ss summaryStyles, st *xlsxStyles, sum Summary, rf rowFormat) {
	s.n++
	if sum.CompanyCounts == nil {
		s.row(ss.bold, rf.tx.counts, rf.tx.count)
	} else {
		s.row(ss.bold, rf.tx.counts, rf.tx.count, rf.tx.companiesCol)
		s.style(ss.bold, 3)
	}
	s.style(ss.bold, 2)
	for _, o := range outcome.All() {
		if sum.CompanyCounts == nil {
			s.row(st.outcome[o], o.Label(rf.lang), sum.Counts[o])
		} else {
			s.row(st.outcome[o], o.Label(rf.lang), sum.Counts[o], sum.CompanyCounts[o])
			s.style(ss.left, 3)
		}
		s.style(ss.left, 2)
	}
}

// legend writes, after a blank row, what each outcome means and what a
// rerun does with it.
func (s *summaryWriter) legend(ss summaryStyles, st *xlsxStyles, rf rowFormat) {
	tx := rf.tx
	s.n++
	s.row(ss.bold, tx.legend, tx.meaning, tx.onRerun)
	s.style(ss.bold, 2)
	s.style(ss.bold, 3)
	for _, o := range outcome.All() {
		s.row(st.outcome[o], o.Label(rf.lang), tx.meanings[o], tx.reruns[o])
		s.style(ss.wrap, 2)
		s.style(ss.wrap, 3)
		s.fitHeight(2, tx.meanings[o], tx.reruns[o])
	}
}

// formatCounts renders companies per report format, "pdf 120, word 3", in
// a stable order.
func formatCounts(m map[string]int) string {
	keys := slices.Sorted(maps.Keys(m))
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = k + " " + strconv.Itoa(m[k])
	}
	return strings.Join(parts, ", ")
}

// summaryWidths are the widths of the Summary's columns A, B and C.
var summaryWidths = [...]float64{30, 50, 60}

// fitHeight sets the current row's height to hold texts, wrapped in the
// columns from col on: spreadsheets do not size such rows by themselves.
func (s *summaryWriter) fitHeight(col int, texts ...string) {
	lines := 1
	for i, t := range texts {
		if c := col - 1 + i; c < len(summaryWidths) {
			lines = max(lines, wrappedLines(t, summaryWidths[c]))
		}
	}
	if h := wrappedHeight(lines); h > 0 && s.err == nil {
		s.err = s.f.SetRowHeight(summarySheet, s.n, h)
	}
}

// summaryWriter appends rows to the Summary sheet, keeping the first error.
type summaryWriter struct {
	f        *excelize.File
	n        int // last row written
	err      error
	textCols map[int]bool // columns of the current row holding formula-like text
	asText   map[int]int  // style id -> the same style in Text format (@)
}

// row writes the values in columns A, B, ... of the next row, with labelStyle
// on column A. Strings are stored as strings, never as formulas.
func (s *summaryWriter) row(labelStyle int, values ...any) {
	s.n++
	clear(s.textCols)
	for i, v := range values {
		if s.err != nil {
			return
		}
		cell, err := excelize.CoordinatesToCellName(i+1, s.n)
		if err != nil {
			s.err = err
			return
		}
		if str, ok := v.(string); ok {
			s.err = s.f.SetCellStr(summarySheet, cell, str)
			if FormulaLike(str) { // an input path, a stop reason: edited, it stays text
				if s.textCols == nil {
					s.textCols = map[int]bool{}
				}
				s.textCols[i+1] = true
				s.style(0, i+1)
			}
		} else {
			s.err = s.f.SetCellValue(summarySheet, cell, v)
		}
	}
	s.style(labelStyle, 1)
}

// style applies style id to cell (col, current row).
func (s *summaryWriter) style(id, col int) {
	if s.err != nil {
		return
	}
	if s.textCols[col] {
		id = s.textStyle(id)
	}
	if s.err != nil || id == 0 {
		return
	}
	cell, err := excelize.CoordinatesToCellName(col, s.n)
	if err != nil {
		s.err = err
		return
	}
	s.err = s.f.SetCellStyle(summarySheet, cell, cell, id)
}

// textStyle returns style id in the Text format (@), made once per id (0:
// the default style).
func (s *summaryWriter) textStyle(id int) int {
	if t, ok := s.asText[id]; ok {
		return t
	}
	st := &excelize.Style{}
	if id != 0 {
		if st, s.err = s.f.GetStyle(id); s.err != nil {
			return 0
		}
	}
	st.NumFmt, st.CustomNumFmt = 49, nil
	t, err := s.f.NewStyle(st)
	if err != nil {
		s.err = err
		return 0
	}
	if s.asText == nil {
		s.asText = map[int]int{}
	}
	s.asText[id] = t
	return t
}
