package results

import (
	"golang.org/x/text/width"

	"github.com/qccbatch/qccbatch/batch/outcome"
	"github.com/xuri/excelize/v2"
)

// outcomeColours are the fill and font colours of an outcome cell, after
// Excel's built-in "Good", "Neutral" and "Bad" cell styles.
var outcomeColours = map[outcome.Outcome][2]string{
	outcome.Ready:      {"C6EFCE", "006100"}, // green
	outcome.Invalid:    {"E6D0CE", "6E3B37"}, // grey-red
	outcome.NotFound:   {"E6D0CE", "6E3B37"},
	outcome.Rejected:   {"E6D0CE", "6E3B37"},
	outcome.Failed:     {"FFC7CE", "9C0006"}, // red
	outcome.Uncertain:  {"F8CBAD", "843C0C"}, // orange
	outcome.Pending:    {"FFEB9C", "7F6000"}, // yellow
	outcome.NotOrdered: {"FFEB9C", "7F6000"},
}

// headerFill is the background of the header row.
const headerFill = "DDEBF7"

// styleFont returns the workbook's default font (Calibri 11) with changes: a style
// font without a family makes LibreOffice fall back to a serif face.
func styleFont(f *excelize.File, fn func(*excelize.Font)) *excelize.Font {
	family, err := f.GetDefaultFont()
	if err != nil || family == "" {
		family = "Calibri"
	}
	ft := &excelize.Font{Family: family, Size: 11}
	fn(ft)
	return ft
}

// xlsxStyles holds the style IDs the Results sheet uses.
type xlsxStyles struct {
	header     int
	headerText int // the header, in text format "@": an input header that looks like a formula
	text       int // text format "@": a cell that must stay text even when edited
	link       int
	wrap       int // the message column: wrapped
	wrapText   int // wrap and text format "@"
	outcome    map[outcome.Outcome]int
}

// newXLSXStyles registers the styles in f.
func newXLSXStyles(f *excelize.File) (*xlsxStyles, error) {
	s := &xlsxStyles{outcome: make(map[outcome.Outcome]int, len(outcomeColours))}
	var err error
	s.header, err = f.NewStyle(&excelize.Style{
		Font:      styleFont(f, func(ft *excelize.Font) { ft.Bold = true }),
		Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{headerFill}},
		Border:    []excelize.Border{{Type: "bottom", Color: "8EA9DB", Style: 1}},
		Alignment: &excelize.Alignment{Vertical: "center"},
	})
	if err != nil {
		return nil, err
	}
	// Number format 49 is "@" (Text): Excel shows the value as typed and
	// keeps it text if the user edits the cell, so "=..." never turns into
	// a formula.
	if s.text, err = f.NewStyle(&excelize.Style{NumFmt: 49}); err != nil {
		return nil, err
	}
	if s.link, err = f.NewStyle(&excelize.Style{
		Font: styleFont(f, func(ft *excelize.Font) { ft.Color, ft.Underline = "0563C1", "single" }),
	}); err != nil {
		return nil, err
	}
	wrap := &excelize.Alignment{WrapText: true}
	if s.wrap, err = f.NewStyle(&excelize.Style{Alignment: wrap}); err != nil {
		return nil, err
	}
	if s.wrapText, err = f.NewStyle(&excelize.Style{Alignment: wrap, NumFmt: 49}); err != nil {
		return nil, err
	}
	for o, c := range outcomeColours {
		id, err := f.NewStyle(&excelize.Style{
			Font: styleFont(f, func(ft *excelize.Font) { ft.Color = c[1] }),
			Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{c[0]}},
		})
		if err != nil {
			return nil, err
		}
		s.outcome[o] = id
	}
	if s.headerText, err = f.NewStyle(&excelize.Style{
		Font:      styleFont(f, func(ft *excelize.Font) { ft.Bold = true }),
		Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{headerFill}},
		Border:    []excelize.Border{{Type: "bottom", Color: "8EA9DB", Style: 1}},
		Alignment: &excelize.Alignment{Vertical: "center"},
		NumFmt:    49,
	}); err != nil {
		return nil, err
	}
	return s, nil
}

// Column widths, in Excel character units.
const (
	minColWidth  = 8
	maxColWidth  = 50
	timeColWidth = 26 // "2006-01-02T15:04:05+08:00" and a little air
	// messageColWidth is where the message column wraps: about 20 Chinese
	// or 40 Latin characters a line.
	messageColWidth = 40
	// linkColWidth caps the report_url and file columns: long links are
	// clicked, not read, and would push the outcome off the printed page.
	linkColWidth = 24
	widthSample  = 200
)

// colWidths measures column widths from the header and the first rows, which
// the stream writer needs before the first row is written.
type colWidths []float64

// newColWidths starts from the header texts.
func newColWidths(header []string) colWidths {
	w := make(colWidths, len(header))
	for i, h := range header {
		w.fit(i, h)
	}
	return w
}

// fit widens column i to show s, counting East Asian wide characters twice.
func (w colWidths) fit(i int, s string) {
	if i >= len(w) {
		return
	}
	n := float64(DisplayWidth(s))
	n += 2 // padding, and room for the auto-filter button in the header
	if n > w[i] {
		w[i] = n
	}
}

// clamped returns the width of column i within the sensible range.
func (w colWidths) clamped(i int) float64 {
	switch {
	case w[i] < minColWidth:
		return minColWidth
	case w[i] > maxColWidth:
		return maxColWidth
	}
	return w[i]
}

// DisplayWidth is the width of s in a terminal or a spreadsheet column: East
// Asian wide and full-width characters count twice (x/text/width). It is
// the one width rule of the program.
func DisplayWidth(s string) int {
	n := 0
	for _, r := range s {
		switch width.LookupRune(r).Kind() {
		case width.EastAsianWide, width.EastAsianFullwidth:
			n += 2
		default:
			n++
		}
	}
	return n
}
