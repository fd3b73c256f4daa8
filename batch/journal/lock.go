package journal

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/qccbatch/qccbatch/batch/internal/fsutil"
)

// One writer per file, whatever the path.
//
// The exclusive lock is taken on the state file itself, on the open file
// (flock on Unix, LockFileEx on Windows), not on a side file found by name:
// a lock bound to the file's identity is shared by every path that reaches
// it (a symlink, a hard link, a relative or an absolute path), and there is
// no lock file a user could delete to let a second writer in.
//
// Compaction replaces the file by rename, which gives the path a new
// identity. The writer hands the lock over: it locks the new file before
// the rename makes it visible and releases the old one only after. A second
// opener that locked the old file just as it was released re-checks, after
// locking, that the path still names the file it locked (device and inode,
// or volume and file index on Windows) and starts again if not, so it always
// ends up contending for the lock of the current file. A hard-linked state
// file is never compacted (a rename would split its names into two files).
//
// Who holds the lock is advice for the error message only: the holder
// writes "pid=N host=H" into STATE.lock beside the resolved state file.
// Deleting that file, or opening through a hard link (whose name has no
// holder file beside it), loses the pid in the message, never the lock.

// maxOpenAttempts bounds how often Open starts again because the state file
// was replaced (compacted) between opening and locking it.
const maxOpenAttempts = 20

// openLocked opens the state file at path for writing and takes its lock,
// creating it with header when it does not exist. It returns the open,
// locked file and the path of the file it really is (symlinks resolved).
func openLocked(path string, header []byte) (f *os.File, target string, err error) {
	for range maxOpenAttempts {
		target, err = fsutil.Resolve(path)
		if err != nil {
			return nil, "", fileError(path, err)
		}
		f, err = openFile(target, os.O_RDWR, 0)
		if errors.Is(err, fs.ErrNotExist) {
			f, err = createJournal(target, header)
			if errors.Is(err, fs.ErrExist) {
				continue // another run created it meanwhile: contend for its lock
			}
			if err != nil {
				return nil, "", fileError(path, err)
			}
		} else if err != nil {
			return nil, "", fileError(path, err)
		} else {
			ok, lerr := tryLock(f)
			if lerr != nil {
				f.Close()
				return nil, "", fmt.Errorf("lock state file %s: %w", path, fsutil.UnwrapPathError(lerr))
			}
			if !ok {
				f.Close()
				pid, host := readLockHolder(holderPath(target))
				return nil, "", &LockedError{Path: path, PID: pid, Host: host}
			}
		}
		if same, serr := namesFile(target, f); serr != nil || !same {
			f.Close() // replaced (compacted) or removed meanwhile: start again
			continue
		}
		return f, target, nil
	}
	return nil, "", fmt.Errorf("state file %s: it keeps being replaced by another process", path)
}

// namesFile reports whether path (symlinks followed) is the open file f.
func namesFile(path string, f *os.File) (bool, error) {
	a, err := f.Stat()
	if err != nil {
		return false, err
	}
	b, err := os.Stat(path)
	if err != nil {
		return false, err
	}
	return os.SameFile(a, b), nil
}

// createJournal creates the state file at target, holding header, and
// returns it open and locked. The file appears at target complete: it is
// written and fsynced under a temporary name and hard-linked into place, so
// a crash never leaves an empty or headerless state file (which Open
// refuses), and two runs creating it at once cannot both win (the link fails
// with fs.ErrExist for the second). Where the file system has no hard links
// it falls back to an exclusive create at target, where only a crash
// between the create and the header's fsync can leave an empty file.
func createJournal(target string, header []byte) (*os.File, error) {
	dir, base := filepath.Split(target)
	tmp := filepath.Join(dir, "."+base+newInfix+randomSuffix())
	t, err := openFile(tmp, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return nil, err
	}
	if err := writeNewFile(t, header); err != nil {
		t.Close()
		os.Remove(tmp)
		return nil, err
	}
	lerr := os.Link(tmp, target)
	if lerr == nil {
		os.Remove(tmp)
		return t, syncDirOf(target, t)
	}
	t.Close()
	os.Remove(tmp)
	if errors.Is(lerr, fs.ErrExist) {
		return nil, lerr
	}
	f, err := openFile(target, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return nil, err
	}
	if err := writeNewFile(f, header); err != nil {
		f.Close()
		return nil, err
	}
	return f, syncDirOf(target, f)
}

// writeNewFile locks a file nobody else knows yet, writes data and fsyncs.
func writeNewFile(f *os.File, data []byte) error {
	if ok, err := tryLock(f); err != nil || !ok {
		return errors.Join(errors.New("cannot lock a new file"), err)
	}
	if _, err := f.WriteAt(data, 0); err != nil {
		return err
	}
	return f.Sync()
}

// syncDirOf makes a new name in target's directory durable; on failure it
// closes f.
func syncDirOf(target string, f *os.File) error {
	if err := fsutil.SyncDir(filepath.Dir(target)); err != nil {
		f.Close()
		return err
	}
	return nil
}

// newInfix names the temporaries of createJournal: ".book.qccstate.new-1a2b3c4d".
const newInfix = ".new-"

func randomSuffix() string {
	var b [6]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// sweepNewTemps removes what a crash in createJournal left beside target.
func sweepNewTemps(target string) {
	_, _ = fsutil.SweepPrefix(filepath.Dir(target), "."+filepath.Base(target)+newInfix, time.Minute)
}

// holderPath is the file naming the lock's holder, beside the state file.
func holderPath(target string) string { return target + ".lock" }

// lockInfoLen bounds what readLockHolder reads.
const lockInfoLen = 128

// writeHolder records who holds the lock, or clears it with info "". It is
// advice for the error message of a second opener, so failures are ignored.
func writeHolder(target, info string) {
	if info == "" {
		_ = os.Remove(holderPath(target))
		return
	}
	// Made durable: after a power cut, the holder file is the evidence that
	// the file may end in a torn record (see crashEvidence).
	f, err := os.OpenFile(holderPath(target), os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return
	}
	if _, err := f.WriteString(info + "\n"); err == nil {
		_ = f.Sync()
	}
	_ = f.Close()
}

// holderInfo describes this process for writeHolder.
func holderInfo() string {
	host, _ := os.Hostname()
	return fmt.Sprintf("pid=%d host=%s", os.Getpid(), sanitizeHost(host))
}

var lockHolderRE = regexp.MustCompile(`pid=(\d+)(?: host=(\S+))?`)

// readLockHolder reads the holder's pid and host from the holder file.
func readLockHolder(holderFile string) (pid int, host string) {
	f, err := os.Open(holderFile)
	if err != nil {
		return 0, ""
	}
	defer f.Close()
	buf := make([]byte, lockInfoLen)
	n, _ := f.Read(buf)
	m := lockHolderRE.FindSubmatch(buf[:n])
	if m == nil {
		return 0, ""
	}
	pid, _ = strconv.Atoi(string(m[1]))
	return pid, string(m[2])
}

// sanitizeHost keeps a host name to one printable token.
func sanitizeHost(h string) string {
	return strings.Map(func(r rune) rune {
		if r <= ' ' || r == 0x7f {
			return -1
		}
		return r
	}, h)
}
