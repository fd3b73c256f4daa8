package input

// CellType is the type of an input cell, kept so that the results show
// every value as the user had it (numbers stay numbers).
type CellType uint8

// Cell types.
const (
	CellEmpty CellType = iota
	CellString
	CellNumber
	CellBool
)

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
}

// Cell returns the i-th cell of r, or an empty cell past its end (or for a
// negative i).
func (r Row) Cell(i int) Cell {
	if i < 0 || i >= len(r.Cells) {
		return Cell{}
	}
	return r.Cells[i]
}
