package results

import (
	"time"

	"github.com/qccbatch/qccbatch/batch/outcome"
)

// Result holds the ten columns appended to every row of the results.
type Result struct {
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
