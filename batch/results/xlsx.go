package results

import (
	"archive/zip"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/qccbatch/qccbatch/batch/input"
	"github.com/qccbatch/qccbatch/batch/outcome"
	"github.com/xuri/excelize/v2"
)

// Sheet names of the results workbook.
const (
	resultsSheet = "Results"
	summarySheet = "Summary"
)

// maxSheetRows is the most rows a worksheet holds in Excel and WPS.
const maxSheetRows = 1 << 20

// xlsxOptions are the settings of one workbook.
type xlsxOptions struct {
	rf       rowFormat
	tmpDir   string // where excelize puts its temporary files
	linkBase string // the workbook's folder, for the links of the file column
}

// writeXLSX streams the results workbook to w. Rows go through excelize's
// StreamWriter (spilled to a temporary file in x.tmpDir past 16 MB) and the
// zip is written straight to w rather than built in memory, so memory stays
// flat in the number of rows.
func writeXLSX(w io.Writer, header []string, next Source, sum Summary, x xlsxOptions) error {
	f := excelize.NewFile(excelize.Options{TmpDir: x.tmpDir})
	defer func() { _ = f.Close() }() // removes excelize's temporary files
	if err := f.SetSheetName("Sheet1", resultsSheet); err != nil {
		return err
	}
	st, err := newXLSXStyles(f)
	if err != nil {
		return err
	}
	sw, err := f.NewStreamWriter(resultsSheet)
	if err != nil {
		return err
	}
	rw := &resultsSheetWriter{f: f, sw: sw, st: st, ncols: len(header), rf: x.rf, links: newFileLinks(x.linkBase),
		outcomes: make(map[outcome.Outcome]any), boxes: newBoxCache(), idCols: sum.IdentifierColumns}
	for o, id := range st.outcome {
		rw.outcomes[o] = excelize.Cell{StyleID: id, Value: o.Label(x.rf.lang)}
	}
	if err := rw.write(header, next); err != nil {
		return err
	}
	if err := writeSummarySheet(f, st, sum, x.rf); err != nil {
		return err
	}
	f.SetActiveSheet(0)
	if err := f.SetDocProps(&excelize.DocProperties{
		Creator: "qccbatch " + sum.Version, Title: x.rf.tx.title,
	}); err != nil {
		return err
	}
	// excelize's Write builds the whole zip in a bytes.Buffer; a zip writer
	// of our own sends it straight to w instead, and the buffer stays empty.
	f.SetZipWriter(func(io.Writer) excelize.ZipWriter { return zip.NewWriter(w) })
	return f.Write(io.Discard)
}

// setPrintLayout prints sheet (the Summary), whose columns have the given
// widths, on A4 landscape one page wide, at full size or at the scale
// that fits them, never below minPrintScale; with the margins and footer
// of the Results.
func setPrintLayout(f *excelize.File, sheet string, widths []float64) error {
	landscape, a4 := "landscape", 9
	scale := planPrint(widths, len(widths), nil).scale
	if err := f.SetPageLayout(sheet, &excelize.PageLayoutOptions{
		Size: &a4, Orientation: &landscape, AdjustTo: &scale,
	}); err != nil {
		return err
	}
	return setMarginsFooter(f, sheet)
}

// resultsSheetWriter writes the Results sheet.
type resultsSheetWriter struct {
	f     *excelize.File
	sw    *excelize.StreamWriter
	st    *xlsxStyles
	ncols int // number of original columns
	rf    rowFormat
	links fileLinks
	// idCols are the input columns naming the company (code, name), which
	// repeat on every printed page; inferred from the sample when empty.
	idCols []int
	// widths are the columns' widths, set before the first row.
	widths []float64

	// Reused for every row: the values handed to SetRow, the cells of the
	// appended columns that carry a per-row style or formula (SetRow takes
	// a *Cell without boxing it), the row's reference "A123".
	vals  []any
	cells [nAppended]excelize.Cell
	ref   []byte
	// Boxed once: every outcome's coloured cell, repeated strings.
	outcomes map[outcome.Outcome]any
	boxes    *boxCache
}

