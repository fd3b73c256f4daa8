package msg

// Messages of the state file's binding to an API key and endpoint and of a
// second ledger beside the input's own (issue 18, items 1, 3 and 4). They
// live in their own numbered block so that parallel work on the catalogue
// does not collide; init adds them to table.
const (
	// KBAccountKey refuses a state file whose orders belong to another
	// API key: path, the file's key fingerprint, the run's.
	KBAccountKey ID = 20000 + iota
	// KBAccountEndpoint refuses another API host of the same key, naming
	// --new-endpoint: path, the file's endpoint, the run's.
	KBAccountEndpoint
	// KBAccountSandbox refuses a sandbox ledger for a real run, or the
	// reverse: path, the file's endpoint, the run's.
	KBAccountSandbox
	// KBLedgerBeside refuses run --state NEW beside a ledger of the same
	// key: the ledger, its orders, the new state file, the ledger again.
	KBLedgerBeside
	// KBDryLedgerBeside is the dry run's note of the same: the ledger, its
	// orders, the new state file.
	KBDryLedgerBeside
	// KBDryLedgerBesideNew is the dry run's note with --new-ledger.
	KBDryLedgerBesideNew
)

var keybindTable = map[ID][2]string{
	KBAccountKey: {"状态文件 %s 属于另一个 API key（指纹 %s；本次运行的 key 指纹为 %s），其中的订单由那个账户付费：请用那个 key 运行（QCC_KEY 或 --key-file）",
		"state file %s belongs to another API key (fingerprint %s; this run's key has %s), and its orders were paid by that account: run it with that key (QCC_KEY or --key-file)"},
	KBAccountEndpoint: {"状态文件 %s 属于 %s，而不是 %s（同一个 API key）：如果 API 地址确实已变更（新的代理或主机名），请加上 --new-endpoint 再运行：账本将改绑到新地址，本次运行的记录会记下这一变更",
		"state file %s belongs to %s, not %s (the same API key): if the API has moved (a new proxy or host name), run again with --new-endpoint, which re-binds the ledger to the new endpoint and records the change in the run's record"},
	KBAccountSandbox: {"状态文件 %s 属于 %s，而不是 %s：沙盒账本不能代替真实订单，真实账本也不能用于沙盒试运行（默认情况下，真实账本为 INPUT.qccstate，--sandbox 试运行的账本为 INPUT.sandbox.qccstate）",
		"state file %s belongs to %s, not %s: a sandbox ledger never stands in for real orders, nor a real ledger for a sandbox trial (by default the real ledger is INPUT.qccstate and a --sandbox trial's INPUT.sandbox.qccstate)"},
	KBLedgerBeside: {"输入文件旁的状态文件 %s 已有本 API key 的 %d 个订单：新账本（--state %s）会再次为这些企业下单并付费。要续用那个账本，请使用 --state %s；确需第二个账本，请加 --new-ledger",
		"state file %s beside the input already holds %d orders of this API key: a new ledger (--state %s) would order those companies again and pay again. To resume that ledger, use --state %s; to keep a second ledger anyway, add --new-ledger"},
	KBDryLedgerBeside: {"注意：输入文件旁的状态文件 %s 已有本 API key 的 %d 个订单；使用 --state %s 的运行将被拒绝，除非加上 --new-ledger（否则会再次为这些企业下单）\n",
		"note: state file %s beside the input holds %d orders of this API key; a run with --state %s is refused without --new-ledger (it would order those companies again)\n"},
	KBDryLedgerBesideNew: {"注意：输入文件旁的状态文件 %s 已有本 API key 的 %d 个订单；加了 --new-ledger，--state %s 是第二个账本：以上计划会再次为这些企业下单\n",
		"note: state file %s beside the input holds %d orders of this API key; with --new-ledger, --state %s is a second ledger: the plan above orders those companies again\n"},
}

func init() {
	for id, m := range keybindTable {
		table[id] = m
	}
}
