package journal

import (
	"errors"
	"fmt"
	"os"
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
	// errReadOnly. It works while a run holds the lock.
	ReadOnly bool
	// BatchDelay is how long a record other than an intent may wait for its
	// fsync [200ms]. Every record reaches the operating system before its
	// method returns, so only a power cut, not a killed process, can lose
	// one within that window. Intents are always durable on return.
	BatchDelay time.Duration

	// compactMin is the number of records below which the journal is never
	// compacted (tests lower it) [defaultCompactMin].
	compactMin int
	// Account is the API endpoint and key of this run. A write-open of a
	// state file that holds orders of another key, or of another endpoint
	// of the same key (unless NewEndpoint), fails with *AccountError, and a
	// sandbox file never opens for a real run nor the reverse. The run's
	// account is recorded only by Bind, once the API has accepted the key;
	// a state file that holds no order takes the account of the first run
	// that binds it. Empty fields are not checked. Read-only opens check
	// nothing: see Journal.Account.
	Account Account
	// NewEndpoint confirms that the run's endpoint replaces the one the
	// state file belongs to (the same key through a new proxy or a renamed
	// API host): Bind re-binds the file, and the run's record (StartRun)
	// names the endpoint it replaces. A sandbox file stays a sandbox file.
	NewEndpoint bool
	// Lang is the language of the errors' sentences: "en", else zh (see
	// InLang).
	Lang string

	// History keeps every order request in memory, for Orders (the ledger
	// and resolve commands). A run does without: a million-company book
	// would pay for it in memory.
	History bool

	// WriteRetry is how long the record of an accepted order is retried
	// when the state file cannot be written, before the order is saved to
	// the fallback file [10s].
	WriteRetry time.Duration

	// fsync replaces (*os.File).Sync in tests.
	fsync func(*os.File) error
	// writeAt replaces (*os.File).WriteAt for appends in tests.
	writeAt func(f *os.File, b []byte, off int64) (int, error)
	// pace replaces time.Sleep for a group commit's pacing in tests.
	pace func(time.Duration)
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
	// repairing is set while Repair rewrites the file, which then has a
	// second name on purpose (the damaged copy).
	repairing bool
	// crashed is set when the last writer did not close the file (see
	// crashEvidence).
	crashed bool

	mu sync.Mutex // guards the fields below and the ledger
	f  *os.File
	// fallback is the open fallback file and fallbackSize the bytes of
	// orders in it (see fallback.go).
	fallback     *os.File
	fallbackSize int64
	size         int64  // where the next record goes
	written      uint64 // records written so far in this session
	seq          int    // number of the last line in the file
	lineBuf      []byte // reused to encode records
	ledger       *ledger
	account      Account // the account the file belongs to ("" fields: not bound yet)
	want         Account // the run's account (Options.Account, normalised), recorded by Bind
	run          string  // the run in progress (StartRun), "" if none
	err          error   // sticky write error
	closed       bool
	timer        *time.Timer // pending background fsync, nil if none

	writtenSeq atomic.Uint64 // = written, readable without mu

	bindMu sync.Mutex // serialises Bind

	syncMu     sync.Mutex // guards the group-commit fields below
	syncCond   *sync.Cond
	syncing    bool          // a leader is in f.Sync
	synced     uint64        // records known to be on disk
	syncers    int           // goroutines in syncTo
	lastSync   time.Duration // how long the last fsync took
	syncEnded  time.Time     // when it ended
	syncErr    error         // sticky fsync error
	fileClosed bool
}

// Open opens the state file at path, creating it (mode 0600) if it
// does not exist, takes its exclusive lock, replays it and, when superseded
// records dominate, compacts it atomically. It fails with *LockedError if
// another run holds the lock, *CorruptError for a bad record before the end
// (a damaged, deleted or moved line), *VersionError for a format version it
// does not read, *NotJournalError for a file that is not a state file (or
// an empty one), *AccountError for a state file of another API account and
// *FileError for a file it cannot open.
//
// path may be a symlink: the file it leads to is opened, locked and, by
// compaction, replaced; the link stays a link.
func Open(path string, opt Options) (*Journal, error) {
	j, err := open(path, opt)
	return j, InLang(err, opt.Lang)
}

