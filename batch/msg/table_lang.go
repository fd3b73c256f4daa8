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
)

var langTable = map[ID][2]string{
	RepairedUncertain: {"此公司的一条损坏记录已被 `qccbatch repair` 删除：可能已下单；请在企查查订单列表中查找，然后运行 `qccbatch resolve`",
		"a damaged record of this company was dropped by `qccbatch repair`: an order may have been placed; look it up in Qichacha's order list, then `qccbatch resolve`"},
	UnknownOrderNo: {"订单 %s 的查询返回 %s（%s）：API 不认识此订单号",
		"polls of order %s answer %s (%s): the API does not know the order number"},
}

func init() {
	for id, m := range langTable {
		table[id] = m
	}
}
