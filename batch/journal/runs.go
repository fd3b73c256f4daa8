package journal

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/qccbatch/qccbatch/batch/outcome"
)

// Runs on record: every run, resolution and repair writes a start record
// ("run") and an end record ("end") with the same id, so the state file is
// the audit trail of who did what with the account, and when. They are
// audit records: they change no company, and compaction copies them as they
// are. An intent records the id of the run in progress (Intent after
// StartRun), so every order request, and the order it led to, is
// attributed to its run even after compaction (see Orders).

// RunKind says what a RunRecord was.
type RunKind string

// Kinds of RunRecord.
const (
	KindRun     RunKind = "run"     // qccbatch run
	KindResolve RunKind = "resolve" // qccbatch resolve --apply (see Resolve)
	KindRepair  RunKind = "repair"  // qccbatch repair --apply (see Repair)
)

func validKind(k RunKind) bool { return k == KindRun || k == KindResolve || k == KindRepair }

// RunInfo describes a run as it starts.
type RunInfo struct {
	Kind    RunKind   // [KindRun]
	Started time.Time // [now]
	Version string    // qccbatch version
	Host    string    // host name
	User    string    // OS user
	PID     int       // process id
	// Input is the input file (for a resolution, the vendor's order list)
	// and InputSHA256 the hex SHA-256 of its content.
	Input       string
	InputSHA256 string
	// Flags are the command-line flags as the caller chooses to show them
	// (for example "--qps=20"). The journal stores them as given: the
	// caller must leave out every secret (API key, secret key, token).
	Flags []string
	// Endpoint and KeyFingerprint name the API account [the run's
	// (Options.Account), else the state file's, see Journal.Account].
	Endpoint       string
	KeyFingerprint string
	// PrevEndpoint is the endpoint the state file belonged to when the run
	// started, if the run's is another one (Options.NewEndpoint, or a file
	// with no order yet): the change of endpoint, on record [set by
	// StartRun].
	PrevEndpoint string
}

// RunEnd describes how a run ended.
type RunEnd struct {
	Ended     time.Time               // [now]
	NewOrders int                     // orders placed by this run (resolutions: orders recorded)
	Counts    map[outcome.Outcome]int // companies per outcome at the end
	Exit      int                     // the process exit code
	Reason    string                  // why it stopped, "" for a complete run (zh)
	ReasonEn  string                  // the same in English ("": only Reason is on record)
}

// ReasonIn returns why the run stopped in lang ("zh" or "en"): the
// English text when lang is en and the record has it (runs of earlier
// versions kept the Chinese one only).
func (e RunEnd) ReasonIn(lang string) string {
	if lang == "en" && e.ReasonEn != "" {
		return e.ReasonEn
	}
	return e.Reason
}

// RunRecord is one run, resolution or repair on record.
type RunRecord struct {
	ID string
	RunInfo
	RunEnd // zero unless it ended
	// Killed is set for a run whose end was never recorded and that is not
	// in progress in this Journal: it was killed, or the machine stopped.
	// A reader (Options.ReadOnly) sees a run in progress in another
	// process as killed too. Such a run's NewOrders is counted from its
	// order records when the journal keeps the history (Options.History),
	// else 0.
	Killed bool
	// Running is set for the run this Journal started and has not ended.
	Running bool
}

// runIDFormat names a run by its start time (UTC, seconds); a second run
// started within the same second gets "-2", "-3", ...
const runIDFormat = "20060102T150405Z"

// StartRun records that a run (or resolution, or repair: info.Kind)
// starts and returns its id. Until EndRun, the intents written belong to
// it. It waits for no fsync: the first intent's makes it durable.
func (j *Journal) StartRun(info RunInfo) (string, error) {
	if info.Kind == "" {
		info.Kind = KindRun
	}
	if !validKind(info.Kind) {
		return "", fmt.Errorf("state file: unknown run kind %q", info.Kind)
	}
	if info.Started.IsZero() {
		info.Started = j.opt.Now()
	}
	j.mu.Lock()
	if info.Endpoint == "" && info.KeyFingerprint == "" {
		acct := j.account.rebind(j.want)
		info.Endpoint, info.KeyFingerprint = acct.Endpoint, acct.KeyFingerprint
	}
	if have := j.account.Endpoint; info.PrevEndpoint == "" && have != "" && info.Endpoint != "" &&
		normalizeEndpoint(have) != normalizeEndpoint(info.Endpoint) {
		info.PrevEndpoint = have
	}
	if j.run != "" {
		id := j.run
		j.mu.Unlock()
		return "", fmt.Errorf("state file: run %s has not ended", id)
	}
	id := j.ledger.newRunID(journalTime(info.Started))
	j.run = id // reserved; the record is written next
	j.mu.Unlock()
	err := j.append(&record{Op: opRun, Run: id, At: info.Started, Kind: string(info.Kind), Prog: info.Version,
		Host: info.Host, User: info.User, PID: info.PID, Input: info.Input, InputSHA: info.InputSHA256,
		Flags: info.Flags, Endpoint: info.Endpoint, KeyFP: info.KeyFingerprint, FromEP: info.PrevEndpoint}, false)
	if err != nil {
		j.mu.Lock()
		j.run = ""
		j.mu.Unlock()
		return "", err
	}
	return id, nil
}

