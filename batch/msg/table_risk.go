package msg

// Messages of the refresh by risk rating and review date, the results
// split per value and the metrics file (issue 20 items 1, 2, 4, 5).
const (
	// DueDateUnreadable is the row message of a review-date cell that holds
	// no date; the row is refreshed by age instead.
	DueDateUnreadable ID = 36000 + iota
	// DueDateReason is its short reason, in the plan's warnings.
	DueDateReason
	// CfgUnknownRatings stops a run whose file holds ratings the
	// --refresh-after mapping does not cover.
	CfgUnknownRatings
	// CfgUnknownRating is one of them: rating, rows, first row.
	CfgUnknownRating
	// CfgNoRiskColumn stops a run with a mapping and no rating column.
	CfgNoRiskColumn
	// RatingBlank names an empty rating cell.
	RatingBlank
	// RatingOther names the ratings `*=` covers.
	RatingOther
	// PlanRatings heads the plan's table per rating.
	PlanRatings
	// PlanRatingNoReport is the oldest report's age of a rating without one.
	PlanRatingNoReport
	// SumRatings heads the Summary sheet's table per rating.
	SumRatings
	// SumRatingDue .. SumRatingLeft are its column heads.
	SumRatingDue
	SumRatingOrdered
	SumRatingLeft
	// CfgSplitNeedsInput refuses export --split-by without INPUT.
	CfgSplitNeedsInput
)

var riskTable = map[ID][2]string{
	DueDateUnreadable: {"复核日期 %q 无法识别（应为 2026-03-31、2026/3/31、2026年3月31日、20260331 或 Excel 日期）：按 --refresh-after 的期限判断",
		"review date %q cannot be read (use 2026-03-31, 2026/3/31, 20260331, a date in Chinese or an Excel date): judged by the --refresh-after age"},
	DueDateReason: {"复核日期无法识别", "review date unreadable"},
	CfgUnknownRatings: {"%s：--refresh-after 没有列出以下风险等级（可加上它们，或用 *=期限 覆盖其余等级）：%s",
		"%s: --refresh-after does not list these risk ratings (add them, or cover the rest with *=AGE): %s"},
	CfgUnknownRating:   {"%q %d 行（首次出现于第 %d 行）", "%q in %d rows (first in row %d)"},
	CfgNoRiskColumn:    {"%s：--refresh-after 按风险等级给出期限，但找不到风险等级列（可用 --risk-column 指定）；看到的表头：%s", "%s: --refresh-after gives ages per risk rating, but there is no risk-rating column (name it with --risk-column); headers seen: %s"},
	RatingBlank:        {"（空）", "(blank)"},
	RatingOther:        {"其他", "other"},
	PlanRatings:        {"按风险等级（客户、现在到期、最早的报告已有）：\n", "by risk rating (customers, due now, age of the oldest report):\n"},
	PlanRatingNoReport: {"无报告", "none"},
	SumRatings:         {"风险等级", "Risk rating"},
	SumRatingDue:       {"到期", "due"},
	SumRatingOrdered:   {"本次已下单", "ordered this run"},
	SumRatingLeft:      {"留待下次", "left for the next run"},
	CfgSplitNeedsInput: {"--split-by 需要输入文件（INPUT）：拆分依据的列在输入文件中", "--split-by needs INPUT: the column to split by is in the input file"},
}

func init() {
	for id, m := range riskTable {
		table[id] = m
	}
}
