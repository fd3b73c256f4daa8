package journal

import (
	"fmt"
	"io"
	"os"
	"regexp"
	"strconv"
	"strings"

	"github.com/gofrs/flock"
)

// The lock is held on a side file, STATE.lock, never on the journal itself,
// so that compaction can replace the journal while the lock stays held and
// readers (status, export) are never blocked by it.
//
// The holder writes "pid=N host=H" into the lock file starting at byte 1:
// on Windows flock locks byte 0 with a mandatory lock, which other
// processes cannot read, while the rest of the file stays readable.
const lockInfoOffset = 1

// lockInfoLen is the fixed size of the holder field (padded with spaces),
// so a shorter pid never leaves a tail of an older one.
const lockInfoLen = 96

// journalLock is the exclusive lock of one open journal.
type journalLock struct {
	fl   *flock.Flock
	path string
}

// lockJournal takes the exclusive lock of the journal at path without
// waiting. It returns a *LockedError naming the holder if another process
// (or another Journal in this process) has it.
func lockJournal(path string) (*journalLock, error) {
	lp := path + ".lock"
	fl := flock.New(lp, flock.SetPermissions(0o600))
	ok, err := fl.TryLock()
	if err != nil {
		return nil, fmt.Errorf("lock state file %s: %w", path, err)
	}
	if !ok {
		pid, host := readLockHolder(lp)
		return nil, &LockedError{Path: path, PID: pid, Host: host}
	}
	l := &journalLock{fl: fl, path: lp}
	host, _ := os.Hostname()
	l.writeHolder(fmt.Sprintf("pid=%d host=%s", os.Getpid(), sanitizeHost(host)))
	return l, nil
}

// writeHolder records who holds the lock. It is advice for the error
// message of a second opener, so failures are ignored.
func (l *journalLock) writeHolder(info string) {
	f, err := os.OpenFile(l.path, os.O_WRONLY, 0o600)
	if err != nil {
		return
	}
	defer f.Close()
	if len(info) > lockInfoLen-1 {
		info = info[:lockInfoLen-1]
	}
	buf := []byte(info + strings.Repeat(" ", lockInfoLen-1-len(info)) + "\n")
	_, _ = f.WriteAt(buf, lockInfoOffset)
}

// release clears the holder and releases the lock. The lock file stays:
// removing it would race with a process that is just opening it.
func (l *journalLock) release() error {
	l.writeHolder("")
	return l.fl.Unlock()
}

var lockHolderRE = regexp.MustCompile(`pid=(\d+)(?: host=(\S+))?`)

// readLockHolder reads the holder's pid and host from the lock file.
func readLockHolder(lockPath string) (pid int, host string) {
	f, err := os.Open(lockPath)
	if err != nil {
		return 0, ""
	}
	defer f.Close()
	buf := make([]byte, lockInfoLen)
	n, err := f.ReadAt(buf, lockInfoOffset)
	if err != nil && err != io.EOF {
		return 0, ""
	}
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
