package input

import (
	"errors"
	"io"
	"strconv"
	"unicode/utf8"

	"github.com/qccbatch/qccbatch/batch/msg"
)

// Why a reader of our own rather than excelize's streaming Rows (with
// RawCellValue), the library beside it: BenchmarkXLSXReader reads the same
// 100,000-row workbook (5 columns) with both, interleaved, 5 runs each on a
// shared 2-core machine (benchstat medians; Go 1.26, excelize v2.11.1,
// December 2026):
//
//	workbook                       reader     ns/op        B/op   allocs/op
//	StreamWriter (inline strings)  ours      404 ms     42 MiB      0.90 M
//	                               excelize  5.29 s    558 MiB     12.3 M
//	Excel-shaped (shared strings)  ours      488 ms     51 MiB      0.90 M
//	                               excelize  5.94 s    724 MiB     13.1 M
//
// (B/op and allocs/op are allocated in total, not held.) Peak resident
// memory of a whole process reading a 100,000-row genportfolio workbook
// (testdata/tools/xlsxread under /usr/bin/time -v): 14 MB ours, 18-24 MB
// excelize; CPU 0.23-0.33 s against 1.5-1.75 s. excelize is 12 times
// slower and allocates 13 times more, far beyond the 20 % that would make
// the library the better choice; the reader also keeps what Rows does not
// give: the cell types (numbers as their raw digits), formulas without a
// result, phonetic runs left out, and the limits against zip bombs.
//
// sheetReader turns the <sheetData> of a worksheet part into Rows, one at a
// time. It keeps each cell's type: shared and inline strings, formula
// results (the cached value) and dates stay text, numbers stay numbers with
// their raw digits (so a 15-digit number is never shown as 1.1E+14), and
// booleans become TRUE or FALSE. A formula whose result the file does not
// hold is a CellFormulaUncalculated cell.
type sheetReader struct {
	s        *xmlScanner
	sst      *sharedStrings
	fullCalc bool // the workbook is marked fullCalcOnLoad: a cached 0 is a placeholder
	line     int  // last sheet row number read
	inData   bool
	done     bool
	scratch  []byte
	formula  []byte
}

func newSheetReader(r io.Reader, sst *sharedStrings) *sheetReader {
	return &sheetReader{s: newXMLScanner(r), sst: sst}
}

// read returns the next <row> element, io.EOF after the last. Rows missing
// from the XML (blank rows) are not returned; Row.Line says where each row is.
func (sr *sheetReader) read() (Row, error) {
	if sr.done {
		return Row{}, io.EOF
	}
	s := sr.s
	for {
		if err := s.next(); err != nil {
			return Row{}, sr.fail(err)
		}
		switch {
		case s.kind == tokEOF:
			sr.done = true
			if !sr.inData && sr.line == 0 {
				return Row{}, io.EOF
			}
			if sr.inData {
				return Row{}, sr.fail(errText(msg.InXMLEndsEarly))
			}
			return Row{}, io.EOF
		case s.is(tokStart, "sheetData"):
			sr.inData = !s.selfClose
		case s.is(tokEnd, "sheetData"):
			sr.inData, sr.done = false, true
			return Row{}, io.EOF
		case sr.inData && s.is(tokStart, "row"):
			return sr.row()
		}
	}
}

// fail wraps a mid-sheet error with the position reached. A cell beyond
// Excel's limits is not damage and says so itself.
func (sr *sheetReader) fail(err error) error {
	sr.done = true
	var le *limitError
	if errors.As(err, &le) {
		return err
	}
	return &textError{id: msg.InSheetDamaged, args: []any{sr.line, err}, err: err}
}

func (sr *sheetReader) row() (Row, error) {
	s := sr.s
	line := sr.line + 1
	if v, ok := attr(s.attrs, "r"); ok {
		n, err := strconv.Atoi(string(v))
		if err != nil || n < 1 {
			return Row{}, sr.fail(errText(msg.InBadRowNumber, v))
		}
		line = n
	}
	if line > maxExcelRows {
		return Row{}, sr.fail(errText(msg.InTooManyRows, maxExcelRows))
	}
	sr.line = line
	row := Row{Line: line}
	if v, ok := attr(s.attrs, "hidden"); ok && (string(v) == "1" || string(v) == "true") {
		row.Hidden = true
	}
	if s.selfClose {
		return row, nil
	}
	col := 0
	for {
		if err := s.next(); err != nil {
			return Row{}, sr.fail(err)
		}
		switch {
		case s.kind == tokEOF:
			return Row{}, sr.fail(errText(msg.InXMLEndsInRow, line))
		case s.is(tokEnd, "row"):
			return row, nil
		case s.is(tokStart, "c"):
			c, at, err := sr.cell(line, col)
			if err != nil {
				return Row{}, sr.fail(err)
			}
			col = at + 1
			if c.Type == CellEmpty {
				continue
			}
			if at < len(row.Cells) { // cells out of column order: each at its own column
				row.Cells[at] = c
				continue
			}
			for len(row.Cells) < at {
				row.Cells = append(row.Cells, Cell{})
			}
			row.Cells = append(row.Cells, c)
		}
	}
}

