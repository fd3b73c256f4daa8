package results

import (
	"archive/zip"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/qccbatch/qccbatch/batch/input"
	"github.com/xuri/excelize/v2"
)

// Sheet names of the results workbook.
const (
	resultsSheet = "Results"
	summarySheet = "Summary"
)

// maxSheetRows is the most rows a worksheet holds in Excel and WPS.
const maxSheetRows = 1 << 20

// maxHyperlinkLen is the longest link HYPERLINK accepts in Excel.
const maxHyperlinkLen = 255

// writeXLSX streams the results workbook to w. Rows go through excelize's
// StreamWriter (spilled to a temporary file past 16 MB) and the zip is written
// straight to w rather than built in memory, so memory stays flat in the
// number of rows.
//
// excelize's temporary files go to tmpDir.
func writeXLSX(w io.Writer, header []string, next Source, sum Summary, lang, tmpDir string) error {
	f := excelize.NewFile(excelize.Options{TmpDir: tmpDir})
	defer func() { _ = f.Close() }() // removes excelize's temporary files
	if err := f.SetSheetName("Sheet1", resultsSheet); err != nil {
		return err
	}
	st, err := newXLSXStyles(f)
	if err != nil {
		return err
	}
	if err := setPrintLayout(f); err != nil {
		return err
	}
	sw, err := f.NewStreamWriter(resultsSheet)
	if err != nil {
		return err
	}
	rw := &resultsSheetWriter{f: f, sw: sw, st: st, ncols: len(header), lang: lang}
	if err := rw.write(header, next); err != nil {
		return err
	}
	if err := writeSummarySheet(f, st, sum, lang); err != nil {
		return err
	}
	f.SetActiveSheet(0)
	if err := f.SetDocProps(&excelize.DocProperties{
		Creator: "qccbatch " + sum.Version, Title: "qccbatch results",
	}); err != nil {
		return err
	}
	// excelize's Write builds the whole zip in a bytes.Buffer; a zip writer
	// of our own sends it straight to w instead, and the buffer stays empty.
	f.SetZipWriter(func(io.Writer) excelize.ZipWriter { return zip.NewWriter(w) })
	return f.Write(io.Discard)
}

// setPrintLayout prints the Results sheet landscape with the header row on
// every page. It must run before the stream writer starts the sheet.
func setPrintLayout(f *excelize.File) error {
	landscape := "landscape"
	if err := f.SetPageLayout(resultsSheet, &excelize.PageLayoutOptions{Orientation: &landscape}); err != nil {
		return err
	}
	return f.SetDefinedName(&excelize.DefinedName{
		Name: "_xlnm.Print_Titles", RefersTo: resultsSheet + "!$1:$1", Scope: resultsSheet,
	})
}

// resultsSheetWriter writes the Results sheet.
type resultsSheetWriter struct {
	f     *excelize.File
	sw    *excelize.StreamWriter
	st    *xlsxStyles
	ncols int // number of original columns
	lang  string
	vals  []any // reused for every row
}

// write sets widths, panes and the header, then streams every row and adds
// the auto-filter.
func (rw *resultsSheetWriter) write(header []string, next Source) error {
	full := Header(header, rw.lang)
	widths := newColWidths(full)
	// Column widths must be set before the first row: measure a sample.
	var sample []sampledRow
	for len(sample) < widthSample {
		row, res, done, err := nextRow(next)
		if err != nil {
			return err
		}
		if done {
			next = nil
			break
		}
		// The source may reuse its Cells slice for the next row.
		row.Cells = slices.Clone(row.Cells)
		sample = append(sample, sampledRow{row, res})
		for i := 0; i < rw.ncols; i++ {
			widths.fit(i, row.Cell(i).Value)
		}
		for i, s := range resultTexts(res, rw.lang) {
			widths.fit(rw.ncols+i, s)
		}
	}
	// Descending: excelize prepends each new <col>, and Excel wants them sorted.
	for i := len(full) - 1; i >= 0; i-- {
		wd := widths.clamped(i)
		if i == rw.ncols+8 || i == rw.ncols+9 {
			wd = max(wd, timeColWidth)
		}
		if err := rw.sw.SetColWidth(i+1, i+1, wd); err != nil {
			return err
		}
	}
	if err := rw.sw.SetPanes(&excelize.Panes{
		Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft",
		Selection: []excelize.Selection{{SQRef: "A2", ActiveCell: "A2", Pane: "bottomLeft"}},
	}); err != nil {
		return err
	}

	rw.vals = make([]any, len(full))
	for i, h := range full {
		rw.vals[i] = excelize.Cell{StyleID: rw.st.header, Value: h}
	}
	if err := rw.sw.SetRow("A1", rw.vals, excelize.RowOpts{Height: 20}); err != nil {
		return err
	}
	n := 1
	for _, s := range sample {
		if err := rw.writeRow(&n, s.row, s.res); err != nil {
			return err
		}
	}
	for next != nil {
		row, res, done, err := nextRow(next)
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

// sampledRow is a row read ahead to measure column widths.
type sampledRow struct {
	row input.Row
	res Result
}

// writeRow writes one data row as sheet row *n+1.
func (rw *resultsSheetWriter) writeRow(n *int, row input.Row, res Result) error {
	*n++
	if *n > maxSheetRows {
		return fmt.Errorf("more than %d rows do not fit in an .xlsx worksheet: write the results as .csv", maxSheetRows-1)
	}
	for i := 0; i < rw.ncols; i++ {
		rw.vals[i] = rw.inputCell(row.Cell(i))
	}
	for i, s := range resultTexts(res, rw.lang) {
		v := rw.textCell(s)
		switch {
		case s == "":
		case i == colOutcome:
			if id, ok := rw.st.outcome[res.Outcome]; ok {
				v = excelize.Cell{StyleID: id, Value: s}
			}
		case i == colReportURL:
			if f, ok := hyperlinkFormula(s); ok {
				v = excelize.Cell{StyleID: rw.st.link, Formula: f, Value: s}
			}
		}
		rw.vals[rw.ncols+i] = v
	}
	cell, err := excelize.CoordinatesToCellName(1, *n)
	if err != nil {
		return err
	}
	return rw.sw.SetRow(cell, rw.vals)
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
	switch {
	case s == "":
		return nil
	case formulaLike(s):
		return excelize.Cell{StyleID: rw.st.text, Value: s}
	}
	return s
}

// hyperlinkFormula returns a HYPERLINK formula for an http(s) URL: the stream
// writer cannot add real hyperlinks (excelize issue #982). Quotes are doubled,
// so the URL cannot end the string literal and inject a formula; other
// schemes (file:, javascript:), control characters and over-long URLs are
// refused and left as plain text.
func hyperlinkFormula(url string) (string, bool) {
	lower := strings.ToLower(url)
	if !strings.HasPrefix(lower, "https://") && !strings.HasPrefix(lower, "http://") {
		return "", false
	}
	if len(url) > maxHyperlinkLen || strings.ContainsFunc(url, func(r rune) bool { return r < 0x20 || r == 0x7f }) {
		return "", false
	}
	return `HYPERLINK("` + strings.ReplaceAll(url, `"`, `""`) + `")`, true
}
