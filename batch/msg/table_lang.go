package msg

// Messages of the state file's notes that had no catalogue id (issue 19,
// item 2): the state file keeps them as an id and arguments, rendered
// where they are shown.
const (
	// RepairedUncertain is the note of a company that qccbatch repair
	// marked uncertain: a record of it was damaged.
	RepairedUncertain ID = 31000 + iota
	// UnknownOrderNo is why a company whose polls the API answers 201 is
	// uncertain: its order number, the code and the API's message.
	UnknownOrderNo
	// ResolveInList is why a resolution records an order: the vendor's
	// order list has it, at a row.
	ResolveInList
	// ResolveAbsent is why a resolution records no order: the list covers
	// the request and does not have it.
	ResolveAbsent
	// ResolveNewInList is an order of the list the state file did not know.
	ResolveNewInList
	// ResolveByHand is a resolution given on the command line.
	ResolveByHand
	// ResolveByHandUndo is one that undoes the resolution that recorded an
	// order.
	ResolveByHandUndo
)

var langTable = map[ID][2]string{
	RepairedUncertain: {"此公司的一条损坏记录已被 `qccbatch repair` 删除：可能已下单；请在企查查订单列表中查找，然后运行 `qccbatch resolve`",
		"a damaged record of this company was dropped by `qccbatch repair`: an order may have been placed; look it up in Qichacha's order list, then `qccbatch resolve`"},
	UnknownOrderNo: {"订单 %s 的查询返回 %s（%s）：API 不认识此订单号",
		"polls of order %s answer %s (%s): the API does not know the order number"},
	ResolveInList:     {"在订单列表中（第 %d 行）", "in the order list (row %d)"},
	ResolveAbsent:     {"不在订单列表中，而列表涵盖其下单请求的时间", "absent from the order list, which covers its request"},
	ResolveNewInList:  {"列表中有一个状态文件不知道的订单（第 %d 行）", "an order in the list the state file did not know (row %d)"},
	ResolveByHand:     {"手动指定", "by hand"},
	ResolveByHandUndo: {"手动指定：撤销记录了订单 %s 的那次处理", "by hand: undoes the resolution that recorded order %s"},
}

func init() {
	for id, m := range langTable {
		table[id] = m
	}
}
