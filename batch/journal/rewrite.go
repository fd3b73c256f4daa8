package journal

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"

	"github.com/qccbatch/qccbatch/batch/internal/fsutil"
)

// Rewriting the whole state file: compaction, and the upgrade of an older
// format. Both write a new file beside the target, lock it, fsync it and
// rename it over the target (never over a symlink that leads to it), so a
// crash at any instant leaves the old file or the complete new one.

// lineWriter numbers and encodes records onto w.
type lineWriter struct {
	w    io.Writer
	seq  int   // number of the last line written
	size int64 // bytes written
	buf  []byte
}

// write numbers r as the next line and writes it.
func (lw *lineWriter) write(r *record) error {
	r.Seq = lw.seq + 1
	line, err := encodeRecord(lw.buf[:0], r)
	lw.buf = line
	if err != nil {
		return err
	}
	n, err := lw.w.Write(line)
	lw.size += int64(n)
	if err != nil {
		return err
	}
	lw.seq++
	return nil
}

// errLinked is why a hard-linked state file is not rewritten.
var errLinked = errors.New("the state file has more than one name (hard links)")

// rewrite replaces the state file with the lines fill writes, and moves
// the journal (its lock included, see lock.go) to the new file. j.mu must be
// held or the journal not yet shared. On error the old file is left as it
// was and still open. A state file with more than one name is never
// rewritten (errLinked): the rename would split it into two files.
func (j *Journal) rewrite(fill func(lw *lineWriter) error) error {
	if fileLinkCount(j.f) > 1 && !j.repairing {
		return errLinked
	}
	tmp := j.target + ".tmp"
	f, err := openFile(tmp, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	lw := &lineWriter{}
	if ok, lerr := tryLock(f); !ok || lerr != nil {
		err = errors.Join(errors.New("cannot lock the new file"), lerr)
	} else {
		bw := bufio.NewWriterSize(f, 256<<10)
		lw.w = bw
		if err = fill(lw); err == nil {
			err = bw.Flush()
		}
		if err == nil {
			err = j.opt.fsync(f)
		}
		if err == nil {
			err = j.swapFile(tmp, f, lw)
		}
	}
	if err != nil {
		f.Close()
		os.Remove(tmp)
		return err
	}
	_ = fsutil.SyncDir(filepath.Dir(j.target))
	return nil
}

// swapFile renames the new file tmp (open as f, fsynced, holding every
// record written so far) over the state file and makes it the journal's.
// A background group commit may be fsyncing the old file at this moment
// (records written at open start its timer): the swap waits for it under
// syncMu, and no fsync starts until the new file is in place, so an fsync
// never meets a file that is being closed or replaced (a data race the
// race detector found in TestJournal_CompactionEquivalence). Everything
// written is in the fsynced new file, so it counts as synced.
func (j *Journal) swapFile(tmp string, f *os.File, lw *lineWriter) error {
	j.syncMu.Lock()
	defer j.syncMu.Unlock()
	for j.syncing {
		j.syncCond.Wait()
	}
	if err := j.replaceOpen(tmp); err != nil {
		return err
	}
	if j.f != nil {
		j.f.Close() // releases the old file's lock; the new one's is held
	}
	j.f, j.size, j.seq = f, lw.size, lw.seq
	if w := j.writtenSeq.Load(); w > j.synced {
		j.synced = w
	}
	return nil
}

// headerRecord is the first line of the state file.
func (j *Journal) headerRecord() *record {
	return &record{Op: opHeader, Version: journalVersion, At: journalTime(j.opt.Now()),
		Endpoint: j.account.Endpoint, KeyFP: j.account.KeyFingerprint}
}

// compact rewrites the journal as a header, the audit records, one record
// per superseded order and one snapshot per company. Without the history
// in memory, it replays the file once more with it. A compaction that fails
// (done false) leaves the journal as it was and is not an error.
func (j *Journal) compact() (done bool, err error) {
	led := j.ledger
	if led.hist == nil {
		res, err := replay(j.path, io.NewSectionReader(j.f, 0, j.size), true, true)
		if err != nil || res.led.len() != led.len() {
			return false, nil
		}
		led = res.led
	}
	if err := j.rewrite(func(lw *lineWriter) error {
		if err := lw.write(j.headerRecord()); err != nil {
			return err
		}
		return writeCompacted(lw, led)
	}); err != nil {
		return false, nil
	}
	j.ledger.records = j.ledger.len()
	return true, nil
}

// writeCompacted writes what compaction keeps of a settled ledger with its
// history, after the header.
func writeCompacted(lw *lineWriter, led *ledger) error {
	if err := writeAudit(lw, led); err != nil {
		return err
	}
	for i := range led.hist.rows {
		if err := lw.write(led.hist.rows[i].record()); err != nil {
			return err
		}
	}
	return writeSnapshots(lw, led)
}

// writeAudit copies the audit records.
func writeAudit(lw *lineWriter, led *ledger) error {
	for i := range led.audit {
		r := led.audit[i]
		if err := lw.write(&r); err != nil {
			return err
		}
	}
	return nil
}

// writeSnapshots writes one snapshot per company of a settled ledger.
func writeSnapshots(lw *lineWriter, led *ledger) error {
	var err error
	pends := led.polls.byOrder()
	led.each(func(e *entry) bool {
		r := led.snapshot(e)
		if e.base == cReady || e.base == cFailed {
			if p, ok := pends[[2]int64{e.orderedAt, e.completedAt}]; ok {
				r.State.Pend = unpackTime(p)
			}
		}
		if m := led.hist.metaOf(e.key()); m != nil && e.hasRow() {
			r.Run, r.Req, r.Res = m.run, m.req, m.res
		}
		err = lw.write(r)
		return err == nil
	})
	return err
}

// upgrade rewrites a state file of an older format version in the current
// one: the header (with the account) and every record, numbered.
func (j *Journal) upgrade(end int64) error {
	err := j.rewrite(func(lw *lineWriter) error {
		if err := lw.write(j.headerRecord()); err != nil {
			return err
		}
		return eachRecord(io.NewSectionReader(j.f, 0, end), func(r *record) error {
			if r.Op == opHeader {
				return nil
			}
			return lw.write(r)
		})
	})
	if errors.Is(err, errLinked) {
		return fmt.Errorf("state file %s was written by an older qccbatch and must be rewritten in the current format, "+
			"but it has more than one name (hard links): make it a file of its own (copy it over itself), then run again", j.path)
	}
	if err != nil {
		return fmt.Errorf("state file %s: upgrade to format version %d: %w", j.path, journalVersion, err)
	}
	return nil
}

// eachRecord calls fn with every record of a journal that replay accepted,
// up to its end. The record's strings are valid only during the call.
func eachRecord(rd io.Reader, fn func(*record) error) error {
	br := bufio.NewReaderSize(rd, maxRecordLen+1)
	var rec record
	for {
		line, _, err := readLine(br)
		if err == io.EOF && len(line) == 0 {
			return nil
		}
		if err != nil && err != io.EOF {
			return err
		}
		if derr := decodeRecord(line, &rec); derr != nil {
			return derr
		}
		if err := fn(&rec); err != nil {
			return err
		}
		if err == io.EOF {
			return nil
		}
	}
}

// sectionAll reads a whole file from its start, whatever its offset.
func sectionAll(f *os.File) io.Reader { return io.NewSectionReader(f, 0, math.MaxInt64) }
