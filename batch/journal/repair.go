package journal

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/qccbatch/qccbatch/batch/internal/fsutil"
	"github.com/qccbatch/qccbatch/batch/msg"
	"github.com/qccbatch/qccbatch/batch/outcome"
)

// MsgRepaired is the message of a company Repair marked uncertain: a record
// of it was damaged, so an order may have been placed that the state file
// no longer shows.
const MsgRepaired = "a damaged record of this company was dropped by `qccbatch repair`: an order may have been placed; " +
	"look it up in Qichacha's order list, then `qccbatch resolve`"

// RepairOptions configure Repair.
type RepairOptions struct {
	// DryRun reports what Repair would do and changes nothing.
	DryRun bool
	// Now is the clock for the damaged file's name and the records [time.Now].
	Now func() time.Time
	// Info says who repairs (Version, Host, User, PID): the repair is on
	// record as a RunRecord of kind repair (see Journal.Runs). Its other fields
	// are not used.
	Info RunInfo
	// Lang is the language of the errors' sentences (see InLang).
	Lang string
}

// DroppedLine is a line of a damaged state file that Repair does not keep.
type DroppedLine struct {
	Line   int    // 1-based line number in the damaged file
	Reason string // why it is not kept
	Key    Key    // the company it seems to be about; zero if unknown
	// Lost is set where complete records may have been lost: a gap in the
	// record numbers, zero bytes that are not a torn tail, a line no
	// company can be told of.
	Lost bool
	// Fallback is set for a line of the fallback file (STATE.pending-orders)
	// rather than of the state file.
	Fallback bool

	nul     bool // the line holds zero bytes
	missing bool // records before this line are missing
}

// RepairReport says what Repair did (or, in a dry run, would do).
type RepairReport struct {
	Path    string        // the state file
	Damaged string        // where the damaged file is kept (STATE.damaged-<time>)
	Kept    int           // records kept, the header not counted
	Dropped []DroppedLine // lines not kept, and runs of missing lines
	// Uncertain lists the companies whose history is incomplete and that
	// the repaired file marks uncertain, so no run orders them again by
	// itself.
	Uncertain []Key
	// Unattributed counts dropped lines whose company cannot be told: an
	// order of a company the file has no other record of may be lost with
	// one; check the vendor's order list.
	Unattributed int
	// Lost counts the places where complete records may have been lost
	// (DroppedLine.Lost): the repaired file then records the damage, and no
	// run places a new order until a resolution from the vendor's order
	// list clears it (see Damage).
	Lost int
	// Fallback is the fallback file whose orders Repair merged, "" if none;
	// FallbackOrders counts them and FallbackDamaged is where the file is
	// kept when it had damaged lines ("" otherwise).
	Fallback        string
	FallbackOrders  int
	FallbackDamaged string
	// Leftovers are the files an interrupted repair left, which this one
	// recovered (removed, or reused as the damaged copy).
	Leftovers []string
	DryRun    bool
}

// Changed reports whether the file needed repair at all.
func (r *RepairReport) Changed() bool {
	return len(r.Dropped) > 0 || len(r.Uncertain) > 0 || r.FallbackDamaged != ""
}

// Repair rebuilds a damaged state file from its valid records: it keeps
// every record that reads well (in order, renumbered), drops the others,
// merges the valid orders of the fallback file, marks uncertain every
// company a dropped line was about whose kept history shows no order (so
// it is never re-ordered silently), records the repair in the new file, and
// keeps the damaged file as STATE.damaged-<time> (and a damaged fallback
// file as STATE.pending-orders.damaged-<time>). Where complete records may
// have been lost, whose companies cannot be named, it records the damage:
// no run places a new order until a resolution from the vendor's order list
// clears it (see Damage). What an interrupted repair left is recovered. The
// state file must not be in use (*LockedError otherwise). A file without a
// single valid record is refused (*NotJournalError). A file that is not
// damaged is left alone (the report's Changed is false).
func Repair(path string, opt RepairOptions) (*RepairReport, error) {
	rep, err := repair(path, opt)
	return rep, InLang(err, opt.Lang)
}

