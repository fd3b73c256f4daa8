package outcome

// Outcome is the final (or current) state of one input row.
type Outcome string

// The outcomes of SPEC "Outcomes".
const (
	Ready      Outcome = "ready"
	Invalid    Outcome = "invalid"
	NotFound   Outcome = "not_found"
	Rejected   Outcome = "rejected"
	Failed     Outcome = "failed"
	Uncertain  Outcome = "uncertain"
	Pending    Outcome = "pending"
	NotOrdered Outcome = "not_ordered"
)

// all is every outcome in display order; All hands out copies so no caller
// can change it.
var all = [...]Outcome{Ready, Invalid, NotFound, Rejected, Failed, Uncertain, Pending, NotOrdered}

var zh = map[Outcome]string{
	Ready:      "已完成",
	Invalid:    "输入无效",
	NotFound:   "查询无结果",
	Rejected:   "不支持",
	Failed:     "生成失败",
	Uncertain:  "结果不确定",
	Pending:    "处理中",
	NotOrdered: "未下单",
}

// All returns every outcome in display order (a new slice each call).
func All() []Outcome { out := all; return out[:] }

// NewCounts returns a count per outcome with every outcome present at zero,
// as status --json and the summaries show them.
func NewCounts() map[Outcome]int {
	counts := make(map[Outcome]int, len(all))
	for _, o := range all {
		counts[o] = 0
	}
	return counts
}

// Lang maps a --lang value to "zh" or "en". zh is the default: anything but
// "en" (in any case) is zh, for every label and header the program writes.
func Lang(lang string) string {
	if lang == "en" || lang == "EN" || lang == "En" || lang == "eN" {
		return "en"
	}
	return "zh"
}

// Chinese returns the outcome as shown to users in zh; an unknown outcome
// as it is. In en an outcome is shown as its code. msg.Language.Outcome
// chooses between them.
func (o Outcome) Chinese() string {
	if s, ok := zh[o]; ok {
		return s
	}
	return string(o)
}

// Final reports whether a rerun leaves a row with this outcome alone.
func (o Outcome) Final() bool {
	return o != Pending && o != NotOrdered && o != ""
}

// Known reports whether o is one of the eight outcomes.
func (o Outcome) Known() bool {
	_, ok := zh[o]
	return ok
}
