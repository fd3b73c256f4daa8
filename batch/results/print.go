package results

import (
	"math"
	"strings"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/width"
)

// Printing the Results sheet: a desk hands the printed (or PDF) results to
// compliance, so every printed character must be readable and every row
// must hold its own text.
//
// The page is A4 landscape with narrow margins. Every font of the sheet is
// bodyFontSize points, and the print scale never goes below minPrintScale,
// so that no text prints smaller than minPrintPt. When every column fits
// across one page at that scale, the sheet prints one page wide; when it
// does not (a wide input sheet and the eleven result columns), the columns
// are spread over pages printed across then down, a page break keeps the
// row number, outcome, message and order number together, and the input's
// columns up to the identifier repeat at the left of every page (print
// titles), with the header row at the top of every page. Rows whose
// message wraps get an explicit height (spreadsheets do not size the rows
// of a streamed sheet by themselves), and long links show a short text
// while the link itself stays whole.

// Page geometry, in millimetres, and the font, in points.
const (
	pageWidthMM   = 297 // A4 landscape
	pageMarginIn  = 0.4 // left and right, in inches
	bodyFontSize  = 11  // every font of the Results sheet (styleFont)
	minPrintPt    = 8   // the smallest printed text allowed
	mmPerPx       = 25.4 / 96
	digitPx       = 7    // the maximum digit width of Calibri 11 at 96 dpi, Excel's column unit
	wideCharPx    = 14.7 // a CJK character at 11 pt, at 96 dpi
	narrowCharPx  = 6.5  // a Latin character, generously
	cellPaddingPx = 5
	// lineHeightPt is the height of one line of wrapped 11 pt text,
	// generous enough for the CJK fallback fonts of LibreOffice and WPS
	// (Noto Sans CJK, 等线, 宋体), whose lines are taller than Calibri's.
	lineHeightPt = 15.5
	// multiPageScale is the scale when the sheet is wider than one page
	// at minPrintScale: 8.25 pt.
	multiPageScale = 75
	// maxTitleShare is the most of a page's width the repeated columns
	// may take.
	maxTitleShare = 0.45
	// minMessageWidth is the narrowest the message column gets to keep
	// the outcome, message and order number on one page.
	minMessageWidth = 24
)

// minPrintScale is the smallest print scale, in percent, at which
// bodyFontSize prints at minPrintPt or more: 73 % of 11 pt is 8.03 pt.
var minPrintScale = uint(math.Ceil(minPrintPt * 100.0 / bodyFontSize))

// printableMM is the width the margins leave on the page.
var printableMM = pageWidthMM - 2*pageMarginIn*25.4

// colMM is the printed width at 100 % of a column of width w (Excel's
// character units): w digits plus the cell's padding, times
// renderSlack.
func colMM(w float64) float64 {
	return (w*digitPx + cellPaddingPx) * mmPerPx * renderSlack
}

// renderSlack is how much wider than Excel's own measure LibreOffice draws
// a column (measured on its PDFs: about a third without the Carlito font); planning with the wider
// measure means no spreadsheet adds a page break of its own.
const renderSlack = 1.35

// printPlan is how the Results sheet prints.
type printPlan struct {
	scale uint // percent
	// titleFrom and titleTo are the 0-based columns repeated at the left
	// of every page (-1: none).
	titleFrom, titleTo int
	breaks             []int // 0-based columns that start a new page
}

// EffectivePt is the printed size of the sheet's text.
func (p printPlan) EffectivePt() float64 {
	return bodyFontSize * float64(p.scale) / 100
}

// planPrint chooses the scale, repeated columns and page breaks for
// columns of the given widths (character units), narrowing the message
// column in widths (to minMessageWidth at least) when the sheet prints
// several pages wide; ncols is the number of
// input columns (the appended ones follow) and idCols are the input
// columns that name the company (code, name), -1 or out of range ignored.
func planPrint(widths []float64, ncols int, idCols []int) printPlan {
	total := 0.0
	for _, w := range widths {
		total += colMM(w)
	}
	fit := uint(math.Floor(100 * printableMM / total))
	switch {
	case fit >= 100:
		return printPlan{scale: 100, titleFrom: -1, titleTo: -1}
	case fit >= minPrintScale:
		return printPlan{scale: fit, titleFrom: -1, titleTo: -1}
	}
	p := printPlan{scale: multiPageScale}
	capMM := printableMM * 100 / float64(p.scale)
	first, last := -1, -1
	for _, c := range idCols {
		if c < 0 || c >= ncols {
			continue
		}
		if first < 0 || c < first {
			first = c
		}
		last = max(last, c)
	}
	titleMM := 0.0
	for i := first; i >= 0 && i <= last; i++ {
		titleMM += colMM(widths[i])
	}
	if first >= 0 && titleMM <= maxTitleShare*capMM {
		p.titleFrom, p.titleTo = first, last
	} else {
		p.titleFrom, p.titleTo, titleMM = -1, -1, 0
	}
	// The row number through the order number print on one page beside
	// the repeated columns: narrow the message (it wraps) if they would not.
	group := func() float64 {
		w := 0.0
		for i := ncols + colRow; i <= ncols+colOrderNo && i < len(widths); i++ {
			w += colMM(widths[i])
		}
		return w
	}
	if m := ncols + colMessage; m < len(widths) {
		for widths[m] > minMessageWidth && titleMM+group() > capMM {
			widths[m]--
		}
	}
	// Units that must print on one page: each input column, the row
	// number through the order number together, each later column.
	type unit struct{ from, to int }
	var units []unit
	for i := 0; i < ncols; i++ {
		units = append(units, unit{i, i})
	}
	units = append(units, unit{ncols + colRow, ncols + colOrderNo})
	for i := ncols + colOrderNo + 1; i < len(widths); i++ {
		units = append(units, unit{i, i})
	}
	used, avail := 0.0, capMM
	for _, u := range units {
		w := 0.0
		for i := u.from; i <= u.to && i < len(widths); i++ {
			w += colMM(widths[i])
		}
		if used > 0 && used+w > avail {
			p.breaks = append(p.breaks, u.from)
			used, avail = 0, capMM-titleMM
		}
		used += w
	}
	return p
}