// repair is Repair, its errors in English: it scans the file past its
// damage, merges the fallback file's orders, marks uncertain the companies
// the dropped lines were about, and (unless a dry run) keeps the damaged
// file aside and writes the repaired one in its place.
func repair(path string, opt RepairOptions) (*RepairReport, error) {
	if opt.Now == nil {
		opt.Now = time.Now
	}
	target, err := fsutil.Resolve(path)
	if err != nil {
		return nil, fileError(path, err)
	}
	if _, err := os.Stat(target); err != nil {
		return nil, fileError(path, err)
	}
	f, target, err := openLocked(path, nil)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	now := journalTime(opt.Now())
	stamp := now.Format("20060102T150405Z")
	rep := &RepairReport{Path: path, DryRun: opt.DryRun, Damaged: freeName(target + ".damaged-" + stamp)}
	crashed := crashEvidence(target)
	tmp, own := rep.leftovers(target, f)

	sc, err := scanDamaged(path, sectionAll(f), true, crashed)
	if err != nil {
		return nil, err
	}
	if len(sc.kept) == 0 && sc.version == 0 {
		return nil, notJournal(path, because(msg.JReasonNoValid))
	}
	rep.Dropped = sc.dropped
	fb := fallbackPath(target)
	kept, err := rep.mergeFallback(sc.led, sc.kept, fb, stamp)
	if err != nil {
		return nil, err
	}
	rep.Kept = len(kept)
	rep.markDropped(sc.led)
	if !rep.Changed() || opt.DryRun {
		if !rep.Changed() && !opt.DryRun && len(rep.Leftovers) > 0 {
			os.Remove(tmp) // nothing else to do: the interrupted repair had finished
		}
		return rep, nil
	}
	os.Remove(tmp)

	if err := rep.keepDamaged(path, target, f, own); err != nil {
		return nil, err
	}
	j := &Journal{path: path, target: target, f: f, account: sc.account, repairing: true,
		opt: Options{Now: func() time.Time { return now }, fsync: (*os.File).Sync}}
	if err := j.writeRepaired(rep, sc.led.newRunID(now), kept, opt.Info); err != nil {
		return nil, fmt.Errorf("repair state file %s: %w", path, err)
	}
	j.f.Close() // the new file, locked by rewrite
	// Only now, with its orders durable in the state file, may the
	// fallback file go: a damaged one is kept aside; a valid one is merged
	// again (skipped) and emptied by the next run.
	if rep.FallbackDamaged != "" {
		if err := os.Rename(fb, rep.FallbackDamaged); err != nil {
			return nil, fmt.Errorf("keep the damaged fallback file as %s: %w", rep.FallbackDamaged, err)
		}
		_ = fsutil.SyncDir(filepath.Dir(target))
	}
	return rep, nil
}

// leftovers finds what an interrupted repair of target (open as f) left:
// its new file tmp, never renamed into place (the lock is ours, so no
// compaction is writing it), and own, the damaged file's second names,
// the first of which this repair reuses.
func (rep *RepairReport) leftovers(target string, f *os.File) (tmp string, own []string) {
	tmp = target + ".tmp"
	if _, err := os.Lstat(tmp); err == nil {
		rep.Leftovers = append(rep.Leftovers, tmp)
	}
	own = ownDamagedNames(target, f)
	if len(own) > 0 {
		rep.Damaged = own[0]
		rep.Leftovers = append(rep.Leftovers, own...)
	}
	return tmp, own
}

// mergeFallback applies the valid orders of the fallback file fb that led
// does not know and returns kept with them; its damaged lines are dropped
// like the state file's.
func (rep *RepairReport) mergeFallback(led *ledger, kept []record, fb, stamp string) ([]record, error) {
	recs, bad, err := readFallback(fb)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", fb, err)
	}
	for i := range recs {
		r := &recs[i]
		if e := led.find(Key{r.Key, r.Format}); e != nil && e.orderNo == r.OrderNo {
			continue
		}
		led.apply(r)
		kept = append(kept, *r)
		rep.FallbackOrders++
	}
	if rep.FallbackOrders > 0 || len(bad) > 0 {
		rep.Fallback = fb
	}
	for _, d := range bad {
		d.Fallback, d.Lost = true, d.Key.ID == ""
		d.Reason = filepath.Base(fb) + ": " + d.Reason
		rep.Dropped = append(rep.Dropped, d)
	}
	if len(bad) > 0 {
		rep.FallbackDamaged = freeName(fb + ".damaged-" + stamp)
	}
	return kept, nil
}

// markDropped counts the dropped lines and lists as Uncertain the
// companies a dropped line was about whose kept history shows no order.
func (rep *RepairReport) markDropped(led *ledger) {
	marked := map[Key]bool{}
	for _, d := range rep.Dropped {
		if d.Lost {
			rep.Lost++
		}
		if d.Key.ID == "" {
			if !d.nul {
				rep.Unattributed++
			}
			continue
		}
		if marked[d.Key] {
			continue
		}
		if e := led.find(d.Key); e != nil {
			st := led.state(e)
			if st.OrderNo != "" || st.Outcome == outcome.Uncertain {
				continue // its order is known (a rerun polls it), or it is uncertain already
			}
		}
		marked[d.Key] = true
		rep.Uncertain = append(rep.Uncertain, d.Key)
	}
}

