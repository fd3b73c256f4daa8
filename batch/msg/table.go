package msg

// The messages of the catalogue, by where they are written.
const (
	None ID = iota

	// Row messages of the results (batch).
	DownloadFailed
	NotRecorded
	Cooldown
	NotOrdered
	StillProcessing
	NoPollAnswer
	PollFailed
	Stopped
	ReportFailed

	// Row messages of the state file (batch/journal), translated where
	// rows are rendered; the state file keeps the English text it always had.
	ResolveAdvice
	CauseResolveAdvice
	NoAnswer

	// Stop reasons (batch.StopError).
	StopStateFile
	StopStateFileCompany
	StopMaxOrders
	StopInterrupted
	StopCooldown
	StopQuota
	StopQuotaErr
	StopOrdersFailed
	StopAccount
	StopAccountClock
	StopUnexpected
	StopFailing
	StopBadParams
	StopPollTimeout
	StopResultsNotWritten
	StopInterruptedLeft
	StopDownloadsFailed
	StopUncertain
	StopIncomplete
	StopNotPlaced
	StopLeft
	StopJoin

	// The plan of validate and run --dry-run.
	PlanInput
	PlanSheet
	PlanHeaderRow
	PlanIdentifier
	PlanColumn
	PlanCodeElseName
	PlanNoColumn
	PlanRows
	PlanInvalid
	PlanDuplicates
	PlanWarnings
	PlanCompanies
	PlanInvalidNeverOrdered
	PlanInvalidRows
	PlanInvalidRow
	PlanMore
	PlanDuplicateRows
	PlanDuplicateRow
	PlanPeopleWarning
	PlanResults
	PlanStrict
	DryDone
	DryNewOrders
	DryCost
	DryPoll
	DryDownload
	DryDuration
	DryNothing
	DryUnlimited

	// The confirmation prompt.
	ConfirmPlace
	ConfirmCost
	ConfirmAsk

	// Log sentences on a terminal (--log-format human) and the progress bar.
	LogPlan
	LogProgress
	LogStopping
	LogNotRecorded
	LogSandbox
	LogError
	LogWarning
	LogKeyRows
	LogKeyCompanies
	LogKeyToOrder
	LogKeyToPoll
	LogKeyToDownload
	LogKeyRowsFinal
	LogKeyOrdered
	LogKeyReady
	LogKeyPending
	LogKeyRetries
	LogKeyDownloaded
	LogKeyElapsed
	LogKeyETA
	LogKeyBaseURL
	LogKeySearchKey
	LogKeyOrderNo
	LogListSep
	LogDetails
	LogLabelled
	ProgOrdered
	ProgPending
	ProgDownloaded
	ProgRetries
	ProgElapsed
	ProgTook
	ProgStopping
	ProgETAUnknown
	ProgETA
	ProgUnknown
	Interrupted
	InterruptedTwice

	// The run's summary for people (stdout on a terminal).
	SummaryRows
	SummaryOrders
	SummaryCost
	SummaryTook
	SummaryResults

	// Human output of status, resolve, repair, ledger and export.
	StatusState
	StatusCompanies
	StatusFormats
	StatusOrdersPlaced
	StatusOldest
	StatusNewest
	StatusOutcomes
	StatusNoReport
	ResolveWould
	ResolveDid
	ResolvePending
	ResolveNotOrdered
	ResolveUnknown
	ResolveWouldTotals
	ResolveTotals
	ResolveDryRun
	RepairNoDamage
	RepairWouldKeep
	RepairKept
	RepairDropped
	RepairCompany
	RepairUncertain
	RepairUnattributed
	RepairDryRun
	RepairBackup
	LedgerWrote
	LedgerKilled
	ExportWarning
	ExportWrote

	// The results workbook (batch/results): the appended columns …
	ColSearchKey
	ColOutcome
	ColCode
	ColMessage
	ColOrderNo
	ColReportStatus
	ColReportURL
	ColFile
	ColOrderedAt
	ColCompletedAt
	// … the document title and the report statuses …
	ResTitle
	StatusN
	StatusS
	StatusF
	StatusP
	// … the facts of the run …
	ResInput
	ResState
	ResStart
	ResEnd
	ResVersion
	ResRows
	ResCompanies
	ResNewOrders
	ResPrice
	ResSpend
	ResAPICalls
	ResCallsPerOrder
	ResPollsPending
	ResFormats
	ResStopReason
	// … the section headings …
	ResNeedsAction
	ResRowsCol
	ResWhatToDo
	ResCounts
	ResCount
	ResLegend
	ResMeaning
	ResOnRerun
	// … what to do about the rows that need a person …
	ActUncertain
	ActFailed
	ActCorrect
	ActResume
	// … and per outcome, its meaning and what a rerun does.
	MeanReady
	MeanInvalid
	MeanNotFound
	MeanRejected
	MeanFailed
	MeanUncertain
	MeanPending
	MeanNotOrdered
	RerunReady
	RerunInvalid
	RerunNotFound
	RerunRejected
	RerunFailed
	RerunUncertain
	RerunPending
	RerunNotOrdered

	// Short reasons of identifiers (batch/identifier), counted in the plan.
	ReasonEmpty
	ReasonChecksum
	ReasonSocialOrg
	ReasonPrecision
	ReasonBadChar
	ReasonLength
	ReasonNameTooShort
	ReasonNameTooLong
	ReasonGarbled
	ReasonNumber
	ReasonFormulaError
	ReasonNotID
	ReasonTotalsRow
	ReasonNotesRow
	ReasonFormulaUncalculated
	ReasonStoredAsNumber
	ReasonRegNoCheck
	ReasonChecksumAllowed

	// Identifier messages: why a row is invalid and what to do.
	IDFormulaUncalculated
	IDEmpty
	IDGarbled
	IDFormulaError
	IDBool
	IDTotalsRow
	IDNotesRow
	IDPrecision
	IDNumber
	IDStoredAsNumber
	IDStoredAsNumberCheckOK
	IDRegNoCheck
	IDLength
	IDBadChar
	IDBadCharO
	IDBadCharI
	IDSocialOrg
	IDChecksumAllowed
	IDChecksum
	IDNameTooShort
	IDNameTooLong
	IDNameControl
	IDNotID

	// The errors that stop a command with exit 2 (the program prefixes
	// "qccbatch: "). Cobra's own flag-parsing errors and the --help texts
	// are not in the catalogue: they stay English.

	// Input errors (batch/input: *input.Error).
	InHeaderRowBad
	InCannotOpen
	InNotFile
	InEmpty
	InODS
	InEncrypted
	InXLS
	InNotZip
	InExtUnsupported
	InCannotRead
	InFileType
	InNoIDColumnSheets
	InWhereFirstRows
	InWhereRow
	InNoData
	InWhatSheet
	InWhatFile
	InSheetErr
	InSheetNotFound
	InHeaderRowErr
	InNoHeaderEmpty
	InNoHeaderRow
	InNoIDColumnRows
	InSheetSummary
	InSheetSummaryEmpty
	InNoIDColumn
	InColumnBeyond
	InColumnNotFound
	InNoHeaders
	InCSVRecordLine
	InCSVRecord
	InCellTooLong
	InWhereCSVCell
	InWhereSharedString
	InWhereCell
	InQuoteRunsOn
	InQuoteNeverClosed
	InRecordTooLong
	InUnknownEncoding
	InEncodingHint
	InDamagedZip
	InZipBomb
	InNoWorkbookPart
	InDamagedRels
	InNoWorksheet
	InDamagedShared
	InNoSheetPart
	InSheetZipBomb
	InDamaged
	InPartMissing
	InPartZipBomb
	InSharedZipBomb
	InSharedCount
	InSharedText
	InXMLEndsEarly
	InSheetDamaged
	InBadRowNumber
	InTooManyRows
	InXMLEndsInRow
	InBeyondXFD
	InXMLEndsInCell
	InSharedOutOfRange
	InRefBeyondXFD
	InBadRef
	InXMLTokenTooLong
	InXMLEndsInTag
	InOrderListUnreadable
	InOrderListColumns
	InOrderListTime

	// Configuration errors (batch: *batch.ConfigError).
	CfgOutputExt
	CfgIsInput
	CfgOutputIsState
	CfgPath
	CfgDownloadIsFile
	CfgDownloadNoParent
	CfgOtherFormat
	CfgNotConfirmed
	CfgPeople
	CfgTooManyRows
	CfgNoFolder
	CfgNotFolder
	CfgCannotWrite
	CfgIsFolder
	CfgOpenElsewhere
	CfgExportIsInput
	CfgResolveNeeds
	CfgResolveKey
	CfgResolveUnknown
	CfgResolveUncovered
	CfgSpanNone
	CfgSpan

	// State-file errors (batch/journal).
	JCorrupt
	JVersion
	JNotJournal
	JRefused
	JLocked
	JHolder
	JHolderPID
	JHolderPIDHost
	JFileMissing
	JFile
	JEndpointSandbox
	JEndpointLocal
	JReasonEmpty
	JReasonIncomplete
	JReasonNoValid
	JReasonNoHeader
	JReasonSecondHeader
	JReasonSeqDeleted
	JReasonSeqAdded
	JLowSpace
	JPortfolioDidYouMean
	JPortfolioStateIn

	count // the number of IDs; not a message
)

