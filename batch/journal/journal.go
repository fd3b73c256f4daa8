package journal

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"github.com/qccbatch/qccbatch/batch/internal/fsutil"
)

// Options configure Open.
type Options struct {
	// Now is the clock for record times [time.Now].
	Now func() time.Time
	// ReadOnly opens the journal for status and export: no lock, no
	// compaction, no truncation of a torn tail, and every write fails with
	// ErrReadOnly. It works while a run holds the lock.
	ReadOnly bool
	// BatchDelay is how long a record other than an intent may wait for its
	// fsync [200ms]. Every record reaches the operating system before its
	// method returns, so only a power cut, not a killed process, can lose
	// one within that window. Intents are always durable on return.
	BatchDelay time.Duration

	// compactMin is the number of records below which the journal is never
	// compacted (tests lower it) [defaultCompactMin].
	compactMin int
	// fsync replaces (*os.File).Sync in tests.
	fsync func(*os.File) error
}

const (
	defaultBatchDelay = 200 * time.Millisecond
	defaultCompactMin = 1000
)

// Journal is the append-only, crash-safe state file of qccbatch and the
// ledger replayed from it. Its methods are safe for concurrent use.
type Journal struct {
	path     string // as the caller named it, for messages
	target   string // the file it resolves to: compaction replaces this
	opt      Options
	readOnly bool

	mu      sync.Mutex // guards the fields below and the ledger
	f       *os.File
	size    int64  // where the next record goes
	written uint64 // records written so far in this session
	ledger  *ledger
	err     error // sticky write error
	closed  bool
	timer   *time.Timer // pending background fsync, nil if none

	writtenSeq atomic.Uint64 // = written, readable without mu

	syncMu     sync.Mutex // guards the group-commit fields below
	syncCond   *sync.Cond
	syncing    bool   // a leader is in f.Sync
	synced     uint64 // records known to be on disk
	syncErr    error  // sticky fsync error
	fileClosed bool
}

// Open opens the state file at path, creating it (mode 0600) if it
// does not exist, takes its exclusive lock, replays it and, when superseded
// records dominate, compacts it atomically. It fails with *LockedError if
// another run holds the lock, *CorruptError for a bad record before the end,
// *VersionError for another format version and *NotJournalError for a file
// that is not a state file.
func Open(path string, opt Options) (*Journal, error) {
	if opt.Now == nil {
		opt.Now = time.Now
	}
	if opt.BatchDelay <= 0 {
		opt.BatchDelay = defaultBatchDelay
	}
	if opt.compactMin <= 0 {
		opt.compactMin = defaultCompactMin
	}
	if opt.fsync == nil {
		opt.fsync = (*os.File).Sync
	}
	j := &Journal{path: path, opt: opt, readOnly: opt.ReadOnly}
	j.syncCond = sync.NewCond(&j.syncMu)
	if opt.ReadOnly {
		return j, j.openReadOnly()
	}
	header, err := encodeRecord(nil, &record{Op: opHeader, Version: journalVersion, At: journalTime(opt.Now())})
	if err != nil {
		return nil, err
	}
	f, target, err := openLocked(path, header)
	if err != nil {
		return nil, err
	}
	j.f, j.target = f, target
	if err := j.openWrite(); err != nil {
		j.release()
		return nil, err
	}
	return j, nil
}

func (j *Journal) openReadOnly() error {
	f, err := os.Open(j.path)
	if err != nil {
		return fileError(j.path, err)
	}
	defer f.Close()
	if fi, err := f.Stat(); err != nil {
		return fileError(j.path, err)
	} else if fi.IsDir() {
		return fileError(j.path, errors.New("is a directory"))
	}
	res, err := replay(j.path, f)
	if err != nil {
		return err
	}
	if res.fresh {
		return res.notJournal(j.path)
	}
	res.led.settle()
	j.ledger = res.led
	return nil
}

