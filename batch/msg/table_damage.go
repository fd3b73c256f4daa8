package msg

// Messages of damage, repair and the fallback file (issue 18, item 5 and 6).
const (
	// JReasonZeroedEnd is why zero bytes at the end of a cleanly closed
	// state file are damage, not a torn tail.
	JReasonZeroedEnd ID = 22000 + iota
	// JFallbackCorrupt refuses a damaged line of the fallback file.
	JFallbackCorrupt
	// RepairLost says that complete records were lost.
	RepairLost
	// RepairFallback says what Repair did with the fallback file.
	RepairFallback
	// RepairLeftover says that Repair recovered a crashed repair's leftovers.
	RepairLeftover
	// StopDamage is why a run placed no new order.
	StopDamage
	// StatusDamaged warns that status shows only what it could read.
	StatusDamaged
	// StatusDamagePending shows a damage no resolution has settled.
	StatusDamagePending
	// ResolveDamageCleared says a resolution settled the damage.
	ResolveDamageCleared
	// ResolveDamageAdded is an order of the list recorded for a company the
	// damaged state file no longer knows.
	ResolveDamageAdded
	// RowDamageHeld is the row message of a company not ordered because of
	// the damage.
	RowDamageHeld
)

var damageTable = map[ID][2]string{
	JReasonZeroedEnd: {"文件末尾是零字节，而上次使用已正常关闭：这是被清零的完整记录，不是写了一半的记录",
		"zero bytes at the end of a file that was closed cleanly: a zeroed block of complete records, not a torn tail"},
	JFallbackCorrupt: {"订单补存文件 %s：第 %d 行已损坏（%s）；文件保持原样。请运行 `qccbatch repair %s`",
		"fallback file %s: damaged line %d (%s); the file is kept as it is. Run `qccbatch repair %s`"},
	RepairLost: {"  丢失了完整的记录（%d 处）：状态文件不再显示的企业可能已下单。在用企查查订单列表核对之前不会下新订单：`qccbatch resolve --orders LIST --apply %s`\n",
		"  complete records were lost (%d places): companies the state file no longer shows may have been ordered. No new order is placed until Qichacha's order list is reconciled: `qccbatch resolve --orders LIST --apply %s`\n"},
	RepairFallback: {"  已合并 %d 个订单号（来自 %s）；该文件已保留为 %s\n",
		"  merged %d order numbers from %s; that file is kept as %s\n"},
	RepairLeftover: {"  已清理上次中断的修复留下的文件：%s\n", "  cleaned up what an interrupted repair left: %s\n"},
	StopDamage: {"状态文件丢失了记录（%s 由 qccbatch repair 发现）：%d 个新订单暂不下单，直到用企查查订单列表核对：`qccbatch resolve --orders LIST --apply %s`",
		"the state file lost records (found by qccbatch repair at %s): %d new orders wait until Qichacha's order list is reconciled: `qccbatch resolve --orders LIST --apply %s`"},
	StatusDamaged: {"警告：状态文件已损坏（无法读取的行：%s）；以下只是能读出的部分。请运行 `qccbatch repair %s`\n",
		"warning: the state file is damaged (lines that cannot be read: %s); below is what can be read. Run `qccbatch repair %s`\n"},
	StatusDamagePending: {"丢失记录：\t%s 修复时发现；新订单等待 `qccbatch resolve --orders LIST --apply %s`\n",
		"records lost:\tfound by the repair at %s; new orders wait for `qccbatch resolve --orders LIST --apply %s`\n"},
	ResolveDamageCleared: {"状态文件的记录丢失（%s 修复时发现）已用订单列表核对：可以再下新订单\n",
		"the state file's lost records (found by the repair at %s) are reconciled with the order list: new orders may be placed again\n"},
	ResolveDamageAdded: {"订单列表中的订单，属于损坏的状态文件不再知道的企业（第 %d 行）", "an order of the list for a company the damaged state file no longer knows (row %d)"},
	RowDamageHeld:      {"状态文件丢失了记录，新订单等待 qccbatch resolve 核对订单列表", "the state file lost records; new orders wait for qccbatch resolve to reconcile the order list"},
}

func init() {
	for id, m := range damageTable {
		table[id] = m
	}
}
