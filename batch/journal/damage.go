package journal

import (
	"os"
	"sync"
	"time"

	"github.com/qccbatch/qccbatch/batch/internal/fsutil"
	"github.com/qccbatch/qccbatch/batch/msg"
)

// Damage never re-orders.
//
// When Repair finds that complete records were lost (a gap in the record
// numbers, a block of zero bytes that is not a torn tail, or lines it
// cannot attribute to a company), the companies those records were about
// cannot be named: after a compaction, a lost snapshot is a company the
// ledger no longer knows, which a run would take for never ordered. So
// Repair writes a "damage" record, and until a resolution from the vendor's
// order list records a "cleared" one (ClearDamage), Damage reports it and a
// run places no new order (it polls and downloads what it knows). Both are
// audit records: compaction keeps them.

// Damage is a loss of records that Repair found and no resolution has
// settled yet.
type Damage struct {
	At      time.Time // when Repair found it
	Repair  string    // the repair's run id
	File    string    // the damaged file Repair kept (its base name)
	Message string    // what was lost, in English
}

// Damage returns the oldest damage no resolution has cleared, and whether
// there is one.
func (j *Journal) Damage() (Damage, bool) {
	j.mu.Lock()
	defer j.mu.Unlock()
	return j.ledger.pendingDamage()
}

// pendingDamage finds the damage records after the last "cleared" one.
func (l *ledger) pendingDamage() (Damage, bool) {
	var d Damage
	found := false
	for i := range l.audit {
		switch r := &l.audit[i]; r.Op {
		case opDamage:
			if !found {
				d, found = Damage{At: r.At, Repair: r.Run, File: r.File, Message: r.Message}, true
			}
		case opCleared:
			found = false
		}
	}
	return d, found
}

// Clearance says who settled a damage, from which order list.
type Clearance struct {
	By           string    // OS user
	Source       string    // the vendor's order list
	SourceSHA256 string    // its hex SHA-256
	At           time.Time // [now]
}

// ClearDamage records that the vendor's order list was reconciled with the
// state file, so the damage Damage reports no longer holds back new
// orders. Within a run (StartRun, a resolution's), the record belongs to
// it. It does nothing when no damage is pending, and makes the record
// durable before it returns.
func (j *Journal) ClearDamage(c Clearance) error {
	if _, ok := j.Damage(); !ok {
		return nil
	}
	if c.At.IsZero() {
		c.At = j.opt.Now()
	}
	j.mu.Lock()
	run := j.run
	j.mu.Unlock()
	if err := j.append(&record{Op: opCleared, At: c.At, Run: run, User: c.By, File: c.Source, SHA256: c.SourceSHA256}, false); err != nil {
		return err
	}
	return j.Sync()
}

// crashEvidence reports whether the last writer of the state file at
// target did not close it: its holder file (see writeHolder) is still
// there. Only then may the file end in a torn record holding zero bytes
// (blocks a power cut allocated but never wrote); after a clean close,
// zero bytes at the end are a zeroed block of records that were durable.
func crashEvidence(target string) bool {
	_, err := os.Lstat(holderPath(target))
	return err == nil
}

// ReadDamaged reads what it can of a state file that Open refuses as
// damaged (*CorruptError), for `qccbatch status`: a read-only journal of
// every record that reads well, as Repair would keep them, and the lines
// it could not use. It changes nothing; Repair is what mends the file.
func ReadDamaged(path string) (*Journal, []DroppedLine, error) {
	return readDamaged(path)
}

func readDamaged(path string) (*Journal, []DroppedLine, error) {
	target, err := fsutil.Resolve(path)
	if err != nil {
		return nil, nil, fileError(path, err)
	}
	f, err := os.Open(target)
	if err != nil {
		return nil, nil, fileError(path, err)
	}
	defer f.Close()
	sc, err := scanDamaged(path, f, false, crashEvidence(target))
	if err != nil {
		return nil, nil, err
	}
	if sc.version == 0 && sc.led.len() == 0 {
		return nil, nil, notJournal(path, because(msg.JReasonNoValid))
	}
	mergeFallbackReadOnly(fallbackPath(target), sc.led)
	sc.led.settle()
	j := &Journal{path: path, target: target, readOnly: true, ledger: sc.led, account: sc.account, opt: Options{Now: time.Now}}
	j.syncCond = sync.NewCond(&j.syncMu)
	return j, sc.dropped, nil
}
