package journal

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
)

// Reading a damaged state file (Repair, ReadDamaged): every record that
// reads well is applied, every other line is a DroppedLine.

// scanned is what scanDamaged read of a damaged state file.
type scanned struct {
	led      *ledger
	kept     []record // every valid record but the header and account records
	dropped  []DroppedLine
	account  Account
	version  int
	lastKept int // line of the last valid record
}

// scanDamaged reads a state file past its damage: every record that reads
// well, in order, is applied to a ledger (and kept, with keep), and every
// other line is a DroppedLine, as are runs of missing lines (told by the
// record numbers). crashed says whether zero bytes at the end may be a torn
// tail (see crashEvidence).
func scanDamaged(path string, rd io.Reader, keep, crashed bool) (*scanned, error) {
	sc := &scanned{led: newLedger()}
	lastSeq := 0
	shift := 0 // record number minus line number, from deleted lines
	br := bufio.NewReaderSize(rd, maxRecordLen+1)
	for lineNo := 1; ; lineNo++ {
		line, n, rerr := readLine(br)
		if n == 0 && rerr != nil {
			if rerr == io.EOF {
				break
			}
			return nil, fileError(path, rerr)
		}
		var rec record
		derr := errNoNewline
		if line != nil && rerr == nil {
			derr = decodeRecord(line, &rec)
		}
		switch {
		case isNULs(line):
			sc.dropped = append(sc.dropped, DroppedLine{Line: lineNo, Reason: "zero bytes", nul: true})
			continue
		case derr != nil:
			sc.dropped = append(sc.dropped, DroppedLine{Line: lineNo, Reason: derr.Error(), Key: guessKey(line), nul: bytes.IndexByte(line, 0) >= 0})
			continue
		case rec.Op == opHeader:
			if lineNo != 1 || rec.Version < oldestVersion || rec.Version > journalVersion {
				sc.dropped = append(sc.dropped, DroppedLine{Line: lineNo, Reason: "a header record out of place"})
				continue
			}
			sc.version, lastSeq = rec.Version, 1
			sc.account = sc.account.merge(Account{Endpoint: rec.Endpoint, KeyFingerprint: rec.KeyFP})
			sc.lastKept = lineNo
			continue
		}
		if sc.version >= 2 || rec.Seq > 0 {
			if rec.Seq <= lastSeq {
				sc.dropped = append(sc.dropped, DroppedLine{Line: lineNo, Reason: fmt.Sprintf("record number %d repeated or moved", rec.Seq),
					Key: Key{strings.Clone(rec.Key), rec.Format}})
				continue
			}
			// Lines are numbered from the header: a number ahead of its
			// line by more than before means lines were deleted.
			if d := rec.Seq - lineNo; d > shift {
				sc.dropped = append(sc.dropped, DroppedLine{Line: lineNo, Reason: fmt.Sprintf("%d records before this line are missing", d-shift), missing: true})
				shift = d
			}
			lastSeq = rec.Seq
		}
		sc.lastKept = lineNo
		if rec.Op == opAccount {
			sc.account = sc.account.rebind(Account{Endpoint: rec.Endpoint, KeyFingerprint: rec.KeyFP})
			continue
		}
		sc.led.apply(&rec)
		if keep {
			sc.kept = append(sc.kept, cloneRecord(&rec))
		}
	}
	for i := range sc.dropped {
		d := &sc.dropped[i]
		switch {
		case d.Line > sc.lastKept:
			// The end of the file: a torn tail after a crash; zero bytes
			// after a clean close are a zeroed block of durable records.
			d.Lost = d.nul && !crashed
		default:
			d.Lost = d.missing || d.nul || d.Key.ID == ""
		}
	}
	return sc, nil
}

// keyRE and formatRE find the company of a damaged line, best effort.
var (
	keyRE    = regexp.MustCompile(`"k":"((?:[^"\\]|\\.)*)"`)
	formatRE = regexp.MustCompile(`"f":([12])[,}]`)
)

// guessKey finds the company a damaged line seems to be about.
func guessKey(line []byte) Key {
	k, f := keyRE.FindSubmatch(line), formatRE.FindSubmatch(line)
	if k == nil || f == nil {
		return Key{}
	}
	id, err := strconv.Unquote(`"` + string(k[1]) + `"`)
	if err != nil || id == "" {
		return Key{}
	}
	format, _ := strconv.Atoi(string(f[1]))
	return Key{id, format}
}