func open(path string, opt Options) (*Journal, error) {
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
	if opt.pace == nil {
		opt.pace = time.Sleep
	}
	if opt.writeAt == nil {
		opt.writeAt = (*os.File).WriteAt
	}
	if opt.WriteRetry <= 0 {
		opt.WriteRetry = defaultWriteRetry
	}
	j := &Journal{path: path, opt: opt, readOnly: opt.ReadOnly}
	j.syncCond = sync.NewCond(&j.syncMu)
	if opt.ReadOnly {
		return j, j.openReadOnly()
	}
	// A new file's header names no account: Bind records it once the API
	// has accepted the run's key.
	j.want = opt.Account.normalize()
	header, err := encodeRecord(nil, j.headerRecord().withSeq(1))
	if err != nil {
		return nil, err
	}
	f, target, err := openLocked(path, header)
	if err != nil {
		return nil, err
	}
	j.f, j.target = f, target
	if err := j.openWrite(); err != nil {
		if j.crashed {
			j.f.Close() // keep the holder file: it is the evidence of the crash
		} else {
			j.release()
		}
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
	target, terr := fsutil.Resolve(j.path)
	res, err := replay(j.path, f, j.opt.History, terr != nil || crashEvidence(target))
	if err != nil {
		return err
	}
	if res.fresh {
		return res.notJournal(j.path)
	}
	if terr == nil {
		mergeFallbackReadOnly(fallbackPath(target), res.led)
	}
	res.led.settle()
	j.ledger, j.account = res.led, res.account
	return nil
}

// Account returns the API endpoint and key fingerprint the state file
// belongs to; empty fields are not recorded yet (a new file whose run's key
// the API has not accepted yet, a file from an older qccbatch, or one
// never opened with Options.Account).
func (j *Journal) Account() Account {
	j.mu.Lock()
	defer j.mu.Unlock()
	return j.account
}

// Bound reports whether the state file already belongs to the run's
// account (Options.Account): Bind has nothing to record.
func (j *Journal) Bound() bool {
	j.mu.Lock()
	defer j.mu.Unlock()
	return j.bound()
}

func (j *Journal) bound() bool {
	next := j.account.rebind(j.want)
	return normalizeEndpoint(next.Endpoint) == normalizeEndpoint(j.account.Endpoint) &&
		next.KeyFingerprint == j.account.KeyFingerprint
}

// Bind records that the state file belongs to the run's account
// (Options.Account). The caller binds once the API has accepted the run's
// key (its first answer that is not an account error) and before any
// other order is requested: a key the API refused never binds a ledger.
// It re-binds a file that holds no order yet, or, with
// Options.NewEndpoint, one of another endpoint of the same key. Binding a
// bound file records nothing.
func (j *Journal) Bind() error {
	j.bindMu.Lock()
	defer j.bindMu.Unlock()
	j.mu.Lock()
	if j.bound() {
		j.mu.Unlock()
		return nil
	}
	next := j.account.rebind(j.want)
	run := j.run
	j.mu.Unlock()
	if err := j.append(&record{Op: opAccount, Run: run, Endpoint: next.Endpoint, KeyFP: next.KeyFingerprint}, false); err != nil {
		return err
	}
	j.mu.Lock()
	j.account = next
	j.mu.Unlock()
	return nil
}

// openWrite replays the journal under the lock, repairs a torn tail,
// compacts if worthwhile and leaves j.f open for appends.
func (j *Journal) openWrite() error {
	j.crashed = crashEvidence(j.target)
	writeHolder(j.target, holderInfo())
	sweepNewTemps(j.target)
	os.Remove(j.target + ".tmp") // a compaction that never finished
	if err := restrictMode(j.f); err != nil {
		return err
	}
	res, err := replay(j.path, sectionAll(j.f), j.opt.History, j.crashed)
	if err != nil {
		return err
	}
	if res.fresh {
		return res.notJournal(j.path)
	}
	if c := j.want.conflict(res.account); c == ConflictSandbox ||
		c != "" && res.led.holdsOrders() && (c != ConflictEndpoint || !j.opt.NewEndpoint) {
		return &AccountError{Path: j.path, Want: j.want, Have: res.account}
	}
	j.account = res.account
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
	j.size, j.seq = res.end, res.lines
	if res.version < journalVersion {
		if err := j.upgrade(res.end); err != nil {
			return err
		}
	}
	// Orders a previous run could only save to the fallback file come
	// first: they answer that run's intents.
	if err := j.mergeFallback(); err != nil {
		return err
	}
	// Intents a previous run left unanswered are uncertain from now on:
	// say so in the file, so that no later record can be read as their
	// answer.
	for _, k := range j.ledger.settle() {
		if err := j.append(&record{Op: opAmbiguous, Key: k.ID, Format: k.Format, Message: MsgNoAnswer}, false); err != nil {
			return err
		}
	}
	if j.ledger.records >= j.opt.compactMin && j.ledger.records > 2*j.ledger.len() {
		if _, err := j.compact(); err != nil {
			return err
		}
	}
	if err := j.Sync(); err != nil {
		return err
	}
	j.openFallback() // the merged orders are durable: start an empty one
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
