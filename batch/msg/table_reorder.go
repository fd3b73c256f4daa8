package msg

// Messages of --reorder-failed within the orders a person confirmed.
const (
	// RowReorderBeyondConfirmed is the row message of a failed report a
	// poll found whose re-order would pass the new orders confirmed.
	RowReorderBeyondConfirmed ID = 43000 + iota
	// StopReorderBeyondConfirmed is why such a run is incomplete: rows,
	// the most new orders it may place without asking again.
	StopReorderBeyondConfirmed
)

var reorderTable = map[ID][2]string{
	RowReorderBeyondConfirmed: {"报告生成失败；本次未重新下单（--reorder-failed）：会超出未经再次确认可下的订单数。下次运行会先询问再重新下单",
		"the report failed; not re-ordered in this run (--reorder-failed): that would pass the orders this run may place without asking again. The next run asks before it re-orders"},
	StopReorderBeyondConfirmed: {"%d 份失败的报告未重新下单：本次运行未经再次确认最多下 %d 份订单；再次运行即可重新下单（会先询问）",
		"%d failed reports not re-ordered: this run may place at most %d new orders without asking again; run again to re-order them (it asks first)"},
}

func init() {
	for id, m := range reorderTable {
		table[id] = m
	}
}