// openWrite replays the journal under the lock, repairs a torn tail,
// compacts if worthwhile and leaves j.f open for appends.
func (j *Journal) openWrite() error {
	writeHolder(j.target, holderInfo())
	sweepNewTemps(j.target)
	os.Remove(j.target + ".tmp") // a compaction that never finished
	if err := restrictMode(j.f); err != nil {
		return err
	}
	res, err := replay(j.path, io.NewSectionReader(j.f, 0, math.MaxInt64))
	if err != nil {
		return err
	}
	if res.fresh {
		return res.notJournal(j.path)
	}
	settled := res.led.settle()
	j.ledger = res.led
	if fi, err := j.f.Stat(); err != nil {
		return err
	} else if fi.Size() > res.end {
		// A torn tail: cut it off so the next record starts a clean line.
		if err := j.f.Truncate(res.end); err != nil {
			return fmt.Errorf("truncate torn record in %s: %w", j.path, err)
		}
		if err := j.f.Sync(); err != nil {
			return err
		}
	}
	j.size = res.end
	if j.ledger.records >= j.opt.compactMin && j.ledger.records > 2*len(j.ledger.m) {
		if done, err := j.compact(); done || err != nil {
			return err
		}
	}
	// Intents a previous run left unanswered are uncertain from now on:
	// say so in the file, so that no later record can be read as their
	// answer.
	for _, k := range settled {
		if err := j.append(&record{Op: opAmbiguous, Key: k.ID, Format: k.Format, Message: MsgNoAnswer}, false); err != nil {
			return err
		}
	}
	return nil
}

// release closes the file, which releases its lock, and clears the
// holder's name.
func (j *Journal) release() error {
	writeHolder(j.target, "")
	return j.f.Close()
}

// restrictMode makes an existing state file private (0600) where the
// operating system has Unix permissions.
func restrictMode(f *os.File) error {
	if runtime.GOOS == "windows" {
		return nil
	}
	fi, err := f.Stat()
	if err != nil {
		return err
	}
	if fi.Mode().Perm()&0o077 != 0 {
		return f.Chmod(0o600)
	}
	return nil
}

// compact rewrites the journal as a header and one snapshot per company:
// a temporary file, locked, written and fsynced, renamed over the journal's
// target (never over a symlink leading to it), then the directory fsynced.
// The lock passes from the old file to the new one without a gap (see
// lock.go). A compaction that fails (done false) leaves the journal as it
// was and is not an error. A state file with more than one name (a hard
// link) is never compacted: the rename would split it into two files.
func (j *Journal) compact() (done bool, err error) {
	if fileLinkCount(j.f) > 1 {
		return false, nil
	}
	tmp := j.target + ".tmp"
	f, size, err := writeCompacted(tmp, j.ledger, j.opt.Now())
	if err == nil {
		if err = os.Rename(tmp, j.target); err != nil {
			f.Close()
		}
	}
	if err != nil {
		os.Remove(tmp)
		return false, nil
	}
	_ = fsutil.SyncDir(filepath.Dir(j.target))
	j.f.Close() // releases the old file's lock; the new one is held
	j.f, j.size = f, size
	j.ledger.records = len(j.ledger.m)
	return true, nil
}

// writeCompacted writes the ledger as a fresh journal at path and returns
// it open and locked.
func writeCompacted(path string, led *ledger, now time.Time) (*os.File, int64, error) {
	f, err := openFile(path, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return nil, 0, err
	}
	var size int64
	if ok, lerr := tryLock(f); !ok || lerr != nil {
		err = errors.Join(errors.New("cannot lock the compacted file"), lerr)
	} else {
		w := bufio.NewWriterSize(f, 256<<10)
		size, err = writeSnapshots(w, led, now)
		if err == nil {
			err = w.Flush()
		}
		if err == nil {
			err = f.Sync()
		}
	}
	if err != nil {
		f.Close()
		return nil, 0, err
	}
	return f, size, nil
}

// writeSnapshots writes a header and one snapshot per company of a settled
// ledger, and returns the bytes written.
func writeSnapshots(w io.Writer, led *ledger, now time.Time) (int64, error) {
	line, err := encodeRecord(nil, &record{Op: opHeader, Version: journalVersion, At: journalTime(now)})
	if err != nil {
		return 0, err
	}
	n, err := w.Write(line)
	size := int64(n)
	for _, e := range led.m {
		if err != nil {
			break
		}
		if line, err = encodeRecord(line[:0], e.snapshot()); err == nil {
			n, err = w.Write(line)
			size += int64(n)
		}
	}
	return size, err
}