// table holds every message as [zh, en]. Both have the same fmt verbs in
// the same order (msg_test checks it).
var table = map[ID][2]string{
	DownloadFailed:  {"报告下载失败：%v；重新运行即可重试", "download failed: %v; rerun to retry"},
	NotRecorded:     {"订单 %s 已下单，但状态文件未能记录：请保留此订单号", "order %s was placed but the state file could not record it: keep this order number"},
	Cooldown:        {"API 110：相同查询连续出错，冷却至 %s；之后重新运行即可下单", "API 110: the same query failed repeatedly; cooling down until %s; rerun after that to order"},
	NotOrdered:      {"未下单：%v", "not ordered: %v"},
	StillProcessing: {"运行 %s（--timeout）后仍在生成；重新运行将继续查询", "still processing after %s (--timeout); rerun to keep polling"},
	NoPollAnswer:    {"%s（--timeout）内未得到可用的查询结果：%s；重新运行将继续查询", "no usable poll answer within %s (--timeout): %s; rerun to keep polling"},
	PollFailed:      {"上次查询失败：%v", "last poll failed: %v"},
	Stopped:         {"未下单：运行已停止：%s", "not ordered: the run stopped: %s"},
	ReportFailed:    {"报告生成失败 (F)；如需重新下单，请加 --reorder-failed 重新运行", "report generation failed (F); rerun with --reorder-failed to order it again"},

	ResolveAdvice:      {"可能已下单：请在企查查订单列表中查找，然后运行 `qccbatch resolve`", "an order may have been placed: look it up in Qichacha's order list, then `qccbatch resolve`"},
	CauseResolveAdvice: {"%s：可能已下单：请在企查查订单列表中查找，然后运行 `qccbatch resolve`", "%s: an order may have been placed: look it up in Qichacha's order list, then `qccbatch resolve`"},
	NoAnswer:           {"已发送下单请求，但未记录到应答（程序中途停止）：可能已下单：请在企查查订单列表中查找，然后运行 `qccbatch resolve`", "order request sent but no answer recorded (program stopped): an order may have been placed: look it up in Qichacha's order list, then `qccbatch resolve`"},

	StopStateFile:         {"状态文件：%v", "state file: %v"},
	StopStateFileCompany:  {"状态文件：%v（企业 %s）", "state file: %v (company %s)"},
	StopMaxOrders:         {"已达到 --max-orders 上限", "--max-orders reached"},
	StopInterrupted:       {"已中断", "interrupted"},
	StopCooldown:          {"冷却中（API 110）", "cooldown (API 110)"},
	StopQuota:             {"API %d %s：已达每日上限或余额不足；请稍后重新运行以继续", "API %d %s: daily limit or balance reached; run again later to resume"},
	StopQuotaErr:          {"%v：已达每日上限或余额不足；请稍后重新运行以继续", "%v: daily limit or balance reached; run again later to resume"},
	StopOrdersFailed:      {"部分订单未能送达 API", "some orders failed to reach the API"},
	StopAccount:           {"API %d %s：密钥或账户需要人工处理；已停止全部请求（修复之前重新运行也会同样停止）", "API %d %s: the key or the account needs a person; all requests stopped (a rerun stops the same way until it is fixed)"},
	StopAccountClock:      {"API %d %s：密钥或账户需要人工处理；已停止全部请求（请检查系统时钟和 key/secret）", "API %d %s: the key or the account needs a person; all requests stopped (check the system clock and the key/secret)"},
	StopUnexpected:        {"意外的应答，已停止全部请求：%v", "unexpected answer, all requests stopped: %v"},
	StopFailing:           {"API 故障：%d 个订单未得到可用应答（最近 %d 个订单中）；%d 个订单结果不确定；请稍后重新运行", "the API is failing: %d of the last %d orders got no usable answer; %d orders uncertain; rerun later"},
	StopBadParams:         {"%d / %d 个订单被拒绝为参数错误（API 202/213/215）：标识列是否正确？请用 `qccbatch validate` 检查，修正输入或使用 --column", "%d of %d orders were rejected as bad parameters (API 202/213/215): is the identifier column right? Check with `qccbatch validate`, fix the input or use --column"},
	StopPollTimeout:       {"查询超时", "polling timed out"},
	StopResultsNotWritten: {"结果文件未能写入：%v（状态文件完整：`qccbatch export` 可重新写出）", "the results could not be written: %v (the state file is complete: `qccbatch export` writes them again)"},
	StopInterruptedLeft:   {"已中断：%d 行仍在处理中或未下单；重新运行同一命令即可继续", "interrupted: %d rows left pending or not ordered; rerun the same command to resume"},
	StopDownloadsFailed:   {"%d 份报告未能下载（见“说明”列）；重新运行同一命令即可重试", "%d reports could not be downloaded (see the message column); rerun the same command to retry"},
	StopUncertain:         {"%d 行结果不确定：请在企查查订单列表中查找，然后运行 `qccbatch resolve --orders LIST %s`", "%d rows uncertain: look them up in Qichacha's order list, then `qccbatch resolve --orders LIST %s`"},
	StopIncomplete:        {"未完成", "incomplete"},
	StopNotPlaced:         {"%s：部分计划中的订单未下单；重新运行同一命令即可继续", "%s: some planned orders were not placed; rerun the same command to resume"},
	StopLeft:              {"%s：%d 行仍在处理中或未下单；重新运行同一命令即可继续", "%s: %d rows left pending or not ordered; rerun the same command to resume"},
	StopJoin:              {"；", "; "},

	PlanInput:               {"输入文件：  %s，%s\n", "input:       %s, %s\n"},
	PlanSheet:               {"（工作表 %q）", " (sheet %q)"},
	PlanHeaderRow:           {"，表头在第 %d 行", ", header on row %d"},
	PlanIdentifier:          {"标识列：    %s\n", "identifier:  %s\n"},
	PlanColumn:              {"%s 列 %q", "column %s %q"},
	PlanCodeElseName:        {"%s，代码为空时用 %s", "%s, else %s where the code is empty"},
	PlanNoColumn:            {"（无）", "(none)"},
	PlanRows:                {"行数：      %d\n", "rows:        %d\n"},
	PlanInvalid:             {"无效：      %d\n", "invalid:     %d\n"},
	PlanDuplicates:          {"重复：      %d（与上方某行是同一企业，共用其结果）\n", "duplicates:  %d (rows naming a company already named above; they share its result)\n"},
	PlanWarnings:            {"警告：      %d（仍下单，见“说明”列）\n", "warnings:    %d (ordered, see the message column)\n"},
	PlanCompanies:           {"企业：      %d（按统一社会信用代码 %d，按注册号 %d，按名称 %d）\n", "companies:   %d (%d by credit code, %d by registration number, %d by name)\n"},
	PlanInvalidNeverOrdered: {"无效行不会下单。\n", "Invalid rows are never ordered.\n"},
	PlanInvalidRows:         {"无效行：\n", "invalid rows:\n"},
	PlanInvalidRow:          {"  第 %d 行：%s\n", "  row %d: %s\n"},
	PlanMore:                {"  另有 %d 行，用 -o 可全部写出\n", "  and %d more — write them with -o\n"},
	PlanDuplicateRows:       {"重复行：\n", "duplicate rows:\n"},
	PlanDuplicateRow:        {"  第 %d 行重复第 %d 行（%s）\n", "  row %d repeats row %d (%s)\n"},
	PlanPeopleWarning:       {"警告：%s 列有 %d 个名称，其中只有 %d 个像是机构（%s …）：这是一列人名吗？除非用 --name-column 指定该列，run 会拒绝运行\n", "warning: column %s has %d names, only %d of which look like organisations (%s …): is this a column of people? run refuses it unless --name-column names it\n"},
	PlanResults:             {"结果文件：  %s\n", "results:     %s\n"},
	PlanStrict:              {"%d / %d 行无效（--strict）", "%d of %d rows are invalid (--strict)"},
	DryDone:                 {"状态文件中已完成：%d 家企业\n", "already done in the state file: %d companies\n"},
	DryNewOrders:            {"本次新下单：      %d\n", "new orders this run:            %d\n"},
	DryCost:                 {"新订单费用：      ¥%.2f\n", "cost of the new orders:         ¥%.2f\n"},
	DryPoll:                 {"待查询订单：      %d\n", "orders to poll:                 %d\n"},
	DryDownload:             {"待下载报告：      %d\n", "reports to download:            %d\n"},
	DryDuration:             {"预计耗时：        %s\n", "estimated duration:             %s\n"},
	DryNothing:              {"预计耗时：        无需操作\n", "estimated duration:             nothing to do\n"},
	DryUnlimited:            {"预计耗时：        不限速（--qps 0）\n", "estimated duration:             unlimited rate (--qps 0)\n"},

	ConfirmPlace: {"下单 %s 份报告", "Place %s orders"},
	ConfirmCost:  {"（约 ¥%s）", " (≈ ¥%s)"},
	ConfirmAsk:   {"%s？[y/N] ", "%s? [y/N] "},

	LogPlan:          {"计划", "plan"},
	LogProgress:      {"进度", "progress"},
	LogStopping:      {"正在停止", "stopping"},
	LogNotRecorded:   {"已下单，但状态文件未能记录", "order placed but the state file could not record it"},
	LogSandbox:       {"使用内置沙箱 API：无需凭据，不产生费用", "using the built-in sandbox API: no credentials, no cost"},
	LogError:         {"错误：", "error: "},
	LogWarning:       {"警告：", "warning: "},
	LogKeyRows:       {"行数", "rows"},
	LogKeyCompanies:  {"企业", "companies"},
	LogKeyToOrder:    {"待下单", "to order"},
	LogKeyToPoll:     {"待查询", "to poll"},
	LogKeyToDownload: {"待下载", "to download"},
	LogKeyRowsFinal:  {"已完成行", "rows final"},
	LogKeyOrdered:    {"已下单", "ordered"},
	LogKeyReady:      {"已生成", "ready"},
	LogKeyPending:    {"处理中", "pending"},
	LogKeyRetries:    {"重试", "retries"},
	LogKeyDownloaded: {"已下载", "downloaded"},
	LogKeyElapsed:    {"已用时", "elapsed"},
	LogKeyETA:        {"剩余时间", "ETA"},
	LogKeyBaseURL:    {"接口地址", "base URL"},
	LogKeySearchKey:  {"查询关键字", "search key"},
	LogKeyOrderNo:    {"订单号", "order no"},
	LogListSep:       {"，", ", "},
	LogDetails:       {"（%s）", " (%s)"},
	LogLabelled:      {"：%s", ": %s"},
	ProgOrdered:      {"已下单 %d", "%d ordered"},
	ProgPending:      {"处理中 %d", "%d pending"},
	ProgDownloaded:   {"已下载 %d", "%d downloaded"},
	ProgRetries:      {"重试 %d", "%d retries"},
	ProgElapsed:      {"已用 %s", "%s elapsed"},
	ProgTook:         {"共用时 %s", "took %s"},
	ProgStopping:     {"正在停止", "stopping"},
	ProgETAUnknown:   {"剩余 ?", "ETA ?"},
	ProgETA:          {"剩余 %s", "ETA %s"},
	ProgUnknown:      {"未知", "unknown"},
	Interrupted:      {"qccbatch：已中断：正在安全停止（再按一次立即退出）", "qccbatch: interrupted: stopping cleanly (interrupt again to exit at once)"},
	SummaryRows:      {"汇总：%d 行（%d 家企业）：%s\n", "summary: %d rows (%d companies): %s\n"},
	SummaryOrders:    {"新下单 %d%s，API 调用 %d（降速 %d），已下载 %d\n", "new orders %d%s, API calls %d (%d slow-downs), downloaded %d\n"},
	SummaryCost:      {"（约 ¥%.2f）", " (≈ ¥%.2f)"},
	SummaryTook:      {"用时 %s（%s 至 %s）\n", "took %s (%s to %s)\n"},
	SummaryResults:   {"结果文件：%s\n", "results: %s\n"},
	InterruptedTwice: {"qccbatch：连续两次中断：立即退出；状态文件一致，重新运行同一命令即可继续", "qccbatch: interrupted twice: exiting now; the state file is consistent, rerun the same command to resume"},

	StatusState:        {"状态文件：\t%s\n", "state file:\t%s\n"},
	StatusCompanies:    {"企业数：\t%d\n", "companies:\t%d\n"},
	StatusFormats:      {"报告格式：\t%s\n", "formats:\t%s\n"},
	StatusOrdersPlaced: {"已下单数：\t%d\n", "orders placed:\t%d\n"},
	StatusOldest:       {"最早报告：\t%s\n", "oldest report:\t%s\n"},
	StatusNewest:       {"最新报告：\t%s\n", "newest report:\t%s\n"},
	StatusOutcomes:     {"处理结果：\n", "outcomes:\n"},
	StatusNoReport:     {"（无）", "none"},
	ResolveWould:       {"%s：将变为 %s（%s）\n", "%s: would become %s (%s)\n"},
	ResolveDid:         {"%s：已变为 %s（%s）\n", "%s: became %s (%s)\n"},
	ResolvePending:     {"处理中，订单号 %s", "pending with order %s"},
	ResolveNotOrdered:  {"未下单", "not_ordered"},
	ResolveUnknown:     {"不在状态文件中，未添加：订单 %s，企业 %s（第 %d 行）\n", "not in the state file, not added: order %s for %s (row %d)\n"},
	ResolveWouldTotals: {"可登记 %d 家，之后仍不确定 %d 家，另有 %d 个订单属于状态文件中没有的企业\n", "%d would be resolved, %d would stay uncertain, %d orders for companies the state file does not know\n"},
	ResolveTotals:      {"已登记 %d 家，仍不确定 %d 家，另有 %d 个订单属于状态文件中没有的企业\n", "%d resolved, %d still uncertain, %d orders for companies the state file does not know\n"},
	ResolveDryRun:      {"未做任何更改：加 --apply 重新运行即可登记\n", "nothing changed: rerun with --apply to record these\n"},
	RepairNoDamage:     {"%s：未发现损坏；无需操作\n", "%s: no damage found; nothing to do\n"},
	RepairWouldKeep:    {"%s：将保留 %d 条记录\n", "%s: would keep %d records\n"},
	RepairKept:         {"%s：已保留 %d 条记录\n", "%s: kept %d records\n"},
	RepairDropped:      {"  第 %d 行已丢弃：%s%s\n", "  line %d dropped: %s%s\n"},
	RepairCompany:      {"（企业 %s）", " (company %s)"},
	RepairUncertain:    {"  %d 家企业标为结果不确定（历史不完整；绝不自动重新下单）：\n", "  %d companies marked uncertain (history incomplete; never re-ordered by themselves):\n"},
	RepairUnattributed: {"  %d 行被丢弃的记录无法对应到企业：可能缺少订单；请与企查查订单列表核对\n", "  %d dropped lines name no company: an order may be missing; compare with Qichacha's order list\n"},
	RepairDryRun:       {"未做任何更改：加 --apply 重新运行即可修复\n", "nothing changed: rerun with --apply to repair\n"},
	RepairBackup:       {"损坏的文件已保留为 %s\n", "the damaged file is kept as %s\n"},
	LedgerWrote:        {"已写入 %s：%d 个下单请求\n", "wrote %s: %d order requests\n"},
	LedgerKilled:       {"被终止", "killed"},
	ExportWrote:        {"已写入 %s：%d 行，%d 家企业\n", "wrote %s: %d rows, %d companies\n"},
	ExportWarning:      {"qccbatch：警告：", "qccbatch: warning: "},

	ColSearchKey:    {"查询关键字", "search_key"},
	ColOutcome:      {"处理结果", "outcome"},
	ColCode:         {"状态码", "code"},
	ColMessage:      {"说明", "message"},
	ColOrderNo:      {"订单号", "order_no"},
	ColReportStatus: {"报告状态", "report_status"},
	ColReportURL:    {"报告地址", "report_url"},
	ColFile:         {"本地文件", "file"},
	ColOrderedAt:    {"下单时间", "ordered_at"},
	ColCompletedAt:  {"完成时间", "completed_at"},
	ResTitle:        {"qccbatch 结果", "qccbatch results"},
	StatusN:         {"N 未生成", "N not generated yet"},
	StatusS:         {"S 生成成功", "S generated"},
	StatusF:         {"F 生成失败", "F generation failed"},
	StatusP:         {"P 正在处理中", "P processing"},

	ResInput:         {"输入文件", "input"},
	ResState:         {"状态文件", "state file"},
	ResStart:         {"开始时间", "run start"},
	ResEnd:           {"结束时间", "run end"},
	ResVersion:       {"程序版本", "program version"},
	ResRows:          {"行数", "rows"},
	ResCompanies:     {"企业数（去重）", "unique companies"},
	ResNewOrders:     {"本次新下单", "new orders this run"},
	ResPrice:         {"报告单价（元）", "price per report (CNY)"},
	ResSpend:         {"本次费用（元）", "spend this run (CNY)"},
	ResAPICalls:      {"API 调用次数", "API calls"},
	ResCallsPerOrder: {"每家新下单企业的 API 调用次数", "API calls per company ordered"},
	ResPollsPending:  {"查询时报告仍在处理中（P）的次数", "polls that found the report still processing (P)"},
	ResFormats:       {"报告格式（企业数）", "report formats (companies)"},
	ResStopReason:    {"提前停止的原因", "why the run stopped early"},
	ResNeedsAction:   {"需要处理", "needs action"},
	ResRowsCol:       {"行数", "rows"},
	ResWhatToDo:      {"怎么做", "what to do"},
	ResCounts:        {"处理结果", "outcome"},
	ResCount:         {"行数", "rows"},
	ResLegend:        {"图例", "legend"},
	ResMeaning:       {"含义", "meaning"},
	ResOnRerun:       {"再次运行同一命令时", "when you run the same command again"},

	ActUncertain: {"可能已下单并扣费：请在企查查订单列表中查找这些企业，再用 qccbatch resolve 登记结果（只有 --reorder-uncertain 会重新下单）", "an order may have been placed and paid: look these companies up in Qichacha's order list, then record what you find with qccbatch resolve (only --reorder-uncertain orders them again)"},
	ActFailed:    {"报告生成失败：加 --reorder-failed 重新运行（每家企业每次运行最多再下单一次）", "report generation failed: rerun with --reorder-failed (at most one new order per company per run)"},
	ActCorrect:   {"核对或更正企业名称、统一社会信用代码（见“说明”列），然后重新运行", "check or correct the company name or credit code (see the message column), then rerun"},
	ActResume:    {"尚未完成：重新运行同一命令即可继续", "not finished: rerun the same command to resume"},

	MeanReady:       {"报告已生成，地址见“报告地址”列", "report generated; its address is in report_url"},
	MeanInvalid:     {"本地校验未通过：未下单，未产生费用", "rejected locally: nothing ordered, nothing spent"},
	MeanNotFound:    {"接口未查到该企业（201）", "the API found no such company (201)"},
	MeanRejected:    {"接口不支持该企业（见状态码和说明）", "the API does not serve this company (see code and message)"},
	MeanFailed:      {"报告生成失败（F）", "report generation failed (F)"},
	MeanUncertain:   {"可能已下单，但未收到应答", "an order may have been placed, but no answer came"},
	MeanPending:     {"已下单，运行结束时尚未完成", "ordered, not finished when the run stopped"},
	MeanNotOrdered:  {"尚未下单（提前停止、下单上限或冷却期）", "not ordered yet (stopped early, order cap, cooldown)"},
	RerunReady:      {"保留，不再下单（--refresh-after 会为早于该期限的报告重新下单）", "kept, not ordered again (--refresh-after orders reports older than it again)"},
	RerunInvalid:    {"不下单；更正后的标识会下单", "not ordered; a corrected identifier is ordered"},
	RerunNotFound:   {"不再下单；更正后的标识会下单", "not ordered again; a corrected identifier is ordered"},
	RerunRejected:   {"不再下单；更正后的标识会下单", "not ordered again; a corrected identifier is ordered"},
	RerunFailed:     {"不再下单，除非加 --reorder-failed", "not ordered again, unless --reorder-failed"},
	RerunUncertain:  {"绝不自动重新下单：用 qccbatch resolve 登记，或加 --reorder-uncertain", "never ordered again by itself: settle it with qccbatch resolve, or --reorder-uncertain"},
	RerunPending:    {"继续查询，直到报告生成（或超过 --timeout）", "polled until the report is ready (or --timeout)"},
	RerunNotOrdered: {"下单", "ordered"},

	ReasonEmpty:               {"空", "empty"},
	ReasonChecksum:            {"校验位错误", "wrong check character"},
	ReasonSocialOrg:           {"暂不支持社会组织", "social organisation (not supported)"},
	ReasonPrecision:           {"数字精度已丢失", "precision lost"},
	ReasonBadChar:             {"含非法字符", "invalid character"},
	ReasonLength:              {"位数错误", "wrong length"},
	ReasonNameTooShort:        {"名称过短", "name too short"},
	ReasonNameTooLong:         {"名称过长", "name too long"},
	ReasonGarbled:             {"乱码", "garbled text"},
	ReasonNumber:              {"数字不是代码", "number, not a code"},
	ReasonFormulaError:        {"公式错误", "formula error"},
	ReasonNotID:               {"不是代码或名称", "not a code or a name"},
	ReasonTotalsRow:           {"不是企业：合计行", "not a company: totals row"},
	ReasonNotesRow:            {"不是企业：备注行", "not a company: notes row"},
	ReasonFormulaUncalculated: {"公式未计算", "formula never calculated"},
	ReasonStoredAsNumber:      {"代码存为数字", "code stored as a number"},
	ReasonRegNoCheck:          {"注册号校验位不符", "registration number check digit"},
	ReasonChecksumAllowed:     {"校验位不符（已放行）", "wrong check character (allowed)"},

	IDFormulaUncalculated:   {"公式未计算：文件中没有该公式的计算结果，请在 Excel 或 WPS 中打开并保存该文件", "formula never calculated: the file holds no result for this formula; open and save the file in Excel or WPS"},
	IDEmpty:                 {"标识为空：请填写统一社会信用代码或企业名称", "empty: fill in the unified social credit code or the company name"},
	IDGarbled:               {"含无法识别的字符（乱码）：请检查文件编码，或用 --encoding 指定", "unreadable characters (garbled text): check the file's encoding, or name it with --encoding"},
	IDFormulaError:          {"单元格是公式错误 %s（如 VLOOKUP 未找到）：请修正公式或填入代码、名称", "the cell is the formula error %s (e.g. a VLOOKUP that found nothing): fix the formula or fill in the code or name"},
	IDBool:                  {"单元格是逻辑值 %s，不是代码或名称：请填写统一社会信用代码或企业名称", "the cell is the logical value %s, not a code or a name: fill in the unified social credit code or the company name"},
	IDTotalsRow:             {"不是企业：合计行（%s）", "not a company: totals row (%s)"},
	IDNotesRow:              {"不是企业：备注行（%s）", "not a company: notes row (%s)"},
	IDPrecision:             {"数字精度已丢失：请将该列设为文本（Excel 只保留15位有效数字，后几位已变为0），重新填写完整代码", "precision lost: the number kept only 15 significant digits (the last ones became 0); format the column as text and enter the full code again"},
	IDNumber:                {"数字 %s 不是代码：应为18位统一社会信用代码或15位注册号，请将该列设为文本后填写", "the number %s is not a code (an 18-character credit code or a 15-digit registration number): format the column as text and enter it"},
	IDStoredAsNumber:        {"代码存为数字：文件中的 %d 位数字完整（%s%s），但 Excel、WPS 只保留15位有效数字，打开后会显示为科学计数法、保存后末几位变为0；请将该列设为文本后填写代码", "code stored as a number: the %d digits in the file are intact (%s%s), but Excel and WPS keep 15 significant digits, show it in scientific notation and save it with the last digits as 0; format the column as text and enter the code"},
	IDStoredAsNumberCheckOK: {"，校验位正确", ", its check digit is right"},
	IDRegNoCheck:            {"注册号校验位不符（按 GS15-2006 第15位应为 %c），仍按原样查询；请核对", "registration number check digit does not match (GS15-2006 gives %c as the 15th digit); searched as written, please check"},
	IDLength:                {"位数错误：%s 有 %d 位，统一社会信用代码应为18位、注册号应为15位数字；请核对", "wrong length: %s has %d characters; a unified social credit code has 18, a registration number 15 digits; please check"},
	IDBadChar:               {"含非法字符：第%d位 %c 不在统一社会信用代码字符集中（不使用 I、O、S、V、Z）%s；请核对", "invalid character: character %d, %c, is not used in credit codes (no I, O, S, V, Z)%s; please check"},
	IDBadCharO:              {"（是否应为数字0？）", " (the digit 0?)"},
	IDBadCharI:              {"（是否应为数字1？）", " (the digit 1?)"},
	IDSocialOrg:             {"暂不支持社会组织：以5开头的代码由民政部门登记（社会团体、基金会、民办非企业单位），基础身份报告不覆盖", "social organisations are not supported: a code starting with 5 is registered by civil affairs (associations, foundations, private non-enterprise units), which the report does not cover"},
	IDChecksumAllowed:       {"校验位不符：第18位按 GB 32100-2015 应为 %c，实为 %c；因 --allow-bad-checksum 仍下单", "check character does not match: GB 32100-2015 gives %c as the 18th, the code has %c; ordered because of --allow-bad-checksum"},
	IDChecksum:              {"校验位错误：第18位按 GB 32100-2015 应为 %c，实为 %c；请核对代码（个别早期试点代码确实不符，可用 --allow-bad-checksum 下单）", "wrong check character: GB 32100-2015 gives %c as the 18th, the code has %c; check the code (a few early pilot codes genuinely fail: --allow-bad-checksum orders them)"},
	IDNameTooShort:          {"名称过短：%q 不足2个字符；请填写企业全称或统一社会信用代码", "name too short: %q has fewer than 2 characters; fill in the full company name or the credit code"},
	IDNameTooLong:           {"名称过长：%d 个字符（最多 %d）；请检查是否多列合并到了一格", "name too long: %d characters (at most %d); were several columns merged into one cell?"},
	IDNameControl:           {"名称含控制字符（换行、制表符等）：请只保留企业名称", "the name holds control characters (line breaks, tabs …): keep only the company name"},
	IDNotID:                 {"%q 不是代码或名称（占位符或只有数字、符号）：请填写统一社会信用代码或企业全称", "%q is not a code or a name (a placeholder, or only digits and symbols): fill in the credit code or the full company name"},
}
