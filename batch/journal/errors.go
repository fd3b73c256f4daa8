package journal

import (
	"errors"
	"io/fs"

	"github.com/qccbatch/qccbatch/batch/internal/fsutil"
	"github.com/qccbatch/qccbatch/batch/msg"
)

// errClosed is returned by a journal method called after Close.
var errClosed = errors.New("state file is closed")

// errReadOnly is returned by a write on a journal opened read-only.
var errReadOnly = errors.New("state file is open read-only")

// CorruptError reports a damaged record before the end of the state file:
// replaying past it could misread the ledger, so the program stops (exit 2).
type CorruptError struct {
	Path   string
	Line   int // 1-based line of the bad record
	Reason string
	// State is the state file to repair when Path is its fallback file
	// (STATE.pending-orders, see fallback.go); "" when Path is the state
	// file.
	State string

	why    reason // Reason in the catalogue, if it is there
	inLang        // the language of Error
}

func (e *CorruptError) Error() string {
	if e.State != "" {
		return msg.Text(e.lang, msg.JFallbackCorrupt, e.Path, e.Line, e.why.text(e.lang, e.Reason), e.State)
	}
	return msg.Text(e.lang, msg.JCorrupt, e.Path, e.Line, e.why.text(e.lang, e.Reason))
}

// reason is a Reason of the catalogue: its id and arguments. The Reason
// field keeps the English text, as the state file's tools always had it.
type reason struct {
	id   msg.ID
	args []any
}

func because(id msg.ID, args ...any) reason { return reason{id, args} }

// text returns the reason in lang, or as if it is not in the catalogue
// (a decoder's error).
func (r reason) text(lang, as string) string {
	if r.id == msg.None {
		return as
	}
	return msg.Text(lang, r.id, r.args...)
}

// en returns the reason's English text, for the Reason field.
func (r reason) en() string { return msg.Text("en", r.id, r.args...) }

// InLang makes the state-file errors in err's chain (*CorruptError,
// *VersionError, *NotJournalError, *LockedError, *FileError,
// *AccountError) write their sentence in lang (see outcome.Lang), and
// returns err. Open and Repair do it with their options' Lang; a caller
// that builds one of these errors itself does it too. Unset, the sentence
// is zh, as every sentence of the program without a --lang.
func InLang(err error, lang string) error {
	for e := err; e != nil; e = errors.Unwrap(e) {
		if l, ok := e.(interface{ setLang(string) }); ok {
			l.setLang(lang)
		}
	}
	return err
}

// inLang is the language a state-file error writes its sentence in; each
// of them embeds it, so InLang can set it on any.
type inLang struct{ lang string }

func (l *inLang) setLang(lang string) { l.lang = lang }

// VersionError reports a state file written in another format version.
type VersionError struct {
	Path    string
	Version int // the file's version

	inLang // the language of Error
}

func (e *VersionError) Error() string {
	return msg.Text(e.lang, msg.JVersion, e.Path, e.Version, journalVersion)
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

	why    reason // Reason in the catalogue, if it is there
	inLang        // the language of Error
}

func (e *NotJournalError) Error() string {
	if e.Reason == "" {
		return msg.Text(e.lang, msg.JNotJournal, e.Path)
	}
	return msg.Text(e.lang, msg.JRefused, e.Path, e.why.text(e.lang, e.Reason))
}

// notJournal returns a *NotJournalError for path with a reason of the
// catalogue.
func notJournal(path string, why reason) *NotJournalError {
	return &NotJournalError{Path: path, Reason: why.en(), why: why}
}

// corrupt returns a *CorruptError at line with a reason of the catalogue.
func corrupt(path string, line int, why reason) *CorruptError {
	return &CorruptError{Path: path, Line: line, Reason: why.en(), why: why}
}

// LockedError reports a state file in use by another run.
type LockedError struct {
	Path string
	PID  int    // the holder's process id, 0 if unknown
	Host string // the holder's host name, if known

	inLang // the language of Error
}

func (e *LockedError) Error() string {
	holder := msg.Text(e.lang, msg.JHolder)
	switch {
	case e.PID > 0 && e.Host != "":
		holder = msg.Text(e.lang, msg.JHolderPIDHost, e.PID, e.Host)
	case e.PID > 0:
		holder = msg.Text(e.lang, msg.JHolderPID, e.PID)
	}
	return msg.Text(e.lang, msg.JLocked, e.Path, holder)
}

// FileError reports a state file that cannot be opened or read: missing
// (where it must exist), a directory, no permission. Nothing was done.
type FileError struct {
	Path string
	Err  error // the cause, without the path

	inLang // the language of Error
}

func (e *FileError) Error() string {
	if errors.Is(e.Err, fs.ErrNotExist) {
		return msg.Text(e.lang, msg.JFileMissing, e.Path)
	}
	return msg.Text(e.lang, msg.JFile, e.Path, e.Err)
}

func (e *FileError) Unwrap() error { return e.Err }

// fileError wraps an error of opening or reading path as a *FileError.
func fileError(path string, err error) error {
	return &FileError{Path: path, Err: fsutil.UnwrapPathError(err)}
}
