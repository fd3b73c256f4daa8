package results

import (
	"io"
	"strings"

	"github.com/qccbatch/qccbatch/batch/input"
)

// utf8BOM makes Excel on Chinese Windows read the file as UTF-8 rather than
// as the ANSI code page (GBK), which would garble every Chinese character.
const utf8BOM = "\ufeff"

// writeCSV writes the Results table as CSV: UTF-8 with a BOM, CRLF line ends,
// every text value that a spreadsheet would evaluate prefixed with '.
// Numbers of number cells are written as they were read.
func writeCSV(w io.Writer, header []string, next Source, rf rowFormat) error {
	cw, err := newCSVWriter(w)
	if err != nil {
		return err
	}
	if err := cw.write(resultsHeader(header, rf.lang)); err != nil {
		return err
	}
	record := make([]string, 0, len(header)+nAppended)
	for {
		row, res, done, err := nextRow(next)
		if err != nil {
			return err
		}
		if done {
			return cw.flush()
		}
		record = record[:0]
		for i := range header {
			record = append(record, csvCell(row.Cell(i)))
		}
		for _, s := range rf.texts(row.Line, res) {
			record = append(record, safeText(s))
		}
		if err := cw.writeSafe(record); err != nil {
			return err
		}
	}
}

// csvCell renders an input cell: a real number as its text, a boolean as
// TRUE/FALSE, anything else as (formula-safe) text.
func csvCell(c input.Cell) string {
	if _, ok := cellNumber(c); ok {
		return strings.TrimSpace(c.Value)
	}
	if b, ok := cellBool(c); ok {
		if b {
			return "TRUE"
		}
		return "FALSE"
	}
	return safeText(c.Value)
}