// applyPrint sets the print layout of sheet: A4 landscape at p's scale,
// across then down, narrow margins, "file" and "page N / M" in the footer,
// p's page breaks, and the header row (and p's title columns) on every
// page. The breaks and the page setup are written when the stream writer
// flushes, so this runs after the column widths are known.
func applyPrint(f *excelize.File, sheet string, p printPlan) error {
	landscape, a4, order := "landscape", 9, "overThenDown"
	scale := p.scale
	if err := f.SetPageLayout(sheet, &excelize.PageLayoutOptions{
		Size: &a4, Orientation: &landscape, AdjustTo: &scale, PageOrder: &order,
	}); err != nil {
		return err
	}
	if err := setMarginsFooter(f, sheet); err != nil {
		return err
	}
	for _, c := range p.breaks {
		cell, err := excelize.CoordinatesToCellName(c+1, 1)
		if err != nil {
			return err
		}
		if err := f.InsertPageBreak(sheet, cell); err != nil {
			return err
		}
	}
	titles := "'" + sheet + "'!$1:$1"
	if p.titleFrom >= 0 {
		first, err := excelize.ColumnNumberToName(p.titleFrom + 1)
		if err != nil {
			return err
		}
		last, err := excelize.ColumnNumberToName(p.titleTo + 1)
		if err != nil {
			return err
		}
		titles = "'" + sheet + "'!$" + first + ":$" + last + "," + titles
	}
	return f.SetDefinedName(&excelize.DefinedName{Name: "_xlnm.Print_Titles", RefersTo: titles, Scope: sheet})
}

// setMarginsFooter sets narrow margins and the footer: the file name at
// the left, "page N / M" at the right.
func setMarginsFooter(f *excelize.File, sheet string) error {
	left, right, top, bottom, header, footer := pageMarginIn, pageMarginIn, 0.6, 0.6, 0.3, 0.3
	if err := f.SetPageMargins(sheet, &excelize.PageLayoutMarginsOptions{
		Left: &left, Right: &right, Top: &top, Bottom: &bottom, Header: &header, Footer: &footer,
	}); err != nil {
		return err
	}
	return f.SetHeaderFooter(sheet, &excelize.HeaderFooterOptions{OddFooter: "&L&F&R&P / &N"})
}

// textPx is the width of s at 11 pt, at 96 dpi, counting wide characters
// as CJK glyphs.
func textPx(s string) float64 {
	px := 0.0
	for _, r := range s {
		switch width.LookupRune(r).Kind() {
		case width.EastAsianWide, width.EastAsianFullwidth:
			px += wideCharPx
		default:
			px += narrowCharPx
		}
	}
	return px
}

// wrappedLines is how many lines s takes, wrapped in a column of width w
// (character units). Each line break of s starts a line; a wrapped line
// is counted with a twentieth of slack for breaks at word boundaries.
func wrappedLines(s string, w float64) int {
	room := w*digitPx - cellPaddingPx
	if room < digitPx {
		room = digitPx
	}
	n := 0
	for _, para := range strings.Split(s, "\n") {
		px := textPx(para) * 1.05
		n += max(1, int(math.Ceil(px/room)))
	}
	return n
}

// wrappedHeight is the row height, in points, that shows lines of wrapped
// text; 0 (the default height) for one line.
func wrappedHeight(lines int) float64 {
	if lines <= 1 {
		return 0
	}
	return math.Min(float64(lines)*lineHeightPt+2, excelize.MaxRowHeight)
}

// shortLink returns the text a link cell shows in a column of width w:
// the URL itself when it fits, else its host, "…" and its last part
// ("host/…/report.pdf"), cut with "…" if that is still too long. The link
// itself stays whole.
func shortLink(url string, w float64) string {
	room := int(w) - 2
	if DisplayWidth(url) <= room {
		return url
	}
	rest := url
	if i := strings.Index(rest, "://"); i >= 0 {
		rest = rest[i+3:]
	}
	host, path, _ := strings.Cut(rest, "/")
	path, _, _ = strings.Cut(path, "?")
	path = strings.TrimRight(path, "/")
	lastPart := path
	if i := strings.LastIndexByte(path, '/'); i >= 0 {
		lastPart = path[i+1:]
	}
	s := host
	if lastPart != "" {
		s += "/…/" + lastPart
	}
	switch {
	case DisplayWidth(s) <= room:
		return s
	case lastPart != "" && DisplayWidth("…/"+lastPart) <= room:
		return "…/" + lastPart
	}
	return cutWidth(s, room-1) + "…"
}

// cutWidth returns the longest prefix of s at most w wide.
func cutWidth(s string, w int) string {
	n := 0
	for i, r := range s {
		n += DisplayWidth(string(r))
		if n > w {
			return s[:i]
		}
	}
	return s
}
