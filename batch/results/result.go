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

// Summary is what the Summary sheet of the results shows. Fields at their
// zero value are left out where the zero would mislead (Price, StopReason,
// PollsPending, Formats).
type Summary struct {
	Input      string
	State      string
	Start, End time.Time
	Version    string
	Rows       int
	Companies  int
	Counts     map[outcome.Outcome]int // rows per outcome
	NewOrders  int
	APICalls   int64

	// StopReason says why the run stopped before every row was final
	// (quota, balance, the failure breaker, a cooldown, an interrupt), in
	// the language of the results; "" when it did not stop early.
	StopReason string
	// Price is the price of one report in yuan (--price, QCC_PRICE); the
	// Summary shows it and the spend NewOrders × Price. 0: not shown.
	Price float64
	// PollsPending counts the report-status polls that found the report
	// still processing (P) in this run. 0: not shown.
	PollsPending int64
	// PossiblyCharged counts this run's order requests that got no usable
	// answer (rows left uncertain): the API may have placed and charged
	// them. The outage stop reason and the ledger's Invoice count the same
	// requests. 0: not shown.
	PossiblyCharged int
	// Formats counts the companies per report format ("pdf", "word") of
	// the orders in the results. Empty: not shown.
	Formats map[string]int
	// Ratings are the counts per risk rating of a refresh by rating
	// (ratings.go). Empty: not shown.
	Ratings []RatingCount

	// Location is the time zone of every time in the results (the Results
	// table's ordered_at and completed_at, the Summary's start and end),
	// written in RFC 3339 with its offset: "2025-03-01T09:30:00+08:00".
	// nil means time.Local, which honours TZ; tests set a fixed zone.
	Location *time.Location
}