// write sets widths, panes and the header, then streams every row and adds
// the auto-filter.
func (rw *resultsSheetWriter) write(header []string, next Source) error {
	full := resultsHeader(header, rw.rf.lang)
	// Column widths must be set before the first row: measure a sample.
	sample, rest, widths, err := rw.sample(full, next)
	if err != nil {
		return err
	}
	if len(rw.idCols) == 0 {
		rw.idCols = identifierColumns(sample, rw.ncols)
	}
	if err := rw.setColumns(full, widths); err != nil {
		return err
	}
	if err := rw.writeHeader(full); err != nil {
		return err
	}
	n := 1
	for _, s := range sample {
		if err := rw.writeRow(&n, s.row, s.res); err != nil {
			return err
		}
	}
	for rest != nil {
		row, res, done, err := nextRow(rest)
		if err != nil {
			return err
		}
		if done {
			break
		}
		if err := rw.writeRow(&n, row, res); err != nil {
			return err
		}
	}
	last, err := excelize.CoordinatesToCellName(len(full), max(n, 2))
	if err != nil {
		return err
	}
	// The stream writer emits the autoFilter element at Flush.
	if err := rw.f.AutoFilter(resultsSheet, "A1:"+last, nil); err != nil {
		return err
	}
	return rw.sw.Flush()
}

// sample reads up to widthSample rows ahead and measures the widths of the
// columns of full on them. It returns the rows read and the source of the
// rest: nil when the sample holds every row.
func (rw *resultsSheetWriter) sample(full []string, next Source) ([]sampledRow, Source, colWidths, error) {
	widths := newColWidths(full)
	var sample []sampledRow
	for len(sample) < widthSample {
		row, res, done, err := nextRow(next)
		if err != nil {
			return nil, nil, nil, err
		}
		if done {
			return sample, nil, widths, nil
		}
		// The source may reuse its Cells slice for the next row.
		row.Cells = slices.Clone(row.Cells)
		sample = append(sample, sampledRow{row, res})
		for i := 0; i < rw.ncols; i++ {
			widths.fit(i, row.Cell(i).Value)
		}
		for i, s := range rw.rf.texts(row.Line, res) {
			widths.fit(rw.ncols+i, s)
		}
	}
	return sample, next, widths, nil
}

// setColumns sets the width of every column (times wide enough, messages
// and links capped) and freezes the header row.
func (rw *resultsSheetWriter) setColumns(full []string, widths colWidths) error {
	rw.widths = make([]float64, len(full))
	for i := range full {
		wd := widths.clamped(i)
		switch i - rw.ncols {
		case colOrderedAt, colCompletedAt:
			wd = max(wd, timeColWidth)
		case colMessage:
			wd = min(wd, messageColWidth) // wrapped beyond
		case colReportURL, colFile:
			wd = min(wd, linkColWidth) // the link works whatever shows
		}
		rw.widths[i] = wd
	}
	// The print plan may narrow the message column; the page setup and
	// breaks are written at Flush.
	if err := applyPrint(rw.f, resultsSheet, planPrint(rw.widths, rw.ncols, rw.idCols)); err != nil {
		return err
	}
	// Descending: excelize prepends each new <col>, and Excel wants them sorted.
	for i := len(full) - 1; i >= 0; i-- {
		if err := rw.sw.SetColWidth(i+1, i+1, rw.widths[i]); err != nil {
			return err
		}
	}
	return rw.sw.SetPanes(&excelize.Panes{
		Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft",
		Selection: []excelize.Selection{{SQRef: "A2", ActiveCell: "A2", Pane: "bottomLeft"}},
	})
}

// writeHeader writes the header row full and sizes rw.vals for the rows.
func (rw *resultsSheetWriter) writeHeader(full []string) error {
	rw.vals = make([]any, len(full))
	for i, h := range full {
		c := excelize.Cell{StyleID: rw.st.header, Value: h}
		if FormulaLike(h) {
			c.StyleID = rw.st.headerText
		}
		rw.vals[i] = c
	}
	return rw.sw.SetRow("A1", rw.vals, excelize.RowOpts{Height: 20})
}

// sampledRow is a row read ahead to measure column widths.
type sampledRow struct {
	row input.Row
	res Result
}

