package results

import (
	"github.com/qccbatch/qccbatch/batch/outcome"
)

// catalog holds every text the results write in one language: the headers of
// the ten appended columns, the meaning of each report status, and the labels,
// instructions and legend of the Summary sheet. The outcome labels themselves
// come from outcome.Label, which the command line shares.
type catalog struct {
	columns [10]string
	title   string // the workbook's document title
	// status maps the API's ReportStatus letter to the letter and its
	// meaning, as the API document words it (N-未生成, S-生成成功,
	// F-生成失败, P-正在处理中).
	status map[string]string

	// Facts of the run.
	input, state, start, end, version, rows, companies string
	newOrders, price, spend, apiCalls, callsPerOrder   string
	pollsPending, formats, stopReason                  string

	// Section headings.
	needsAction, rowsCol, whatToDo string
	counts, count                  string
	legend, meaning, onRerun       string

	// actions are the kinds of rows that need a person, in the order shown.
	actions []action
	// meanings and reruns say, per outcome, what it means and what a rerun
	// of the same command does with such a row.
	meanings, reruns map[outcome.Outcome]string
}

// action is one kind of row that needs a person: the outcomes it groups and
// what to do about them.
type action struct {
	outcomes []outcome.Outcome
	todo     string
}

// catalogs is the one zh/en table of the package.
var catalogs = map[string]*catalog{
	"en": {
		columns: [10]string{"search_key", "outcome", "code", "message", "order_no",
			"report_status", "report_url", "file", "ordered_at", "completed_at"},
		title:  "qccbatch results",
		status: map[string]string{"N": "N not generated yet", "S": "S generated", "F": "F generation failed", "P": "P processing"},

		input: "input", state: "state file", start: "run start", end: "run end",
		version: "program version", rows: "rows", companies: "unique companies",
		newOrders: "new orders this run", price: "price per report (CNY)", spend: "spend this run (CNY)",
		apiCalls: "API calls", callsPerOrder: "API calls per company ordered",
		pollsPending: "polls that found the report still processing (P)", formats: "report formats (companies)",
		stopReason: "why the run stopped early",

		needsAction: "needs action", rowsCol: "rows", whatToDo: "what to do",
		counts: "outcome", count: "rows",
		legend: "legend", meaning: "meaning", onRerun: "when you run the same command again",

		actions: []action{
			{[]outcome.Outcome{outcome.Uncertain}, "an order may have been placed and paid: look these companies up in Qichacha's order list, then record what you find with qccbatch resolve (only --reorder-uncertain orders them again)"},
			{[]outcome.Outcome{outcome.Failed}, "report generation failed: rerun with --reorder-failed (at most one new order per company per run)"},
			{[]outcome.Outcome{outcome.NotFound, outcome.Rejected, outcome.Invalid}, "check or correct the company name or credit code (see the message column), then rerun"},
			{[]outcome.Outcome{outcome.Pending, outcome.NotOrdered}, "not finished: rerun the same command to resume"},
		},
		meanings: map[outcome.Outcome]string{
			outcome.Ready:      "report generated; its address is in report_url",
			outcome.Invalid:    "rejected locally: nothing ordered, nothing spent",
			outcome.NotFound:   "the API found no such company (201)",
			outcome.Rejected:   "the API does not serve this company (see code and message)",
			outcome.Failed:     "report generation failed (F)",
			outcome.Uncertain:  "an order may have been placed, but no answer came",
			outcome.Pending:    "ordered, not finished when the run stopped",
			outcome.NotOrdered: "not ordered yet (stopped early, order cap, cooldown)",
		},
		reruns: map[outcome.Outcome]string{
			outcome.Ready:      "kept, not ordered again (--refresh-after orders reports older than it again)",
			outcome.Invalid:    "not ordered; a corrected identifier is ordered",
			outcome.NotFound:   "not ordered again; a corrected identifier is ordered",
			outcome.Rejected:   "not ordered again; a corrected identifier is ordered",
			outcome.Failed:     "not ordered again, unless --reorder-failed",
			outcome.Uncertain:  "never ordered again by itself: settle it with qccbatch resolve, or --reorder-uncertain",
			outcome.Pending:    "polled until the report is ready (or --timeout)",
			outcome.NotOrdered: "ordered",
		},
	},
	"zh": {
		columns: [10]string{"查询关键字", "处理结果", "状态码", "说明", "订单号",
			"报告状态", "报告地址", "本地文件", "下单时间", "完成时间"},
		title:  "qccbatch 结果",
		status: map[string]string{"N": "N 未生成", "S": "S 生成成功", "F": "F 生成失败", "P": "P 正在处理中"},

		input: "输入文件", state: "状态文件", start: "开始时间", end: "结束时间",
		version: "程序版本", rows: "行数", companies: "企业数（去重）",
		newOrders: "本次新下单", price: "报告单价（元）", spend: "本次费用（元）",
		apiCalls: "API 调用次数", callsPerOrder: "每家新下单企业的 API 调用次数",
		pollsPending: "查询时报告仍在处理中（P）的次数", formats: "报告格式（企业数）",
		stopReason: "提前停止的原因",

		needsAction: "需要处理", rowsCol: "行数", whatToDo: "怎么做",
		counts: "处理结果", count: "行数",
		legend: "图例", meaning: "含义", onRerun: "再次运行同一命令时",

		actions: []action{
			{[]outcome.Outcome{outcome.Uncertain}, "可能已下单并扣费：请在企查查订单列表中查找这些企业，再用 qccbatch resolve 登记结果（只有 --reorder-uncertain 会重新下单）"},
			{[]outcome.Outcome{outcome.Failed}, "报告生成失败：加 --reorder-failed 重新运行（每家企业每次运行最多再下单一次）"},
			{[]outcome.Outcome{outcome.NotFound, outcome.Rejected, outcome.Invalid}, "核对或更正企业名称、统一社会信用代码（见“说明”列），然后重新运行"},
			{[]outcome.Outcome{outcome.Pending, outcome.NotOrdered}, "尚未完成：重新运行同一命令即可继续"},
		},
		meanings: map[outcome.Outcome]string{
			outcome.Ready:      "报告已生成，地址见“报告地址”列",
			outcome.Invalid:    "本地校验未通过：未下单，未产生费用",
			outcome.NotFound:   "接口未查到该企业（201）",
			outcome.Rejected:   "接口不支持该企业（见状态码和说明）",
			outcome.Failed:     "报告生成失败（F）",
			outcome.Uncertain:  "可能已下单，但未收到应答",
			outcome.Pending:    "已下单，运行结束时尚未完成",
			outcome.NotOrdered: "尚未下单（提前停止、下单上限或冷却期）",
		},
		reruns: map[outcome.Outcome]string{
			outcome.Ready:      "保留，不再下单（--refresh-after 会为早于该期限的报告重新下单）",
			outcome.Invalid:    "不下单；更正后的标识会下单",
			outcome.NotFound:   "不再下单；更正后的标识会下单",
			outcome.Rejected:   "不再下单；更正后的标识会下单",
			outcome.Failed:     "不再下单，除非加 --reorder-failed",
			outcome.Uncertain:  "绝不自动重新下单：用 qccbatch resolve 登记，或加 --reorder-uncertain",
			outcome.Pending:    "继续查询，直到报告生成（或超过 --timeout）",
			outcome.NotOrdered: "下单",
		},
	},
}

// textsFor returns the catalog of lang ("zh" unless lang is "en").
func textsFor(lang string) *catalog {
	return catalogs[outcome.Lang(lang)]
}

// statusText returns a report status with its meaning, "S 生成成功"; an
// unknown status is returned as it came.
func (c *catalog) statusText(status string) string {
	if shown, ok := c.status[status]; ok {
		return shown
	}
	return status
}
