package msg

// Messages of the command-line review (branch rv-cli), numbered from their
// own base so that parallel additions to table.go's block never collide;
// init adds them to table.
const (
	// CLILedgerRunsFlag refuses a ledger flag that selects or writes
	// orders (%s: -o, --since or --until) together with --runs, which
	// lists runs on standard output.
	CLILedgerRunsFlag ID = 46000 + iota
)

// rvcliTable holds the texts of this block as [zh, en].
var rvcliTable = map[ID][2]string{
	CLILedgerRunsFlag: {"ledger --runs 不接受 %s：--runs 把运行记录列在标准输出上（加 --json 为 JSON）；%s 只用于订单台账（不加 --runs）",
		"ledger --runs does not take %s: --runs lists the runs on standard output (--json for JSON); %s is for the ledger of orders (without --runs)"},
}

func init() {
	for id, m := range rvcliTable {
		table[id] = m
	}
}
