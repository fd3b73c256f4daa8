package msg

// Messages of rows hidden in a workbook (a filter, or rows hidden by hand).
const (
	// ReasonHiddenRow is the short reason of a row hidden in the workbook.
	ReasonHiddenRow ID = 47000 + iota
	// RowHidden is its row message.
	RowHidden
)

var hiddenTable = map[ID][2]string{
	ReasonHiddenRow: {"工作表中被隐藏或筛选掉的行（仍会下单）", "rows hidden or filtered out in the workbook (ordered too)"},
	RowHidden: {"此行在工作表中被隐藏或被筛选掉，但仍会下单：只想为筛选出的行下单，请把它们复制到新工作表",
		"this row is hidden or filtered out in the workbook and is ordered all the same: to order only the rows a filter shows, copy them to a new sheet"},
}

func init() {
	for id, m := range hiddenTable {
		table[id] = m
	}
}
