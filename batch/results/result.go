package results

import (
	"time"

	"github.com/qccbatch/qccbatch/batch/outcome"
)

// Result holds the ten columns appended to every row of the results after
// its row number.
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

	// TitleLines are the input's title lines, the non-empty rows above its
	// header (a bank's report title, "制表：…"), each row's cells joined;
	// the Summary sheet shows them first. Empty: not shown.
	TitleLines []string
	// IdentifierColumns are the input columns (0-based) that name the
	// company, the code and the name column; they repeat at the left of
	// every printed page of a sheet wider than a page. Empty: guessed from
	// the rows (the columns holding the search key).
	IdentifierColumns []int
	// CompanyCounts counts the companies per outcome, beside Counts' rows.
	// nil: not shown.
	CompanyCounts map[outcome.Outcome]int
	// ToOrder is the number of companies the run planned to order (the
	// plan's and the log's "to order"); NewOrders is how many it did.
	// 0: not shown.
	ToOrder int

	// Location is the time zone of every time in the results (the Results
	// table's ordered_at and completed_at, the Summary's start and end),
	// written in RFC 3339 with its offset: "2025-03-01T09:30:00+08:00".
	// nil means time.Local, which honours TZ; tests set a fixed zone.
	Location *time.Location
}
