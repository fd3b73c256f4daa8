package msg

// The texts of the web page of `qccbatch serve` (issue 21): the page asks
// for them as JSON (GET /api/messages?lang=zh|en) and has no language of
// its own. PageTexts names them for the page.
const (
	SrvTitle ID = 35000 + iota
	SrvSubtitle
	SrvDrop
	SrvChoose
	SrvUploading
	SrvPlanTitle
	SrvRows
	SrvCompanies
	SrvInvalid
	SrvDuplicates
	SrvDone
	SrvNewOrders
	SrvPolls
	SrvCost
	SrvCostUnknown
	SrvTime
	SrvUnlimited
	SrvSheet
	SrvHeaderRow
	SrvCodeColumn
	SrvNameColumn
	SrvUpdatePlan
	SrvRow
	SrvReason
	SrvRepeats
	SrvWarnings
	SrvConfirm
	SrvTypeCount
	SrvNothing
	SrvStart
	SrvPlanChanged
	SrvProgressTitle
	SrvStateQueued
	SrvStateApproval
	SrvStateRunning
	SrvStateStopping
	SrvStateDone
	SrvStop
	SrvResume
	SrvFinalRows
	SrvOrdered
	SrvReady
	SrvPending
	SrvRate
	SrvETA
	SrvExit
	SrvDownloads
	SrvResultsXLSX
	SrvResultsCSV
	SrvLedger
	SrvReports
	SrvBooks
	SrvNoBooks
	SrvOpen
	SrvRuns
	SrvUncertain
	SrvResolveHelp
	SrvResolvePreview
	SrvResolveApply
	SrvResolveApplied
	SrvApprove
	SrvApprovedBy
	SrvStartedBy
	SrvLogin
	SrvUser
	SrvPassword
	SrvError
	SrvLanguage
	SrvSeconds
	SrvMinutes
	SrvOutcome
	SrvCount
	SrvWhen
	SrvKind
	SrvNewBook
	SrvNeedsAction
	SrvSearchKey

	srvEnd // one past the last
)

var serveTable = map[ID][2]string{
	SrvNeedsAction:    {"需要处理的行", "Rows that need a person"},
	SrvSearchKey:      {"查询关键字", "Search key"},
	SrvTitle:          {"qccbatch 批量下单", "qccbatch batch orders"},
	SrvSubtitle:       {"为整个客户清单订购企查查基础身份报告", "Order Qichacha basic identity reports for a whole portfolio"},
	SrvDrop:           {"将表格拖放到这里，或选择文件（.xlsx、.csv）", "Drop a sheet here, or choose a file (.xlsx, .csv)"},
	SrvChoose:         {"选择文件", "Choose a file"},
	SrvUploading:      {"正在上传并读取…", "Uploading and reading…"},
	SrvPlanTitle:      {"计划", "The plan"},
	SrvRows:           {"数据行", "Data rows"},
	SrvCompanies:      {"企业（去重后）", "Companies (unique)"},
	SrvInvalid:        {"无效行（不会下单）", "Invalid rows (never ordered)"},
	SrvDuplicates:     {"重复行", "Duplicate rows"},
	SrvDone:           {"已完成（不再下单）", "Already done (not ordered again)"},
	SrvNewOrders:      {"新订单", "New orders"},
	SrvPolls:          {"待查询的旧订单", "Earlier orders to poll"},
	SrvCost:           {"费用（元）", "Cost (yuan)"},
	SrvCostUnknown:    {"未知（用 --price 设置单价）", "unknown (set the price with --price)"},
	SrvTime:           {"预计时间", "Estimated time"},
	SrvUnlimited:      {"不限速", "no rate limit"},
	SrvSheet:          {"工作表", "Worksheet"},
	SrvHeaderRow:      {"表头行", "Header row"},
	SrvCodeColumn:     {"代码列", "Code column"},
	SrvNameColumn:     {"名称列", "Name column"},
	SrvUpdatePlan:     {"按这些设置重新读取", "Read again with these settings"},
	SrvRow:            {"行", "Row"},
	SrvReason:         {"原因", "Reason"},
	SrvRepeats:        {"重复第 %d 行", "repeats row %d"},
	SrvWarnings:       {"提示", "Warnings"},
	SrvConfirm:        {"下单 %d 份报告", "Order %d reports"},
	SrvTypeCount:      {"新订单超过 %d 份：请输入订单数量以确认", "More than %d new orders: type the number of orders to confirm"},
	SrvNothing:        {"没有新订单：将只查询和下载已有订单", "No new orders: the run only polls and downloads earlier orders"},
	SrvStart:          {"开始", "Start"},
	SrvPlanChanged:    {"计划已变化（可能有人刚刚下过单）：请查看新的计划后再确认", "The plan changed (someone may have just ordered): check the new plan and confirm again"},
	SrvProgressTitle:  {"进度", "Progress"},
	SrvStateQueued:    {"排队中", "queued"},
	SrvStateApproval:  {"等待第二人审批", "waiting for a second person's approval"},
	SrvStateRunning:   {"运行中", "running"},
	SrvStateStopping:  {"正在停止（不再下新单，写出结果）", "stopping (no new orders; writing the results)"},
	SrvStateDone:      {"已结束", "done"},
	SrvStop:           {"停止", "Stop"},
	SrvResume:         {"继续", "Resume"},
	SrvFinalRows:      {"已完成行", "Rows final"},
	SrvOrdered:        {"本次已下单", "Ordered this run"},
	SrvReady:          {"报告就绪", "Reports ready"},
	SrvPending:        {"生成中", "Generating"},
	SrvRate:           {"速率（次/秒）", "Rate (calls/s)"},
	SrvETA:            {"预计剩余", "Time left"},
	SrvExit:           {"退出码", "Exit code"},
	SrvDownloads:      {"下载", "Downloads"},
	SrvResultsXLSX:    {"结果工作簿（.xlsx）", "Results workbook (.xlsx)"},
	SrvResultsCSV:     {"结果（.csv）", "Results (.csv)"},
	SrvLedger:         {"订单台账（含发票汇总）", "Order ledger (with the Invoice sheet)"},
	SrvReports:        {"报告文件（.zip）", "Report files (.zip)"},
	SrvBooks:          {"清单与运行记录", "Books and runs"},
	SrvNoBooks:        {"还没有上传过清单", "No book uploaded yet"},
	SrvOpen:           {"打开", "Open"},
	SrvRuns:           {"运行记录", "Runs"},
	SrvUncertain:      {"不确定的订单（可能已下单并扣费）", "Uncertain orders (may have been placed and charged)"},
	SrvResolveHelp:    {"从企查查下载订单列表并上传：先预览，再应用", "Download the order list from Qichacha and upload it: preview first, then apply"},
	SrvResolvePreview: {"预览", "Preview"},
	SrvResolveApply:   {"应用", "Apply"},
	SrvResolveApplied: {"已应用：下次运行将查询这些订单，不会重复下单", "Applied: the next run polls these orders and orders none of them again"},
	SrvApprove:        {"批准", "Approve"},
	SrvApprovedBy:     {"批准人", "Approved by"},
	SrvStartedBy:      {"发起人", "Started by"},
	SrvLogin:          {"登录", "Sign in"},
	SrvUser:           {"用户名", "User name"},
	SrvPassword:       {"密码", "Password"},
	SrvError:          {"错误", "Error"},
	SrvLanguage:       {"切换到英文", "Switch to Chinese"},
	SrvSeconds:        {"%d 秒", "%d s"},
	SrvMinutes:        {"%d 分 %d 秒", "%d min %d s"},
	SrvOutcome:        {"结果", "Outcome"},
	SrvCount:          {"数量", "Count"},
	SrvWhen:           {"时间", "When"},
	SrvKind:           {"类型", "Kind"},
	SrvNewBook:        {"上传新的清单", "Upload another sheet"},
}

