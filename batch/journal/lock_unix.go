//go:build linux || darwin || freebsd || netbsd || openbsd || dragonfly

package journal

import (
	"errors"
	"io/fs"
	"os"
	"syscall"
)

// openFile opens a state file or one of its temporaries.
func openFile(name string, flag int, perm fs.FileMode) (*os.File, error) {
	return os.OpenFile(name, flag, perm)
}

// tryLock takes the exclusive flock of the open file f without waiting and
// reports whether it got it. flock locks belong to the open file
// description: another open of the same file, in this process or another,
// through any name, conflicts; closing f releases the lock.
func tryLock(f *os.File) (bool, error) {
	rc, err := f.SyscallConn()
	if err != nil {
		return false, err
	}
	var lerr error
	if err := rc.Control(func(fd uintptr) {
		for {
			lerr = syscall.Flock(int(fd), syscall.LOCK_EX|syscall.LOCK_NB)
			if !errors.Is(lerr, syscall.EINTR) {
				return
			}
		}
	}); err != nil {
		return false, err
	}
	if errors.Is(lerr, syscall.EWOULDBLOCK) {
		return false, nil
	}
	return lerr == nil, lerr
}

// fileLinkCount returns the number of names (hard links) of the open file f.
func fileLinkCount(f *os.File) uint64 {
	fi, err := f.Stat()
	if err != nil {
		return 1
	}
	if st, ok := fi.Sys().(*syscall.Stat_t); ok {
		return uint64(st.Nlink)
	}
	return 1
}

// replaceOpen renames tmp over the journal's file while both are open: on
// Unix the open old file simply loses its name.
func (j *Journal) replaceOpen(tmp string) error { return os.Rename(tmp, j.target) }