// keepDamaged keeps the damaged file (target, open as f) under its new
// name before the repaired one is put in place: a crash in between leaves
// the damaged file at both names, which the next repair finds
// (ownDamagedNames, own).
func (rep *RepairReport) keepDamaged(path, target string, f *os.File, own []string) error {
	if n := fileLinkCount(f); n > 1+uint64(len(own)) {
		return fmt.Errorf("state file %s has more than one name (hard links): make it a file of its own, then repair it", path)
	}
	if len(own) > 0 {
		return nil
	}
	if err := os.Link(target, rep.Damaged); err != nil {
		if err := copyFile(f, rep.Damaged); err != nil {
			return fmt.Errorf("keep the damaged state file as %s: %w", rep.Damaged, err)
		}
	}
	return nil
}

// writeRepaired rewrites the state file: the header, the kept records, the
// repair's record (run runID, by who), the damage if records were lost,
// and an uncertain record per company rep marks.
func (j *Journal) writeRepaired(rep *RepairReport, runID string, kept []record, who RunInfo) error {
	now := j.opt.Now()
	summary := fmt.Sprintf("repaired: kept %d records, dropped %d lines, marked %d companies uncertain; the damaged file is %s",
		rep.Kept, len(rep.Dropped), len(rep.Uncertain), filepath.Base(rep.Damaged))
	return j.rewrite(func(lw *lineWriter) error {
		if err := lw.write(j.headerRecord()); err != nil {
			return err
		}
		for i := range kept {
			if err := lw.write(&kept[i]); err != nil {
				return err
			}
		}
		if err := lw.write(&record{Op: opRepair, At: now, Run: runID, Message: summary, File: filepath.Base(rep.Damaged),
			Prog: who.Version, Host: who.Host, User: who.User, PID: who.PID}); err != nil {
			return err
		}
		if rep.Lost > 0 {
			if err := lw.write(&record{Op: opDamage, At: now, Run: runID, File: filepath.Base(rep.Damaged), Message: damageSummary(rep)}); err != nil {
				return err
			}
		}
		for _, k := range rep.Uncertain {
			if err := lw.write(&record{Op: opAmbiguous, At: now, Key: k.ID, Format: k.Format, Message: MsgRepaired}); err != nil {
				return err
			}
		}
		return nil
	})
}

// freeName returns name, or name-2, name-3 ... the first that no file has
// (an earlier repair within the same second kept its file at name).
func freeName(name string) string {
	n := name
	for i := 2; ; i++ {
		if _, err := os.Lstat(n); err != nil {
			return n
		}
		n = fmt.Sprintf("%s-%d", name, i)
	}
}

// damageSummary says where records were lost, for the damage record.
func damageSummary(rep *RepairReport) string {
	var where []string
	for _, d := range rep.Dropped {
		if !d.Lost {
			continue
		}
		w := fmt.Sprintf("line %d (%s)", d.Line, d.Reason)
		if len(where) == 10 {
			w = fmt.Sprintf("%d more", rep.Lost-10)
		}
		where = append(where, w)
		if len(where) > 10 {
			break
		}
	}
	return fmt.Sprintf("complete records lost at %d places: %s; companies the state file no longer shows may have been ordered",
		rep.Lost, strings.Join(where, ", "))
}

// ownDamagedNames returns the names STATE.damaged-<time> of the open state
// file f itself: the hard link an interrupted repair made before it could
// put the repaired file in place.
func ownDamagedNames(target string, f *os.File) []string {
	fi, err := f.Stat()
	if err != nil {
		return nil
	}
	entries, _ := os.ReadDir(filepath.Dir(target))
	prefix := filepath.Base(target) + ".damaged-"
	var own []string
	for _, e := range entries {
		if !strings.HasPrefix(e.Name(), prefix) {
			continue
		}
		n := filepath.Join(filepath.Dir(target), e.Name())
		if gi, err := os.Lstat(n); err == nil && os.SameFile(fi, gi) {
			own = append(own, n)
		}
	}
	return own
}

// copyFile copies the open file f to a new file at dst and fsyncs it.
func copyFile(f *os.File, dst string) error {
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	_, err = io.Copy(out, sectionAll(f))
	if err == nil {
		err = out.Sync()
	}
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	if err != nil && !errors.Is(err, fs.ErrExist) {
		os.Remove(dst)
	}
	return err
}
