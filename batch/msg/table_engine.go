package msg

// Messages of the engine's API (issue 19 item 3), numbered from their own
// base so that parallel additions to table.go's block never collide; init
// adds them to table.
const (
	// CfgPlanChanged refuses a start whose plan is not the one confirmed
	// (another run ordered in between): %d new orders now, %d confirmed.
	CfgPlanChanged ID = 30000 + iota
	// StopCancelled is the stop event of a run cancelled by its front end
	// (Ctrl-C): no new orders, requests in flight finish.
	StopCancelled
	// engineEnd is one past the last ID of this block; not a message.
	engineEnd
)

// engineTable holds the texts of this block as [zh, en].
var engineTable = map[ID][2]string{
	CfgPlanChanged: {"确认之后计划已变化：现在需新下单 %d 份，确认的是 %d 份；未下任何订单，请确认新的计划",
		"the plan changed since it was confirmed: %d new orders now, %d confirmed; nothing was ordered, confirm the new plan"},
	StopCancelled: {"已中断：不再下新订单，正在完成进行中的请求并写入结果",
		"interrupted: no new orders; finishing the requests in flight and writing the results"},
}

func init() {
	for id, m := range engineTable {
		table[id] = m
	}
}
