package batch

import (
	"os"
	"os/user"
	"path/filepath"
	"strings"

	"github.com/qccbatch/qccbatch/batch/internal/fsutil"
	"github.com/qccbatch/qccbatch/batch/journal"
	"github.com/qccbatch/qccbatch/batch/msg"
)

// tooManyRows refuses results in .xlsx for more rows than a worksheet
// holds, naming the .csv to write instead.
func tooManyRows(cfg Config, p *Portfolio) error {
	if p.Rows > maxXLSXRows && strings.EqualFold(filepath.Ext(cfg.Output), ".xlsx") {
		return configErrorf(msg.CfgTooManyRows,
			cfg.Input, p.Rows, maxXLSXRows, strings.TrimSuffix(cfg.Output, filepath.Ext(cfg.Output))+".csv")
	}
	return nil
}

// checkFreeSpace refuses to start a run with less than minFreeSpace
// free beside the state file: an order the API accepts must be recordable.
// Where the free space cannot be read, the run goes on.
func checkFreeSpace(state string) error {
	target, err := fsutil.Resolve(state)
	if err != nil {
		return nil // the journal reports an unusable path itself
	}
	free, err := fsutil.FreeSpace(filepath.Dir(target))
	if err != nil || free >= minFreeSpace {
		return nil
	}
	return &journal.FileError{Path: state, Err: msg.Errorf(msg.JLowSpace, free>>10, minFreeSpace>>20)}
}

// runInfo is the start record of this run in the state file.
func (r *runner) runInfo() journal.RunInfo {
	host, _ := os.Hostname()
	sum, _ := fileSHA256(r.cfg.Input)
	return journal.RunInfo{
		Started: r.cfg.Now(), Version: r.cfg.Version, Host: host, User: osUser(), PID: os.Getpid(),
		Input: r.cfg.Input, InputSHA256: sum, Flags: r.cfg.Flags,
	}
}

// runEnd is the end record of this run: how it ended, per company.
func (r *runner) runEnd(rep *RunSummary, end error) journal.RunEnd {
	var stop Stop // 0: complete
	if end != nil {
		stop = -1 // not a StopError: not reached, every end is one
		if se, ok := end.(*StopError); ok {
			stop = se.Stop
		}
	}
	exit, ok := r.cfg.ExitCodes[stop]
	if !ok {
		exit = -1
	}
	e := journal.RunEnd{Ended: r.cfg.Now(), NewOrders: rep.NewOrders, Counts: r.companyCounts, Exit: exit}
	if end != nil {
		e.Reason, e.ReasonEn = msg.Render(end, "zh"), msg.Render(end, "en")
	}
	return e
}

// osUser names the operating-system user running the program, for the
// record of who placed the orders.
func osUser() string {
	if u, err := user.Current(); err == nil && u.Username != "" {
		return u.Username
	}
	for _, v := range []string{"USER", "USERNAME", "LOGNAME"} {
		if s := os.Getenv(v); s != "" {
			return s
		}
	}
	return ""
}
