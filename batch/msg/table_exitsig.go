package msg

// Messages of issue 18 (exit codes, signals, counts of possibly charged
// requests, missing credentials), numbered from their own base so that
// parallel additions to table.go's block never collide; init adds them to
// table.
const (
	// SummaryPossiblyCharged is the human summary's line of the requests
	// that got no usable answer.
	SummaryPossiblyCharged ID = 21000 + iota
	// ResPossiblyCharged labels the Summary sheet's count of them.
	ResPossiblyCharged
	// StopInterruptedAtPrompt ends a run interrupted at the confirmation
	// prompt, before any order.
	StopInterruptedAtPrompt
	// CredNeither, CredNoKey and CredNoSecret say which credential is
	// missing from the environment; CredHowTo, how to set it (%s is the
	// variable's name).
	CredNeither
	CredNoKey
	CredNoSecret
	CredHowTo
	// exitsigEnd is one past the last ID of this block; not a message.
	exitsigEnd
)

// exitsigTable holds the texts of this block as [zh, en].
var exitsigTable = map[ID][2]string{
	SummaryPossiblyCharged: {"可能已扣费：%d 个下单请求未得到可用应答（结果不确定：请在企查查订单列表中查找，然后运行 qccbatch resolve）\n",
		"possibly charged: %d order requests got no usable answer (uncertain: look them up in Qichacha's order list, then qccbatch resolve)\n"},
	ResPossiblyCharged:      {"可能已扣费（未得到可用应答的下单请求）", "possibly charged (order requests without a usable answer)"},
	StopInterruptedAtPrompt: {"在确认下单时中断：未下单", "interrupted at the confirmation: nothing was ordered"},
	CredNeither:             {"QCC_KEY 和 QCC_SECRET_KEY 均未设置：请在环境变量中设置两者 %s", "QCC_KEY and QCC_SECRET_KEY are not set: set both in the environment %s"},
	CredNoKey:               {"QCC_KEY 未设置（QCC_SECRET_KEY 已设置）：请在环境变量中设置它 %s", "QCC_KEY is not set (QCC_SECRET_KEY is): set it in the environment %s"},
	CredNoSecret:            {"QCC_SECRET_KEY 未设置（QCC_KEY 已设置）：请在环境变量中设置它 %s", "QCC_SECRET_KEY is not set (QCC_KEY is): set it in the environment %s"},
	CredHowTo: {`（shell：export %[1]s=...，用 . 或 source 读入的文件中也要写 export；PowerShell：$env:%[1]s = "..."），或使用 --key-file FILE，或用 --sandbox 免凭据试用`,
		`(shell: export %[1]s=..., with export in a file read with . or source too; PowerShell: $env:%[1]s = "..."), or use --key-file FILE, or --sandbox to try without credentials`},
}

func init() {
	for id, m := range exitsigTable {
		table[id] = m
	}
}
