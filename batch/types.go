package batch

import "time"

// Outcome is the final (or current) state of one input row.
type Outcome string

// The outcomes of SPEC "Outcomes".
const (
	OutcomeReady      Outcome = "ready"
	OutcomeInvalid    Outcome = "invalid"
	OutcomeNotFound   Outcome = "not_found"
	OutcomeRejected   Outcome = "rejected"
	OutcomeFailed     Outcome = "failed"
	OutcomeUncertain  Outcome = "uncertain"
	OutcomePending    Outcome = "pending"
	OutcomeNotOrdered Outcome = "not_ordered"
)

// Outcomes lists every outcome in display order.
var Outcomes = []Outcome{
	OutcomeReady, OutcomeInvalid, OutcomeNotFound, OutcomeRejected,
	OutcomeFailed, OutcomeUncertain, OutcomePending, OutcomeNotOrdered,
}

var outcomeZh = map[Outcome]string{
	OutcomeReady:      "已完成",
	OutcomeInvalid:    "输入无效",
	OutcomeNotFound:   "查询无结果",
	OutcomeRejected:   "不支持",
	OutcomeFailed:     "生成失败",
	OutcomeUncertain:  "结果不确定",
	OutcomePending:    "处理中",
	OutcomeNotOrdered: "未下单",
}

// NewCounts returns a count per outcome with every outcome present at zero,
// as status --json and the summaries show them.
func NewCounts() map[Outcome]int {
	counts := make(map[Outcome]int, len(Outcomes))
	for _, o := range Outcomes {
		counts[o] = 0
	}
	return counts
}

// Label returns the outcome as shown to users in lang ("zh" or "en").
func (o Outcome) Label(lang string) string {
	if lang == "zh" {
		if s, ok := outcomeZh[o]; ok {
			return s
		}
	}
	return string(o)
}

// Final reports whether a rerun leaves a row with this outcome alone.
func (o Outcome) Final() bool {
	return o != OutcomePending && o != OutcomeNotOrdered && o != ""
}

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
	Outcome      Outcome
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
	Counts     map[Outcome]int
	NewOrders  int
	APICalls   int64
}