// PageTexts maps the names the page uses to their messages.
var PageTexts = map[string]ID{
	"needs_action":            SrvNeedsAction,
	"search_key":              SrvSearchKey,
	"title":                   SrvTitle,
	"subtitle":                SrvSubtitle,
	"drop":                    SrvDrop,
	"choose":                  SrvChoose,
	"uploading":               SrvUploading,
	"plan_title":              SrvPlanTitle,
	"rows":                    SrvRows,
	"companies":               SrvCompanies,
	"invalid":                 SrvInvalid,
	"duplicates":              SrvDuplicates,
	"done":                    SrvDone,
	"new_orders":              SrvNewOrders,
	"polls":                   SrvPolls,
	"cost":                    SrvCost,
	"cost_unknown":            SrvCostUnknown,
	"time":                    SrvTime,
	"unlimited":               SrvUnlimited,
	"sheet":                   SrvSheet,
	"header_row":              SrvHeaderRow,
	"code_column":             SrvCodeColumn,
	"name_column":             SrvNameColumn,
	"update_plan":             SrvUpdatePlan,
	"row":                     SrvRow,
	"reason":                  SrvReason,
	"repeats":                 SrvRepeats,
	"warnings":                SrvWarnings,
	"confirm":                 SrvConfirm,
	"type_count":              SrvTypeCount,
	"nothing":                 SrvNothing,
	"start":                   SrvStart,
	"plan_changed":            SrvPlanChanged,
	"progress_title":          SrvProgressTitle,
	"state_queued":            SrvStateQueued,
	"state_awaiting_approval": SrvStateApproval,
	"state_running":           SrvStateRunning,
	"state_stopping":          SrvStateStopping,
	"state_done":              SrvStateDone,
	"stop":                    SrvStop,
	"resume":                  SrvResume,
	"final_rows":              SrvFinalRows,
	"ordered":                 SrvOrdered,
	"ready":                   SrvReady,
	"pending":                 SrvPending,
	"rate":                    SrvRate,
	"eta":                     SrvETA,
	"exit":                    SrvExit,
	"downloads":               SrvDownloads,
	"results_xlsx":            SrvResultsXLSX,
	"results_csv":             SrvResultsCSV,
	"ledger":                  SrvLedger,
	"reports":                 SrvReports,
	"books":                   SrvBooks,
	"no_books":                SrvNoBooks,
	"open":                    SrvOpen,
	"runs":                    SrvRuns,
	"uncertain":               SrvUncertain,
	"resolve_help":            SrvResolveHelp,
	"resolve_preview":         SrvResolvePreview,
	"resolve_apply":           SrvResolveApply,
	"resolve_applied":         SrvResolveApplied,
	"approve":                 SrvApprove,
	"approved_by":             SrvApprovedBy,
	"started_by":              SrvStartedBy,
	"login":                   SrvLogin,
	"user":                    SrvUser,
	"password":                SrvPassword,
	"error":                   SrvError,
	"language":                SrvLanguage,
	"seconds":                 SrvSeconds,
	"minutes":                 SrvMinutes,
	"outcome":                 SrvOutcome,
	"count":                   SrvCount,
	"when":                    SrvWhen,
	"kind":                    SrvKind,
	"new_book":                SrvNewBook,
}

func init() {
	for id, m := range serveTable {
		if _, dup := table[id]; dup {
			panic("msg: serve ID defined twice")
		}
		table[id] = m
	}
}
