package results

import (
	"github.com/qccbatch/qccbatch/batch/outcome"
	"github.com/xuri/excelize/v2"
)

// summaryText holds the labels of the Summary sheet in one language.
type summaryText struct {
	input, state, start, end, version, rows, companies string
	newOrders, apiCalls                                string
	counts, count, legend, meaning, final, yes, no     string
	meanings                                           map[outcome.Outcome]string
}

var summaryTexts = map[string]summaryText{
	"en": {
		input: "input", state: "state file", start: "run start", end: "run end",
		version: "program version", rows: "rows", companies: "unique companies",
		newOrders: "new orders this run", apiCalls: "API calls",
		counts: "outcome", count: "count", legend: "legend", meaning: "meaning",
		final: "final", yes: "yes", no: "no",
		meanings: map[outcome.Outcome]string{
			outcome.Ready:      "report generated; its address is in report_url",
			outcome.Invalid:    "rejected locally: nothing ordered, nothing spent",
			outcome.NotFound:   "the API found no such company (201)",
			outcome.Rejected:   "the API does not serve this company (see code and message)",
			outcome.Failed:     "report generation failed (F); --reorder-failed orders it again",
			outcome.Uncertain:  "maybe ordered, but no answer came; --reorder-uncertain orders it again",
			outcome.Pending:    "ordered, not finished yet; a rerun polls it",
			outcome.NotOrdered: "not ordered yet (stopped, order cap, cooldown); a rerun orders it",
		},
	},
	"zh": {
		input: "输入文件", state: "状态文件", start: "开始时间", end: "结束时间",
		version: "程序版本", rows: "行数", companies: "企业数（去重）",
		newOrders: "本次新下单", apiCalls: "API 调用次数",
		counts: "处理结果", count: "数量", legend: "图例", meaning: "含义",
		final: "最终结果", yes: "是", no: "否",
		meanings: map[outcome.Outcome]string{
			outcome.Ready:      "报告已生成，地址见“报告地址”列",
			outcome.Invalid:    "本地校验未通过：未下单，未产生费用",
			outcome.NotFound:   "接口未查到该企业（201）",
			outcome.Rejected:   "接口不支持该企业（见状态码和说明）",
			outcome.Failed:     "报告生成失败（F）；--reorder-failed 可重新下单",
			outcome.Uncertain:  "可能已下单但未收到应答；--reorder-uncertain 可重新下单",
			outcome.Pending:    "已下单，尚未完成；重新运行会继续查询",
			outcome.NotOrdered: "尚未下单（提前停止、下单上限或冷却期）；重新运行会下单",
		},
	},
}

// writeSummarySheet adds the Summary sheet: the run's facts, the count of
// every outcome (zeros included) and a legend of the outcomes in lang, the
// outcome labels coloured as in the Results sheet.
func writeSummarySheet(f *excelize.File, st *xlsxStyles, sum Summary, lang string) error {
	if _, err := f.NewSheet(summarySheet); err != nil {
		return err
	}
	tx := summaryTexts[lang]
	bold, err := f.NewStyle(&excelize.Style{Font: styleFont(f, func(ft *excelize.Font) { ft.Bold = true })})
	if err != nil {
		return err
	}
	left, err := f.NewStyle(&excelize.Style{Alignment: &excelize.Alignment{Horizontal: "left"}})
	if err != nil {
		return err
	}
	sh := summaryWriter{f: f}
	fact := func(label string, value any) {
		sh.row(bold, label, value)
		sh.style(left, 2) // numbers beside their label, not at the far right
	}
	fact(tx.input, sum.Input)
	fact(tx.state, sum.State)
	fact(tx.start, formatTime(sum.Start))
	fact(tx.end, formatTime(sum.End))
	fact(tx.version, sum.Version)
	fact(tx.rows, sum.Rows)
	fact(tx.companies, sum.Companies)
	fact(tx.newOrders, sum.NewOrders)
	fact(tx.apiCalls, sum.APICalls)
	sh.n++
	sh.row(bold, tx.counts, tx.count)
	sh.style(bold, 2)
	for _, o := range outcome.All() {
		sh.row(st.outcome[o], o.Label(lang), sum.Counts[o])
		sh.style(left, 2)
	}
	sh.n++
	sh.row(bold, tx.legend, tx.meaning, tx.final)
	sh.style(bold, 2)
	sh.style(bold, 3)
	for _, o := range outcome.All() {
		final := tx.yes
		if !o.Final() {
			final = tx.no
		}
		sh.row(st.outcome[o], o.Label(lang), tx.meanings[o], final)
	}
	if sh.err != nil {
		return sh.err
	}
	landscape, one, fit := "landscape", 1, true
	if err := f.SetPageLayout(summarySheet, &excelize.PageLayoutOptions{Orientation: &landscape, FitToWidth: &one}); err != nil {
		return err
	}
	if err := f.SetSheetProps(summarySheet, &excelize.SheetPropsOptions{FitToPage: &fit}); err != nil {
		return err
	}
	for col, w := range map[string]float64{"A": 24, "B": 70, "C": 10} {
		if err := f.SetColWidth(summarySheet, col, col, w); err != nil {
			return err
		}
	}
	return nil
}

// summaryWriter appends rows to the Summary sheet, keeping the first error.
type summaryWriter struct {
	f   *excelize.File
	n   int // last row written
	err error
}

// row writes the values in columns A, B, ... of the next row, with labelStyle
// on column A. Strings are stored as strings, never as formulas.
func (s *summaryWriter) row(labelStyle int, values ...any) {
	s.n++
	for i, v := range values {
		if s.err != nil {
			return
		}
		cell, err := excelize.CoordinatesToCellName(i+1, s.n)
		if err != nil {
			s.err = err
			return
		}
		if str, ok := v.(string); ok {
			s.err = s.f.SetCellStr(summarySheet, cell, str)
		} else {
			s.err = s.f.SetCellValue(summarySheet, cell, v)
		}
	}
	s.style(labelStyle, 1)
}

// style applies style id to cell (col, current row).
func (s *summaryWriter) style(id, col int) {
	if s.err != nil || id == 0 {
		return
	}
	cell, err := excelize.CoordinatesToCellName(col, s.n)
	if err != nil {
		s.err = err
		return
	}
	s.err = s.f.SetCellStyle(summarySheet, cell, cell, id)
}