// cell reads one <c> element of row line; prev is the column index the
// cell has when it carries no reference.
func (sr *sheetReader) cell(line, prev int) (Cell, int, error) {
	s := sr.s
	at := prev
	if ref, ok := attr(s.attrs, "r"); ok {
		n, err := columnIndex(ref)
		if err != nil {
			return Cell{}, 0, err
		}
		at = n
	}
	if at >= maxExcelColumns {
		return Cell{}, 0, errText(msg.InBeyondXFD)
	}
	typ, _ := attr(s.attrs, "t")
	t := string(typ) // small strings: no allocation for the common values
	if s.selfClose {
		return Cell{}, at, nil
	}
	val, inline := sr.scratch[:0], false
	formula := sr.formula[:0]
	var (
		inV, inF, hasF bool
		rt             richText
	)
	for {
		if err := s.next(); err != nil {
			return Cell{}, 0, err
		}
		switch {
		case s.kind == tokEOF:
			return Cell{}, 0, errText(msg.InXMLEndsInCell)
		case s.is(tokEnd, "c"):
			sr.scratch, sr.formula = val, formula
			if hasF && sr.uncalculated(t, val) {
				return Cell{Value: string(unescapeOOXML(formula)), Type: CellFormulaUncalculated}, at, nil
			}
			c, err := sr.makeCell(t, val, inline)
			if err == nil && len(c.Value) > maxCellChars && utf8.RuneCountInString(c.Value) > maxCellChars {
				err = cellTooLong(errText(msg.InWhereCell, ColumnName(at), line))
			}
			return c, at, err
		case s.is(tokStart, "f"):
			hasF, inF = true, !s.selfClose
		case s.is(tokEnd, "f"):
			inF = false
		case s.kind == tokText && inF:
			if len(formula)+len(s.text) > maxXMLToken {
				return Cell{}, 0, errXMLTokenTooLong
			}
			formula = appendCharData(formula, s)
		case s.is(tokStart, "v"):
			inV = !s.selfClose
		case s.is(tokEnd, "v"):
			inV = false
		case s.is(tokStart, "is"):
			inline = true
		case rt.text(s) && inline || s.kind == tokText && inV:
			if len(val)+len(s.text) > maxXMLToken {
				return Cell{}, 0, errXMLTokenTooLong
			}
			val = appendCharData(val, s)
		}
	}
}

// uncalculated reports whether a formula cell holds no usable result: no
// cached value at all (openpyxl, ExcelJS without a result, excelize
// SetCellFormula, R openxlsx), or the number 0 that XlsxWriter and its kin
// store as a placeholder in a workbook marked for recalculation on opening.
func (sr *sheetReader) uncalculated(t string, val []byte) bool {
	if len(val) == 0 {
		return true
	}
	return sr.fullCalc && (t == "" || t == "n") && string(val) == "0"
}

func (sr *sheetReader) makeCell(t string, val []byte, inline bool) (Cell, error) {
	if len(val) == 0 {
		return Cell{}, nil
	}
	switch t {
	case "s":
		i, err := strconv.Atoi(string(val))
		if err != nil || i < 0 || i >= sr.sst.len() {
			return Cell{}, errText(msg.InSharedOutOfRange, val)
		}
		v := sr.sst.get(i)
		if v == "" {
			return Cell{}, nil
		}
		return Cell{Value: v, Type: CellString}, nil
	case "b":
		if string(val) == "1" || string(val) == "true" {
			return Cell{Value: "TRUE", Type: CellBool}, nil
		}
		return Cell{Value: "FALSE", Type: CellBool}, nil
	case "inlineStr", "str", "e", "d":
		return Cell{Value: string(unescapeOOXML(val)), Type: CellString}, nil
	}
	if inline {
		return Cell{Value: string(unescapeOOXML(val)), Type: CellString}, nil
	}
	return Cell{Value: string(val), Type: CellNumber}, nil
}

// columnIndex returns the 0-based column of a cell reference like "AB12".
func columnIndex(ref []byte) (int, error) {
	n, i := 0, 0
	for ; i < len(ref); i++ {
		c := ref[i]
		if c >= 'a' && c <= 'z' {
			c -= 'a' - 'A'
		}
		if c < 'A' || c > 'Z' {
			break
		}
		n = n*26 + int(c-'A'+1)
		if n > maxExcelColumns {
			return 0, errText(msg.InRefBeyondXFD, ref)
		}
	}
	if i == 0 {
		return 0, errText(msg.InBadRef, ref)
	}
	return n - 1, nil
}

// attrInt returns an integer attribute.
func attrInt(attrs []byte, name string) (int, bool) {
	v, ok := attr(attrs, name)
	if !ok {
		return 0, false
	}
	n, err := strconv.Atoi(string(v))
	return n, err == nil
}
