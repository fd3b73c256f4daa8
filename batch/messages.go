package batch

import (
	"fmt"

	"github.com/qccbatch/qccbatch/batch/outcome"
)

// msgID names a row message the pipeline writes into the results.
type msgID int

const (
	msgDownloadFailed msgID = iota
	msgNotRecorded
	msgCooldown
	msgNotOrdered
	msgStillProcessing
	msgNoPollAnswer
	msgPollFailed
	msgStopped
	msgReportFailed
)

// messages is the one zh/en catalogue of row messages: [zh, en]. API
// messages inside them are kept as the API sent them.
var messages = map[msgID][2]string{
	msgDownloadFailed:  {"报告下载失败：%v；重新运行即可重试", "download failed: %v; rerun to retry"},
	msgNotRecorded:     {"订单 %s 已下单，但状态文件未能记录：请保留此订单号", "order %s was placed but the state file could not record it: keep this order number"},
	msgCooldown:        {"API 110：相同查询连续出错，冷却至 %s；之后重新运行即可下单", "API 110: the same query failed repeatedly; cooling down until %s; rerun after that to order"},
	msgNotOrdered:      {"未下单：%v", "not ordered: %v"},
	msgStillProcessing: {"运行 %s（--timeout）后仍在生成；重新运行将继续查询", "still processing after %s (--timeout); rerun to keep polling"},
	msgNoPollAnswer:    {"%s（--timeout）内未得到可用的查询结果：%s；重新运行将继续查询", "no usable poll answer within %s (--timeout): %s; rerun to keep polling"},
	msgPollFailed:      {"上次查询失败：%v", "last poll failed: %v"},
	msgStopped:         {"未下单：运行已停止：%s", "not ordered: the run stopped: %s"},
	msgReportFailed:    {"报告生成失败 (F)；如需重新下单，请加 --reorder-failed 重新运行", "report generation failed (F); rerun with --reorder-failed to order it again"},
}

// text returns message id in lang ("en" or zh), formatted with args.
func text(lang string, id msgID, args ...any) string {
	m := messages[id]
	f := m[0]
	if outcome.Lang(lang) == "en" {
		f = m[1]
	}
	if len(args) == 0 {
		return f
	}
	return fmt.Sprintf(f, args...)
}

// text returns message id in the run's language.
func (r *runner) text(id msgID, args ...any) string { return text(r.cfg.Lang, id, args...) }