// writeRow writes one data row as sheet row *n+1. It reuses the row's
// buffers and boxes repeated values once (see boxCache): excelize allocates
// enough for every cell already.
func (rw *resultsSheetWriter) writeRow(n *int, row input.Row, res Result) error {
	*n++
	if *n > maxSheetRows {
		return fmt.Errorf("more than %d rows do not fit in an .xlsx worksheet: write the results as .csv", maxSheetRows-1)
	}
	for i := 0; i < rw.ncols; i++ {
		rw.vals[i] = rw.inputCell(row.Cell(i))
	}
	v := rw.vals[rw.ncols:]
	v[colRow] = nil
	if row.Line > 0 {
		v[colRow] = row.Line
	}
	v[colSearchKey] = rw.sameAsInput(res.SearchKey)
	v[colOutcome] = rw.outcomeCell(res.Outcome)
	v[colCode] = rw.textCell(res.Code)
	v[colMessage] = nil
	height := 0.0
	if res.Message != "" {
		height = wrappedHeight(wrappedLines(res.Message, rw.widths[rw.ncols+colMessage]))
		c := &rw.cells[colMessage]
		c.StyleID, c.Value = rw.st.wrap, rw.boxes.box(res.Message)
		if FormulaLike(res.Message) {
			c.StyleID = rw.st.wrapText
		}
		v[colMessage] = c
	}
	v[colOrderNo] = rw.textCell(res.OrderNo)
	v[colReportStatus] = rw.textCell(rw.rf.tx.statusText(res.ReportStatus))
	v[colReportURL] = rw.linkCell(colReportURL, res.ReportURL, rw.urlFormula)
	v[colFile] = rw.linkCell(colFile, res.File, rw.links.formula)
	_, v[colOrderedAt] = rw.rf.times[0].format(res.OrderedAt, rw.rf.loc)
	_, v[colCompletedAt] = rw.rf.times[1].format(res.CompletedAt, rw.rf.loc)

	rw.ref = strconv.AppendInt(append(rw.ref[:0], 'A'), int64(*n), 10)
	if height > 0 {
		return rw.sw.SetRow(string(rw.ref), rw.vals, excelize.RowOpts{Height: height})
	}
	return rw.sw.SetRow(string(rw.ref), rw.vals)
}

// sameAsInput returns the search key's cell: the code or name cell of the
// row it came from, already boxed, when the key is that cell's text (it
// usually is), else a new text cell.
func (rw *resultsSheetWriter) sameAsInput(key string) any {
	for _, v := range rw.vals[:rw.ncols] {
		if s, ok := v.(string); ok && s == key {
			return v
		}
	}
	return rw.textCell(key)
}

// outcomeCell returns the coloured outcome cell, boxed once per outcome.
func (rw *resultsSheetWriter) outcomeCell(o outcome.Outcome) any {
	if v, ok := rw.outcomes[o]; ok {
		return v
	}
	return rw.textCell(o.Label(rw.rf.lang))
}

// linkCell returns the cell of column col: a link when makeFormula can make
// one of s safely, plain text otherwise.
func (rw *resultsSheetWriter) linkCell(col int, s string, makeFormula func(string) (string, bool)) any {
	if s == "" {
		return nil
	}
	f, ok := makeFormula(s)
	if !ok {
		return rw.textCell(s)
	}
	c := &rw.cells[col]
	c.StyleID, c.Formula, c.Value = rw.st.link, f, s
	if col == colReportURL {
		c.Value = shortLink(s, rw.widths[rw.ncols+col])
	}
	return c
}

// urlFormula is the report link: the whole URL, showing its short form
// (shortLink) when the URL is wider than its column.
func (rw *resultsSheetWriter) urlFormula(url string) (string, bool) {
	f, ok := hyperlinkFormula(url)
	if !ok {
		return "", false
	}
	if short := shortLink(url, rw.widths[rw.ncols+colReportURL]); short != url {
		f = strings.TrimSuffix(f, ")") + "," + formulaString(short) + ")"
	}
	return f, true
}

// identifierColumns guesses the input columns that name the company: those
// whose cell is the row's search key in most of the sampled rows.
func identifierColumns(sample []sampledRow, ncols int) []int {
	hits := make([]int, ncols)
	for _, s := range sample {
		for i := 0; i < ncols; i++ {
			if v := strings.TrimSpace(s.row.Cell(i).Value); v != "" && v == s.res.SearchKey {
				hits[i]++
			}
		}
	}
	var cols []int
	for i, h := range hits {
		if h > 0 && 2*h >= len(sample) {
			cols = append(cols, i)
		}
	}
	return cols
}

// inputCell returns an original cell as the user had it: a number stays a
// number, a boolean a boolean, text stays text.
func (rw *resultsSheetWriter) inputCell(c input.Cell) any {
	if v, ok := cellNumber(c); ok {
		return v
	}
	if b, ok := cellBool(c); ok {
		return b
	}
	return rw.textCell(c.Value)
}

// textCell returns a text value, or nil for "" so no empty cell is written.
// The stream writer stores every Go string as an inline string, which no
// spreadsheet evaluates; text that looks like a formula also gets the Text
// number format so that editing the cell keeps it text.
func (rw *resultsSheetWriter) textCell(s string) any {
	if FormulaLike(s) {
		return excelize.Cell{StyleID: rw.st.text, Value: s}
	}
	return rw.boxes.box(s)
}
