package results

import (
	"bufio"
	"encoding/csv"
	"io"

	"github.com/xuri/excelize/v2"
)

// Every table the program writes — the results (.xlsx and .csv, of run,
// export and validate -o), the ledger and its invoice — is formula-safe
// through this file: no spreadsheet that opens it evaluates a cell as a
// formula or a DDE command, whatever a company name, an order number, an
// API message or an input cell holds (SPEC "Results"; OWASP "CSV
// injection"). A new writer uses FormulaLike and safeText, newCSVWriter or
// setSafeRow; it never writes a string cell by hand.
//
// The rule for numbers: a value that is a number in its source — a number
// cell of the input workbook, a count — is written as a number (a typed
// cell in .xlsx, its digits in .csv), and a negative one stays numeric.
// Text is text whatever it looks like: "-5" that came as text (a company
// name, an order number, a CSV field) is neutralised like "=1+1", because
// a text "-5+A1" is a formula to a spreadsheet and the writer does not
// parse arithmetic.

// FormulaLike reports whether a spreadsheet could evaluate text s as a
// formula (or DDE command) when it opens the file or the cell is edited:
// it begins with =, +, -, @, tab or carriage return.
func FormulaLike(s string) bool {
	if s == "" {
		return false
	}
	switch s[0] {
	case '=', '+', '-', '@', '\t', '\r':
		return true
	}
	return false
}

// safeText returns text s as a cell of a CSV file (or any table without
// cell types): formula-like text gets a leading apostrophe, which Excel,
// WPS and LibreOffice read as "this is text" and do not show.
func safeText(s string) string {
	if FormulaLike(s) {
		return "'" + s
	}
	return s
}

// csvWriter writes a table as CSV the way every CSV of the program is
// written: UTF-8 with a BOM (so Excel on Chinese Windows does not read it
// as GBK), CRLF line ends, and every field through safeText.
type csvWriter struct {
	bw     *bufio.Writer
	cw     *csv.Writer
	record []string
}

// newCSVWriter starts a CSV table on w, writing the BOM.
func newCSVWriter(w io.Writer) (*csvWriter, error) {
	bw := bufio.NewWriterSize(w, 64<<10)
	if _, err := bw.WriteString(utf8BOM); err != nil {
		return nil, err
	}
	cw := csv.NewWriter(bw)
	cw.UseCRLF = true
	return &csvWriter{bw: bw, cw: cw}, nil
}

// write writes one record of text fields, each through safeText.
func (c *csvWriter) write(fields []string) error {
	c.record = c.record[:0]
	for _, f := range fields {
		c.record = append(c.record, safeText(f))
	}
	return c.cw.Write(c.record)
}

// writeSafe writes a record whose fields are formula-safe already: each
// through safeText, or the digits of a number.
func (c *csvWriter) writeSafe(record []string) error { return c.cw.Write(record) }

// flush writes what is buffered and returns the first error of the table.
func (c *csvWriter) flush() error {
	c.cw.Flush()
	if err := c.cw.Error(); err != nil {
		return err
	}
	return c.bw.Flush()
}

// newTextStyle returns the id of a style of f with the Text number format
// (@, format 49), for setSafeRow.
func newTextStyle(f *excelize.File) (int, error) {
	return f.NewStyle(&excelize.Style{NumFmt: 49})
}

// setSafeRow writes vals into row of sheet of f from column 1, as every
// workbook of the program writes a cell (for files built in memory; the
// results' stream writer does the same in textCell): a string is a text
// cell, never a formula, and a formula-like one also gets textStyle (see
// newTextStyle) so that editing the cell in Excel keeps it text. Numbers,
// booleans and times keep their type.
func setSafeRow(f *excelize.File, sheet string, row int, vals []any, textStyle int) error {
	for i, v := range vals {
		cell, err := excelize.CoordinatesToCellName(i+1, row)
		if err != nil {
			return err
		}
		s, isText := v.(string)
		if !isText {
			if err := f.SetCellValue(sheet, cell, v); err != nil {
				return err
			}
			continue
		}
		if err := f.SetCellStr(sheet, cell, s); err != nil {
			return err
		}
		if FormulaLike(s) {
			if err := f.SetCellStyle(sheet, cell, cell, textStyle); err != nil {
				return err
			}
		}
	}
	return nil
}
