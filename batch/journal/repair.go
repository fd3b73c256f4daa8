package journal

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
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
	// record as a Run of kind repair (see Journal.Runs). Its other fields
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
	DryRun       bool
}

// Changed reports whether the file needed repair at all.
func (r *RepairReport) Changed() bool { return len(r.Dropped) > 0 || len(r.Uncertain) > 0 }

// keyRE and formatRE find the company of a damaged line, best effort.
var (
	keyRE    = regexp.MustCompile(`"k":"((?:[^"\\]|\\.)*)"`)
	formatRE = regexp.MustCompile(`"f":([12])[,}]`)
)

// Repair rebuilds a damaged state file from its valid records: it keeps
// every record that reads well (in order, renumbered), drops the others,
// marks uncertain every company a dropped line was about whose kept history
// shows no order (so it is never re-ordered silently), records the repair
// in the new file, and keeps the damaged file as STATE.damaged-<time>. The
// state file must not be in use (*LockedError otherwise). A file without a
// single valid record is refused (*NotJournalError). A file that is not
// damaged is left alone (the report's Changed is false).
func Repair(path string, opt RepairOptions) (*RepairReport, error) {
	rep, err := repair(path, opt)
	return rep, InLang(err, opt.Lang)
}

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
	rep := &RepairReport{Path: path, DryRun: opt.DryRun,
		Damaged: target + ".damaged-" + now.Format("20060102T150405Z")}

	var (
		kept    []record
		account Account
		version int
		lastSeq int
		shift   int // record number minus line number, from deleted lines
	)
	led := newLedger()
	br := bufio.NewReaderSize(sectionAll(f), maxRecordLen+1)
	for lineNo := 1; ; lineNo++ {
		line, n, rerr := readLine(br)
		if n == 0 && rerr != nil {
			if rerr == io.EOF {
				break
			}
			return nil, fileError(path, rerr)
		}
		var rec record
		derr := errNoNewline
		if line != nil && rerr == nil {
			derr = decodeRecord(line, &rec)
		}
		switch {
		case isNULs(line):
			rep.Dropped = append(rep.Dropped, DroppedLine{Line: lineNo, Reason: "zero bytes"})
			continue
		case derr != nil:
			rep.Dropped = append(rep.Dropped, DroppedLine{Line: lineNo, Reason: derr.Error(), Key: guessKey(line)})
			continue
		case rec.Op == opHeader:
			if lineNo != 1 || rec.Version < oldestVersion || rec.Version > journalVersion {
				rep.Dropped = append(rep.Dropped, DroppedLine{Line: lineNo, Reason: "a header record out of place"})
				continue
			}
			version, lastSeq = rec.Version, 1
			account = account.merge(Account{Endpoint: rec.Endpoint, KeyFingerprint: rec.KeyFP})
			continue
		}
		if version >= 2 || rec.Seq > 0 {
			if rec.Seq <= lastSeq {
				rep.Dropped = append(rep.Dropped, DroppedLine{Line: lineNo, Reason: fmt.Sprintf("record number %d repeated or moved", rec.Seq),
					Key: Key{strings.Clone(rec.Key), rec.Format}})
				continue
			}
			// Lines are numbered from the header: a number ahead of its
			// line by more than before means lines were deleted.
			if d := rec.Seq - lineNo; d > shift {
				rep.Dropped = append(rep.Dropped, DroppedLine{Line: lineNo, Reason: fmt.Sprintf("%d records before this line are missing", d-shift)})
				shift = d
			}
			lastSeq = rec.Seq
		}
		if rec.Op == opAccount {
			account = account.rebind(Account{Endpoint: rec.Endpoint, KeyFingerprint: rec.KeyFP})
			continue
		}
		led.apply(&rec)
		kept = append(kept, cloneRecord(&rec))
	}
	if len(kept) == 0 && version == 0 {
		return nil, notJournal(path, because(msg.JReasonNoValid))
	}
	rep.Kept = len(kept)

	// Companies a dropped line was about, whose kept history shows no order.
	marked := map[Key]bool{}
	for _, d := range rep.Dropped {
		if d.Key.ID == "" {
			if d.Reason != "zero bytes" {
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
	if !rep.Changed() || opt.DryRun {
		return rep, nil
	}

	if fileLinkCount(f) > 1 {
		return nil, fmt.Errorf("state file %s has more than one name (hard links): make it a file of its own, then repair it", path)
	}
	// Keep the damaged file under its new name, then put the repaired one
	// in place: a crash in between leaves the damaged file at both names.
	if err := os.Link(target, rep.Damaged); err != nil {
		if err := copyFile(f, rep.Damaged); err != nil {
			return nil, fmt.Errorf("keep the damaged state file as %s: %w", rep.Damaged, err)
		}
	}
	j := &Journal{path: path, target: target, f: f, account: account, repairing: true,
		opt: Options{Now: func() time.Time { return now }, fsync: (*os.File).Sync}}
	summary := fmt.Sprintf("repaired: kept %d records, dropped %d lines, marked %d companies uncertain; the damaged file is %s",
		rep.Kept, len(rep.Dropped), len(rep.Uncertain), filepath.Base(rep.Damaged))
	err = j.rewrite(func(lw *lineWriter) error {
		if err := lw.write(j.headerRecord()); err != nil {
			return err
		}
		for i := range kept {
			if err := lw.write(&kept[i]); err != nil {
				return err
			}
		}
		if err := lw.write(&record{Op: opRepair, At: now, Run: led.newRunID(now), Message: summary, File: filepath.Base(rep.Damaged),
			Prog: opt.Info.Version, Host: opt.Info.Host, User: opt.Info.User, PID: opt.Info.PID}); err != nil {
			return err
		}
		for _, k := range rep.Uncertain {
			if err := lw.write(&record{Op: opAmbiguous, At: now, Key: k.ID, Format: k.Format, Message: MsgRepaired}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("repair state file %s: %w", path, err)
	}
	j.f.Close() // the new file, locked by rewrite
	return rep, nil
}

// guessKey finds the company a damaged line seems to be about.
func guessKey(line []byte) Key {
	k, f := keyRE.FindSubmatch(line), formatRE.FindSubmatch(line)
	if k == nil || f == nil {
		return Key{}
	}
	id, err := strconv.Unquote(`"` + string(k[1]) + `"`)
	if err != nil || id == "" {
		return Key{}
	}
	format, _ := strconv.Atoi(string(f[1]))
	return Key{id, format}
}

// cloneRecord copies a decoded record out of the read buffer.
func cloneRecord(r *record) record {
	c := *r
	c.Op, c.Key, c.SearchKey, c.OrderNo = strings.Clone(r.Op), strings.Clone(r.Key), strings.Clone(r.SearchKey), strings.Clone(r.OrderNo)
	c.Message, c.Status, c.URL = strings.Clone(r.Message), strings.Clone(r.Status), strings.Clone(r.URL)
	c.File, c.SHA256, c.Outcome = strings.Clone(r.File), strings.Clone(r.SHA256), outcome.Outcome(strings.Clone(string(r.Outcome)))
	c.Endpoint, c.KeyFP, c.CRC = strings.Clone(r.Endpoint), strings.Clone(r.KeyFP), ""
	c.Run, c.Kind, c.Prog, c.Host, c.User = strings.Clone(r.Run), strings.Clone(r.Kind), strings.Clone(r.Prog), strings.Clone(r.Host), strings.Clone(r.User)
	c.Input, c.InputSHA, c.Reason, c.Flags = strings.Clone(r.Input), strings.Clone(r.InputSHA), strings.Clone(r.Reason), cloneStrings(r.Flags)
	c.Counts = maps.Clone(r.Counts)
	if r.State != nil {
		s := *r.State
		s.OrderNo, s.Message, s.Status, s.URL = strings.Clone(s.OrderNo), strings.Clone(s.Message), strings.Clone(s.Status), strings.Clone(s.URL)
		s.File, s.SHA256, s.Outcome = strings.Clone(s.File), strings.Clone(s.SHA256), outcome.Outcome(strings.Clone(string(s.Outcome)))
		c.State = &s
	}
	return c
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
