package msg

// The messages of `qccbatch resolve`'s checks of an order list and of an
// order number given by hand (issue 18, item 7): refusals that stop the
// command with exit 2 and change nothing. They have their own block of
// IDs so that they do not shift the IDs of table.go.
const (
	// CfgOrdersMissing: --absent-not-ordered with a list that lacks
	// orders of the state file within its span.
	CfgOrdersMissing ID = 23000 + iota
	// CfgOrdersMissingItem is one missing order: its number and company.
	CfgOrdersMissingItem
	// CfgOrdersMore ends a list cut short: how many more.
	CfgOrdersMore
	// CfgOrdersSameNo: one order number on lines of two companies.
	CfgOrdersSameNo
	// CfgOrdersSameNoItem is one such number with its lines.
	CfgOrdersSameNoItem
	// CfgOrdersOtherCompany: a list line gives a number the state file has
	// for another company.
	CfgOrdersOtherCompany
	// CfgOrdersOtherCompanyItem is one such line.
	CfgOrdersOtherCompanyItem
	// CfgOrdersFuture: list times after now.
	CfgOrdersFuture
	// CfgOrdersBeforeLedger: list times before the state file began.
	CfgOrdersBeforeLedger
	// CfgOrdersTimeItem is one line and its time.
	CfgOrdersTimeItem
	// CfgOrdersTZ: an unusable --orders-tz.
	CfgOrdersTZ
	// CfgResolveOtherCompany: --order-no of another company.
	CfgResolveOtherCompany
	// CfgResolveOlderOrder: --order-no of an earlier order of the company.
	CfgResolveOlderOrder
	// CfgResolveAPIUnknown: the API does not know --order-no.
	CfgResolveAPIUnknown
	// CfgResolveAPICheck: --order-no could not be checked with the API.
	CfgResolveAPICheck
	// CfgResolveRefused: the state file refuses the resolution.
	CfgResolveRefused
)

// resolveTable holds the messages above, as [zh, en]; init adds them to
// table.
var resolveTable = map[ID][2]string{
	CfgOrdersMissing: {"--absent-not-ordered：订单列表不完整：状态文件中有 %d 个订单在列表的时间范围（%s 至 %s）内，却不在列表中（或在列表中属于另一家企业）：%s。请导出完整的订单列表（未做任何更改）",
		"--absent-not-ordered: the order list is not complete: %d orders of the state file within its span (%s to %s) are not in it under their company: %s. Export the whole order list (nothing changed)"},
	CfgOrdersMissingItem: {"订单 %s（%s）", "order %s (%s)"},
	CfgOrdersMore:        {"……另有 %d 个", "... and %d more"},
	CfgOrdersSameNo: {"订单列表中同一个订单号属于不同的企业：%s。请核对订单列表（未做任何更改）",
		"the order list gives one order number to two companies: %s. Check the order list (nothing changed)"},
	CfgOrdersSameNoItem: {"订单 %s 见第 %s 行", "order %s on rows %s"},
	CfgOrdersOtherCompany: {"订单列表中的订单号在状态文件中属于另一家企业：%s。请核对订单列表（未做任何更改）",
		"the order list gives order numbers that the state file has for other companies: %s. Check the order list (nothing changed)"},
	CfgOrdersOtherCompanyItem: {"第 %d 行订单 %s 为 %s，状态文件中为 %s", "row %d has order %s for %s, the state file has it for %s"},
	CfgOrdersFuture: {"订单列表中有晚于现在（%s）的下单时间：%s。时间是否属于另一个时区？可用 --orders-tz 指定（未做任何更改）",
		"the order list has order times later than now (%s): %s. Are its times in another time zone? Use --orders-tz (nothing changed)"},
	CfgOrdersBeforeLedger: {"订单列表中有早于状态文件开始（%s）的下单时间：%s。请导出从该日期起的订单列表，或用 --orders-tz 指定时区（未做任何更改）",
		"the order list has order times before the state file began (%s): %s. Export the order list from that date on, or give its time zone with --orders-tz (nothing changed)"},
	CfgOrdersTimeItem: {"第 %d 行 %s", "row %d %s"},
	CfgOrdersTZ: {"--orders-tz %q 无效：请使用 +08:00、UTC+8、UTC 或 Asia/Shanghai 这样的时区",
		"--orders-tz %q: not a time zone; use an offset such as +08:00 or UTC+8, UTC, or a name such as Asia/Shanghai"},
	CfgResolveOtherCompany: {"订单 %s 在状态文件中属于 %s，而不是 %s（未做任何更改）",
		"order %s belongs to %s in the state file, not to %s (nothing changed)"},
	CfgResolveOlderOrder: {"订单 %s 是 %s 较早的订单（%s），不是其当前的请求（未做任何更改）",
		"order %s is an earlier order of %s (%s), not its current request (nothing changed)"},
	CfgResolveAPIUnknown: {"API 不认识订单 %s（%s）：请在企查查订单列表中核对订单号（未做任何更改）",
		"the API does not know order %s (%s): check the number in Qichacha's order list (nothing changed)"},
	CfgResolveAPICheck: {"无法通过 API 核对订单 %s：%v（未做任何更改）",
		"could not check order %s with the API: %v (nothing changed)"},
	CfgResolveRefused: {"无法登记：%v（未做任何更改）", "cannot resolve: %v (nothing changed)"},
}

func init() {
	for id, m := range resolveTable {
		table[id] = m
	}
}
