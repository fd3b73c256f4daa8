package batch

import (
	"time"

	"github.com/qccbatch/qccbatch/batch/outcome"
)

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

// RowResult holds the ten columns appended to every row of the results.
type RowResult struct {
	SearchKey    string
	Outcome      outcome.Outcome
	Code         string
	Message      string
	OrderNo      string
	ReportStatus string
	ReportURL    string
	File         string
	OrderedAt    time.Time
	CompletedAt  time.Time
}

// Summary is what the Summary sheet of the results shows.
type Summary struct {
	Input      string
	State      string
	Start, End time.Time
	Version    string
	Rows       int
	Companies  int
	Counts     map[outcome.Outcome]int
	NewOrders  int
	APICalls   int64
}
