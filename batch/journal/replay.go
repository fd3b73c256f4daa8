package journal

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"

	"github.com/qccbatch/qccbatch/batch/msg"
)

// maxRecordLen bounds one journal line. Longer lines are bad records.
const maxRecordLen = 64 << 10

// replayed is what reading a journal file produced.
type replayed struct {
	led *ledger
	// end is the offset just after the last good record: appends go there,
	// and anything after it is a torn tail to be truncated.
	end int64
	// fresh is set when the file holds no header: it is empty, or its only
	// line is a torn header. Open refuses such a file (see notJournal).
	fresh bool
	// empty is set for a file of 0 bytes.
	empty bool
	// lines is the number of the last good line.
	lines int
	// version is the header's format version.
	version int
	// account is the API endpoint and key the file belongs to, from its
	// header and any later account record.
	account Account
}

var errNoNewline = errors.New("no newline")

// headerPrefix starts every header line; a torn header is a prefix of it or
// starts with it.
var headerPrefix = []byte(`{"op":"header"`)

// replay reads a whole journal and folds it into a ledger. A bad record
// (torn write, bad checksum, bad JSON) at the very end is the end of the log;
// NUL bytes after it (blocks a power cut allocated but never wrote) are part
// of that torn tail. A bad record followed by a good one, or by a second bad
// one, is corruption: a *CorruptError with its line number. With history,
// the ledger keeps the order history (see history.go).
//
// Zero bytes in the bad tail are a torn tail only when crashed is set (the
// last writer never closed the file, see crashEvidence): after a clean
// close every record was durable, so zeros at the end are a zeroed block of
// complete records, lost, and a *CorruptError too.
func replay(path string, rd io.Reader, history, crashed bool) (*replayed, error) {
	res := &replayed{led: newLedger()}
	if history {
		res.led.hist = newHistory(res.led)
	}
	br := bufio.NewReaderSize(rd, maxRecordLen+1)
	var (
		off    int64
		lineNo int
		rec    record
		bad    badTail
	)
	for {
		line, n, err := readLine(br)
		if n == 0 && err != nil {
			if err == io.EOF {
				break
			}
			return nil, fmt.Errorf("read state file %s: %w", path, err)
		}
		lineNo++
		off += int64(n)
		if isNULs(line) {
			// Blocks a power cut allocated but never wrote: part of a torn
			// tail unless a good record follows.
			bad.add(lineNo, errors.New("zero bytes"))
			bad.nul = true
			continue
		}
		derr := errNoChecksum
		switch {
		case err == io.EOF:
			derr = errNoNewline // written only in part, whatever it holds
		case line != nil:
			derr = decodeRecord(line, &rec)
		}
		if derr != nil {
			if bad.text {
				return nil, corruptOrForeign(path, bad.line, bad.err, bad.foreign)
			}
			bad.text = true
			bad.nul = bad.nul || bytes.IndexByte(line, 0) >= 0
			bad.foreign = res.lines == 0 && !looksLikeHeader(line)
			bad.add(lineNo, derr)
			continue
		}
		if bad.line != 0 {
			return nil, corruptOrForeign(path, bad.line, bad.err, bad.foreign)
		}
		if err := res.take(path, lineNo, &rec); err != nil {
			return nil, err
		}
		res.end = off
	}
	if bad.nul && !crashed && res.lines > 0 {
		return nil, corrupt(path, bad.line, because(msg.JReasonZeroedEnd))
	}
	if res.lines == 0 {
		if bad.foreign {
			return nil, &NotJournalError{Path: path}
		}
		res.fresh = true
		res.empty = off == 0
	}
	return res, nil
}

// badTail is what replay saw of the bad lines after the last good record:
// a torn tail if no good record follows, else corruption.
type badTail struct {
	line    int   // first bad line after the last good one, 0 if none
	err     error // why it is bad
	text    bool  // a bad line that is not only NUL bytes was seen
	nul     bool  // a bad line holds NUL bytes
	foreign bool  // that line, before any header, does not look like one
}

// add notes bad line lineNo, if it is the first.
func (t *badTail) add(lineNo int, why error) {
	if t.line == 0 {
		t.line, t.err = lineNo, why
	}
}

// take checks the good record rec of line lineNo against the header and
// the numbering, and folds it in.
func (res *replayed) take(path string, lineNo int, rec *record) error {
	if res.lines == 0 {
		if rec.Op != opHeader {
			return corrupt(path, lineNo, because(msg.JReasonNoHeader))
		}
		if rec.Version < oldestVersion || rec.Version > journalVersion {
			return &VersionError{Path: path, Version: rec.Version}
		}
		res.version = rec.Version
	}
	if res.version >= 2 && rec.Seq != lineNo {
		return corrupt(path, lineNo, seqReason(rec.Seq, lineNo))
	}
	switch {
	case res.lines == 0, rec.Op == opAccount: // a later account record re-binds the file
		res.account = res.account.rebind(Account{Endpoint: rec.Endpoint, KeyFingerprint: rec.KeyFP})
	case rec.Op == opHeader:
		return corrupt(path, lineNo, because(msg.JReasonSecondHeader))
	default:
		res.led.apply(rec)
	}
	res.lines = lineNo
	return nil
}

// notJournal explains why a file without a header is refused. qccbatch
// creates a state file complete with its header (see createJournal), so an
// empty or headerless file was made or truncated by something else: taking
// it as new would order every company again.
func (res *replayed) notJournal(path string) error {
	if res.empty {
		return notJournal(path, because(msg.JReasonEmpty))
	}
	return notJournal(path, because(msg.JReasonIncomplete))
}

// seqReason explains a record whose number is not its line's.
func seqReason(seq, line int) reason {
	if seq > line {
		return because(msg.JReasonSeqDeleted, seq, line)
	}
	return because(msg.JReasonSeqAdded, seq, line)
}

// corruptOrForeign explains a bad line that is not the end of the log.
func corruptOrForeign(path string, line int, why error, foreign bool) error {
	if foreign {
		return &NotJournalError{Path: path}
	}
	return &CorruptError{Path: path, Line: line, Reason: why.Error()}
}

// readLine returns the next line without its newline, and the number of
// bytes it took in the file. A line longer than maxRecordLen is consumed
// and returned as nil (a bad record). The error is io.EOF for a last line
// without a newline.
func readLine(br *bufio.Reader) (line []byte, n int, err error) {
	line, err = br.ReadSlice('\n')
	n = len(line)
	if err == bufio.ErrBufferFull {
		for err == bufio.ErrBufferFull {
			var more []byte
			more, err = br.ReadSlice('\n')
			n += len(more)
		}
		line = nil
	}
	if err != nil && err != io.EOF {
		return nil, n, err
	}
	if line != nil && err == nil {
		line = line[:len(line)-1]
	}
	return line, n, err
}

// isNULs reports whether line is non-empty and all zero bytes.
func isNULs(line []byte) bool {
	if len(line) == 0 {
		return false
	}
	for _, b := range line {
		if b != 0 {
			return false
		}
	}
	return true
}

// looksLikeHeader reports whether a bad first line is a header torn while
// the file was created (a prefix of one, or one with a bad checksum) rather
// than the start of some other file.
func looksLikeHeader(line []byte) bool {
	return len(line) > 0 && (bytes.HasPrefix(line, headerPrefix) || bytes.HasPrefix(headerPrefix, line))
}
