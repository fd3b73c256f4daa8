package journal

import (
	"errors"
	"fmt"
	"io/fs"

	"github.com/qccbatch/qccbatch/batch/internal/fsutil"
)

// ErrClosed is returned by a journal method called after Close.
var ErrClosed = errors.New("state file is closed")

// ErrReadOnly is returned by a write on a journal opened read-only.
var ErrReadOnly = errors.New("state file is open read-only")

// CorruptError reports a damaged record before the end of the state file:
// replaying past it could misread the ledger, so the program stops (exit 2).
type CorruptError struct {
	Path   string
	Line   int // 1-based line of the bad record
	Reason string
}

func (e *CorruptError) Error() string {
	return fmt.Sprintf("state file %s: corrupt record at line %d (%s): it was changed outside qccbatch or the disk is damaged; restore it from a backup or move it aside",
		e.Path, e.Line, e.Reason)
}

// VersionError reports a state file written in another format version.
type VersionError struct {
	Path    string
	Version int // the file's version
}

func (e *VersionError) Error() string {
	return fmt.Sprintf("state file %s has format version %d, this qccbatch reads version %d: use the qccbatch version that wrote it",
		e.Path, e.Version, journalVersion)
}

// NotJournalError reports a file that is not a qccbatch state file (no
// header record): another file passed as --state by mistake, or an empty or
// truncated one, which is never taken as a new state file. The file is left
// untouched.
type NotJournalError struct {
	Path string
	// Reason says what is wrong when the file may have been a state file
	// ("it is empty (0 bytes)"); empty for a file of other content.
	Reason string
}

func (e *NotJournalError) Error() string {
	if e.Reason == "" {
		return fmt.Sprintf("%s is not a qccbatch state file (no header record): refusing to use it", e.Path)
	}
	return fmt.Sprintf("state file %s is refused: %s. qccbatch never leaves a state file without its header, so it was "+
		"truncated or made by another program; taking it as new would order every company again. Restore it from a "+
		"backup, or delete it if you are sure no order was placed with it", e.Path, e.Reason)
}

// LockedError reports a state file in use by another run.
type LockedError struct {
	Path string
	PID  int    // the holder's process id, 0 if unknown
	Host string // the holder's host name, if known
}

func (e *LockedError) Error() string {
	holder := "another qccbatch process"
	switch {
	case e.PID > 0 && e.Host != "":
		holder = fmt.Sprintf("qccbatch pid %d on %s", e.PID, e.Host)
	case e.PID > 0:
		holder = fmt.Sprintf("qccbatch pid %d", e.PID)
	}
	return fmt.Sprintf("state file %s is in use by %s: wait for that run to finish or stop it", e.Path, holder)
}

// FileError reports a state file that cannot be opened or read: missing
// (where it must exist), a directory, no permission. Nothing was done.
type FileError struct {
	Path string
	Err  error // the cause, without the path
}

func (e *FileError) Error() string {
	if errors.Is(e.Err, fs.ErrNotExist) {
		return fmt.Sprintf("state file %s does not exist", e.Path)
	}
	return fmt.Sprintf("state file %s: %v", e.Path, e.Err)
}

func (e *FileError) Unwrap() error { return e.Err }

// fileError wraps an error of opening or reading path as a *FileError.
func fileError(path string, err error) error {
	return &FileError{Path: path, Err: fsutil.UnwrapPathError(err)}
}