// EndRun records the end of the run id that StartRun returned, and makes
// every record so far durable.
func (j *Journal) EndRun(id string, end RunEnd) error {
	j.mu.Lock()
	cur := j.run
	j.mu.Unlock()
	if id == "" || id != cur {
		return fmt.Errorf("state file: run %q is not in progress", id)
	}
	if end.Ended.IsZero() {
		end.Ended = j.opt.Now()
	}
	var counts map[outcome.Outcome]int
	for o, n := range end.Counts {
		if n != 0 {
			if counts == nil {
				counts = make(map[outcome.Outcome]int)
			}
			counts[o] = n
		}
	}
	err := j.append(&record{Op: opEnd, Run: id, At: end.Ended, NewOrders: end.NewOrders, Counts: counts,
		Exit: end.Exit, Reason: end.Reason, ReasonEn: end.ReasonEn}, false)
	if err != nil {
		return err
	}
	j.mu.Lock()
	j.run = ""
	j.mu.Unlock()
	return j.Sync()
}

// Runs returns every run, resolution and repair on record, in the order
// they started.
func (j *Journal) Runs() []RunRecord {
	j.mu.Lock()
	defer j.mu.Unlock()
	return j.ledger.runs(j.run)
}

// newRunID returns an id for a run started at t that no run on record
// has.
func (l *ledger) newRunID(t time.Time) string {
	base := t.UTC().Format(runIDFormat)
	taken := func(id string) bool {
		return slices.ContainsFunc(l.audit, func(r record) bool { return r.Run == id })
	}
	id := base
	for n := 2; taken(id); n++ {
		id = fmt.Sprintf("%s-%d", base, n)
	}
	return id
}

// runs builds the runs from the audit records; running is the id of the
// run in progress in this process, if any.
func (l *ledger) runs(running string) []RunRecord {
	var out []RunRecord
	index := map[string]int{}
	for i := range l.audit {
		r := &l.audit[i]
		switch r.Op {
		case opRun:
			index[r.Run] = len(out)
			out = append(out, RunRecord{ID: r.Run, RunInfo: RunInfo{Kind: RunKind(r.Kind), Started: r.At, Version: r.Prog,
				Host: r.Host, User: r.User, PID: r.PID, Input: r.Input, InputSHA256: r.InputSHA,
				Flags: slices.Clone(r.Flags), Endpoint: r.Endpoint, KeyFingerprint: r.KeyFP, PrevEndpoint: r.FromEP}})
		case opEnd:
			if k, ok := index[r.Run]; ok {
				out[k].RunEnd = RunEnd{Ended: r.At, NewOrders: r.NewOrders, Counts: maps.Clone(r.Counts), Exit: r.Exit, Reason: r.Reason, ReasonEn: r.ReasonEn}
			}
		case opRepair:
			// A repair writes one record: it started and ended at once.
			id := r.Run
			if id == "" { // written before runs had ids
				id = "repair-" + r.At.UTC().Format(runIDFormat)
			}
			out = append(out, RunRecord{ID: id, RunInfo: RunInfo{Kind: KindRepair, Started: r.At, Version: r.Prog,
				Host: r.Host, User: r.User, PID: r.PID, Input: r.File},
				RunEnd: RunEnd{Ended: r.At, Reason: r.Message}})
		}
	}
	var placed map[string]int // with the history: orders with a number per run
	for i := range out {
		if out[i].Ended.IsZero() {
			out[i].Running = out[i].ID == running
			out[i].Killed = !out[i].Running
			if placed == nil && l.hist != nil {
				placed = l.ordersPerRun()
			}
			// No end record says how many orders it placed: its order
			// records do (a killed run paid for them all the same).
			out[i].NewOrders = placed[out[i].ID]
		}
	}
	return out
}

// ordersPerRun counts, per run, the order requests on record that the API
// answered with an order number (a resolution's findings are not the
// run's): what a run's end record calls its new orders.
func (l *ledger) ordersPerRun() map[string]int {
	n := map[string]int{}
	for _, o := range l.orders() {
		if o.OrderNo != "" && o.Resolution == "" && o.RunID != "" {
			n[o.RunID]++
		}
	}
	return n
}

// addAudit keeps a copy of an audit record.
func (l *ledger) addAudit(r *record) {
	l.audit = append(l.audit, cloneRecord(r))
}

// cloneStrings copies a slice of strings out of a read buffer.
func cloneStrings(s []string) []string {
	if s == nil {
		return nil
	}
	c := make([]string, len(s))
	for i, v := range s {
		c[i] = strings.Clone(v)
	}
	return c
}
