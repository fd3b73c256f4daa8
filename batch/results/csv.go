package results

import (
	"bufio"
	"encoding/csv"
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
	bw := bufio.NewWriterSize(w, 64<<10)
	if _, err := bw.WriteString(utf8BOM); err != nil {
		return err
	}
	cw := csv.NewWriter(bw)
	cw.UseCRLF = true

	record := make([]string, 0, len(header)+10)
	for _, h := range Header(header, rf.lang) {
		record = append(record, SafeText(h))
	}
	if err := cw.Write(record); err != nil {
		return err
	}
	for {
		row, res, done, err := nextRow(next)
		if err != nil {
			return err
		}
		if done {
			break
		}
		record = record[:0]
		for i := range header {
			record = append(record, csvCell(row.Cell(i)))
		}
		for _, s := range rf.texts(res) {
			record = append(record, SafeText(s))
		}
		if err := cw.Write(record); err != nil {
			return err
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return err
	}
	return bw.Flush()
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
	return SafeText(c.Value)
}
