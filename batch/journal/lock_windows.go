//go:build windows

package journal

import (
	"errors"
	"io/fs"
	"os"

	"golang.org/x/sys/windows"
)

// openFile opens a state file or one of its temporaries. Unlike os.OpenFile
// it shares delete access, so that compaction can rename a new file over the
// open (and locked) state file, as on Unix.
func openFile(name string, flag int, perm fs.FileMode) (*os.File, error) {
	p, err := windows.UTF16PtrFromString(name)
	if err != nil {
		return nil, err
	}
	access := uint32(windows.GENERIC_READ)
	if flag&(os.O_WRONLY|os.O_RDWR) != 0 {
		access |= windows.GENERIC_WRITE
	}
	var disposition uint32
	switch {
	case flag&(os.O_CREATE|os.O_EXCL) == os.O_CREATE|os.O_EXCL:
		disposition = windows.CREATE_NEW
	case flag&(os.O_CREATE|os.O_TRUNC) == os.O_CREATE|os.O_TRUNC:
		disposition = windows.CREATE_ALWAYS
	case flag&os.O_CREATE != 0:
		disposition = windows.OPEN_ALWAYS
	case flag&os.O_TRUNC != 0:
		disposition = windows.TRUNCATE_EXISTING
	default:
		disposition = windows.OPEN_EXISTING
	}
	share := uint32(windows.FILE_SHARE_READ | windows.FILE_SHARE_WRITE | windows.FILE_SHARE_DELETE)
	h, err := windows.CreateFile(p, access, share, nil, disposition, windows.FILE_ATTRIBUTE_NORMAL, 0)
	if err != nil {
		if errors.Is(err, windows.ERROR_FILE_EXISTS) {
			err = fs.ErrExist
		}
		return nil, &fs.PathError{Op: "open", Path: name, Err: err}
	}
	return os.NewFile(uintptr(h), name), nil
}

// lockOffset is where the locked byte lies: far beyond any real data,
// because a Windows byte-range lock is mandatory, and readers (status,
// export) must still read the whole file.
const lockOffsetHigh = 0x40000000 // 2^62

// tryLock takes the exclusive lock of the open file f without waiting and
// reports whether it got it. Closing f releases it.
func tryLock(f *os.File) (bool, error) {
	ol := &windows.Overlapped{OffsetHigh: lockOffsetHigh}
	err := windows.LockFileEx(windows.Handle(f.Fd()), windows.LOCKFILE_EXCLUSIVE_LOCK|windows.LOCKFILE_FAIL_IMMEDIATELY, 0, 1, 0, ol)
	if errors.Is(err, windows.ERROR_LOCK_VIOLATION) || errors.Is(err, windows.ERROR_IO_PENDING) {
		return false, nil
	}
	return err == nil, err
}

// fileLinkCount returns the number of names of the open file f.
func fileLinkCount(f *os.File) uint64 {
	var info windows.ByHandleFileInformation
	if err := windows.GetFileInformationByHandle(windows.Handle(f.Fd()), &info); err != nil {
		return 1
	}
	return uint64(info.NumberOfLinks)
}

// replaceOpen renames tmp over the journal's file. Windows refuses to
// replace a file that is open, even with delete sharing (MoveFileEx answers
// access denied), so the old file is closed first: its lock goes with it,
// while tmp's lock is already held. A second opener that locks the old file
// in between finds, when it checks the path again, that the path names
// another file, and starts over (see lock.go). If the rename fails, the old
// file is opened and locked again, so the journal is as it was.
func (j *Journal) replaceOpen(tmp string) error {
	if err := j.f.Close(); err != nil {
		return err
	}
	err := os.Rename(tmp, j.target)
	if err == nil {
		j.f = nil // closed; rewrite puts the new file in its place
		return nil
	}
	f, oerr := openFile(j.target, os.O_RDWR, 0)
	if oerr != nil {
		return errors.Join(err, oerr)
	}
	if ok, lerr := tryLock(f); !ok || lerr != nil {
		_ = f.Close()
		return errors.Join(err, errors.New("the state file's lock was lost while it was being rewritten"), lerr)
	}
	j.f = f
	return err
}
