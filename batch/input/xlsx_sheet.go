package input

import (
	"fmt"
	"io"
	"strconv"
)

// sheetReader turns the <sheetData> of a worksheet part into Rows, one at a
// time. It keeps each cell's type: shared and inline strings, formula
// results (the cached value) and dates stay text, numbers stay numbers with
// their raw digits (so a 15-digit number is never shown as 1.1E+14), and
// booleans become TRUE or FALSE.
type sheetReader struct {
	s       *xmlScanner
	sst     *sharedStrings
	line    int // last sheet row number read
	inData  bool
	done    bool
	scratch []byte
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
				return Row{}, sr.fail(fmt.Errorf("the worksheet XML ends early"))
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

// fail wraps a mid-sheet error with the position reached.
func (sr *sheetReader) fail(err error) error {
	sr.done = true
	return fmt.Errorf("worksheet damaged near row %d: %w", sr.line, err)
}

func (sr *sheetReader) row() (Row, error) {
	s := sr.s
	line := sr.line + 1
	if v, ok := attr(s.attrs, "r"); ok {
		n, err := strconv.Atoi(string(v))
		if err != nil || n < 1 {
			return Row{}, sr.fail(fmt.Errorf("bad row number %q", v))
		}
		line = n
	}
	if line > maxExcelRows {
		return Row{}, sr.fail(fmt.Errorf("more than %d rows", maxExcelRows))
	}
	sr.line = line
	row := Row{Line: line}
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
			return Row{}, sr.fail(fmt.Errorf("the worksheet XML ends inside row %d", line))
		case s.is(tokEnd, "row"):
			return row, nil
		case s.is(tokStart, "c"):
			c, at, err := sr.cell(col)
			if err != nil {
				return Row{}, sr.fail(err)
			}
			col = at + 1
			if c.Type == CellEmpty {
				continue
			}
			for len(row.Cells) < at {
				row.Cells = append(row.Cells, Cell{})
			}
			row.Cells = append(row.Cells, c)
		}
	}
}

// cell reads one <c> element; prev is the column index the cell has when it
// carries no reference.
func (sr *sheetReader) cell(prev int) (Cell, int, error) {
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
		return Cell{}, 0, fmt.Errorf("a cell beyond column XFD")
	}
	typ, _ := attr(s.attrs, "t")
	t := string(typ) // small strings: no allocation for the common values
	if s.selfClose {
		return Cell{}, at, nil
	}
	val, inline := sr.scratch[:0], false
	var (
		inV, inT bool
		phDepth  int
	)
	for {
		if err := s.next(); err != nil {
			return Cell{}, 0, err
		}
		switch {
		case s.kind == tokEOF:
			return Cell{}, 0, fmt.Errorf("the worksheet XML ends inside a cell")
		case s.is(tokEnd, "c"):
			sr.scratch = val
			c, err := sr.makeCell(t, val, inline)
			return c, at, err
		case s.is(tokStart, "v"):
			inV = !s.selfClose
		case s.is(tokEnd, "v"):
			inV = false
		case s.is(tokStart, "is"):
			inline = true
		case s.is(tokStart, "rPh"):
			phDepth++
		case s.is(tokEnd, "rPh"):
			phDepth--
		case s.is(tokStart, "t"):
			inT = !s.selfClose
		case s.is(tokEnd, "t"):
			inT = false
		case s.kind == tokText && (inV || (inline && inT && phDepth == 0)):
			if len(val)+len(s.text) > maxXMLToken {
				return Cell{}, 0, errXMLTokenTooLong
			}
			val = appendCharData(val, s)
		}
	}
}

func (sr *sheetReader) makeCell(t string, val []byte, inline bool) (Cell, error) {
	if len(val) == 0 {
		return Cell{}, nil
	}
	switch t {
	case "s":
		i, err := strconv.Atoi(string(val))
		if err != nil || i < 0 || i >= sr.sst.len() {
			return Cell{}, fmt.Errorf("shared string %q out of range", val)
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
			return 0, fmt.Errorf("cell reference %q beyond column XFD", ref)
		}
	}
	if i == 0 {
		return 0, fmt.Errorf("bad cell reference %q", ref)
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
