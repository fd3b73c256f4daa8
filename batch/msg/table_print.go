package msg

// Messages of printable results and separate row and company counts
// (issue 20, item 3).
const (
	// ColRow is the header of the results column holding the input's sheet
	// row, as validate names it.
	ColRow ID = 37000 + iota
	// ResTitleLines labels the input's title lines (the rows above its
	// header) on the Summary sheet.
	ResTitleLines
	// ResToOrder labels the companies the run planned to order.
	ResToOrder
	// ResOrdersNote explains planned orders against new orders.
	ResOrdersNote
	// ResCompaniesCol heads the companies column of the Summary's counts.
	ResCompaniesCol
	// SummaryCountItem is one outcome's rows and companies.
	SummaryCountItem
	// SummaryCountRows is one outcome's rows, when it names no company.
	SummaryCountRows
	// SummaryPlanned says how many companies were planned for ordering
	// when not all of them were ordered.
	SummaryPlanned
	// PlanToOrderNote tells, in the dry-run plan, that a run's summary
	// counts the orders placed, which can be fewer.
	PlanToOrderNote
)

var printTable = map[ID][2]string{
	ColRow:           {"原行号", "row"},
	ResTitleLines:    {"输入文件标题", "input title lines"},
	ResToOrder:       {"计划下单（企业）", "planned orders (companies)"},
	ResOrdersNote:    {"计划下单：开始时尚无可用报告、本次要下单的企业数（运行日志和计划中的“待下单”）；本次新下单：实际下单的企业数。差额是因 --max-orders、停止或冷却而未下单的企业（“未下单”），重新运行同一命令即可继续", "planned orders: the companies without a usable report that this run set out to order (the log's and the plan's \"to order\"); new orders this run: the companies actually ordered. The difference is the companies left not ordered by --max-orders, a stop or a cooldown (not_ordered); rerun the same command to resume"},
	ResCompaniesCol:  {"企业", "companies"},
	SummaryCountItem: {"%s %d 行（%d 家）", "%s %d rows (%d companies)"},
	SummaryCountRows: {"%s %d 行", "%s %d rows"},
	SummaryPlanned:   {"计划下单 %d 家，本次新下单 %d 家；其余 %d 家未下单，重新运行同一命令即可继续\n", "planned orders %d companies, new orders %d; the other %d were not ordered, rerun the same command to resume\n"},
	PlanToOrderNote:  {"（本次新下单按企业计；运行汇总中的“新下单”是实际下出的订单，--max-orders 或停止时会少于此数）\n", "(new orders count companies; a run's summary counts the orders actually placed, fewer when --max-orders or a stop ends it early)\n"},
}

func init() {
	for id, m := range printTable {
		table[id] = m
	}
}
