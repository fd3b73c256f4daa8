package input

import "strings"

// CellType is the type of an input cell, kept so that the results show
// every value as the user had it (numbers stay numbers).
type CellType uint8

// Cell types.
const (
	CellEmpty  CellType = iota
	CellString          // text (shared, inline, a formula's text result, every CSV field)
	CellNumber          // a number, its raw digits as stored (e.g. "9.14403001922038E+017")
	CellBool            // TRUE or FALSE
	// CellFormulaUncalculated is a formula whose result the file does not
	// hold: saved without a cached value, or with the 0 placeholder of a
	// workbook marked for recalculation on opening (fullCalcOnLoad). Excel
	// and WPS compute it when they open the file; a reader cannot. Value
	// is the formula text without "=" (possibly empty, for a shared
	// formula). Such a cell is never empty and never an identifier.
	CellFormulaUncalculated
)

// maxCellChars is the most characters a cell holds (Excel's limit); a
// longer cell makes the file an input error.
const maxCellChars = 32767

// Cell is one input value: its raw text and its type.
type Cell struct {
	Value string
	Type  CellType
}

// Row is one data row of the input, with its 1-based line (sheet row number
// or CSV record number) for messages.
type Row struct {
	Line  int
	Cells []Cell
	// Hidden is set for a workbook row hidden by hand or by a filter
	// (<row hidden="1">): a person looking at the sheet does not see it.
	Hidden bool
}

// isBlank reports whether c holds nothing: empty, or only white space and
// invisible characters. An uncalculated formula is not blank.
func (c Cell) isBlank() bool {
	return c.Type != CellFormulaUncalculated && strings.TrimFunc(c.Value, IsTrimmed) == ""
}

// Cell returns the i-th cell of r, or an empty cell past its end (or for a
// negative i).
func (r Row) Cell(i int) Cell {
	if i < 0 || i >= len(r.Cells) {
		return Cell{}
	}
	return r.Cells[i]
}
