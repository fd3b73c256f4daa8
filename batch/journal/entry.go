package journal

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"time"

	"github.com/qccbatch/qccbatch/batch/outcome"
)

// entry is the replayed state of one company, packed: a ledger of a
// million companies keeps a million of them (see
// BenchmarkJournal_LedgerMemory). Times are milliseconds since the zero
// time (the journal's precision, see packTime), small enums are bytes, and
// the strings most companies do not have live in rare, allocated only for
// the companies that have one. The report URL is kept as the order number
// between two interned parts when it has that shape (it usually does).
// state builds the public State from it.
type entry struct {
	id      string
	orderNo string

	orderedAt   int64 // packTime; uncertain: when the request was sent
	completedAt int64
	requested   int64 // when the last intent was written

	orders, intents int32

	rare *rare // nil when every field of it is zero

	// urlPre and urlSuf are, with fURL, the interned parts (ledger.parts)
	// around the order number that make the report URL.
	urlPre, urlSuf uint16

	// file is the entry's file slot (ledger.files, 1-based), 0 if none
	// yet; with fFile it holds the downloaded report.
	file uint32

	format uint8
	base   uint8 // outcome code (outcomeCodes) before any open intent
	status uint8 // report status code (statusCodes)
	flags  uint8 // fOpen, fURL, fSearchKeyID
}

const (
	fOpen        = 1 << iota // an intent is open: the company shows as uncertain
	fURL                     // the report URL is parts[urlPre] + orderNo + parts[urlSuf]
	fSearchKeyID             // the search key is the ID; else rare.searchKey (or "")
	fFile                    // the downloaded report is in the file slot; else in rare
)

// rare holds what most companies lack, or have in an unusual form.
type rare struct {
	code          int // API status code of a refusal or cooldown
	message       string
	file, sha256  string
	url           string // a report URL not of the usual shape
	searchKey     string // a search key other than the ID
	status        string // a report status other than "", S, P, N and F
	outcome       outcome.Outcome
	cooldownUntil int64 // packTime
}

// outcomeCodes are the outcome codes of entry.base: NotOrdered is 0, so a
// new entry is not ordered. codeOther is an outcome kept in rare.outcome.
var outcomeCodes = [...]outcome.Outcome{outcome.NotOrdered, outcome.Pending, outcome.Ready, outcome.Failed,
	outcome.NotFound, outcome.Rejected, outcome.Uncertain, outcome.Invalid}

// statusCodes are the codes of entry.status; codeOther is a status kept in
// rare.status.
var statusCodes = [...]string{"", "S", "P", "N", "F"}

const codeOther = 255

const (
	cNotOrdered = 0
	cPending    = 1
	cReady      = 2
	cFailed     = 3
	cUncertain  = 6
)

// zeroUnixMilli is the zero time.Time in Unix milliseconds.
const zeroUnixMilli = -62135596800000

// packTime returns t in milliseconds since the zero time (0 for the zero
// time): the journal's precision, so that unpackTime(packTime(t)) ==
// journalTime(t).
func packTime(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixMilli() - zeroUnixMilli
}

// unpackTime returns the time packTime packed, in UTC.
func unpackTime(ms int64) time.Time {
	if ms == 0 {
		return time.Time{}
	}
	return time.UnixMilli(ms + zeroUnixMilli).UTC()
}

// key returns the company and format of e.
func (e *entry) key() Key { return Key{e.id, int(e.format)} }

func (e *entry) open() bool { return e.flags&fOpen != 0 }

// outcome returns the outcome before any open intent.
func (e *entry) outcome() outcome.Outcome {
	if e.base == codeOther {
		return e.rare.outcome
	}
	return outcomeCodes[e.base]
}

func (e *entry) setOutcome(o outcome.Outcome) {
	for i, k := range outcomeCodes {
		if o == k {
			e.base = uint8(i)
			if e.rare != nil {
				e.rare.outcome = ""
			}
			return
		}
	}
	e.base = codeOther
	e.r().outcome = outcome.Outcome(strings.Clone(string(o)))
}

func (e *entry) reportStatus() string {
	if e.status == codeOther {
		return e.rare.status
	}
	return statusCodes[e.status]
}

func (e *entry) setReportStatus(s string) {
	for i, k := range statusCodes {
		if s == k {
			e.status = uint8(i)
			if e.rare != nil {
				e.rare.status = ""
			}
			return
		}
	}
	e.status = codeOther
	e.r().status = strings.Clone(s)
}

func (e *entry) searchKey() string {
	if e.flags&fSearchKeyID != 0 {
		return e.id
	}
	if e.rare != nil {
		return e.rare.searchKey
	}
	return ""
}

// setSearchKey sets the search key, sharing the ID's string when equal.
func (e *entry) setSearchKey(sk string) {
	if sk == e.id {
		e.flags |= fSearchKeyID
		if e.rare != nil {
			e.rare.searchKey = ""
		}
		return
	}
	e.flags &^= fSearchKeyID
	if sk == "" {
		if e.rare != nil {
			e.rare.searchKey = ""
		}
		return
	}
	e.r().searchKey = strings.Clone(sk)
}

// r returns e.rare, allocating it.
func (e *entry) r() *rare {
	if e.rare == nil {
		e.rare = new(rare)
	}
	return e.rare
}

// tidy drops a rare that holds nothing.
func (e *entry) tidy() {
	if e.rare != nil && *e.rare == (rare{}) {
		e.rare = nil
	}
}

func (e *entry) code() int {
	if e.rare == nil {
		return 0
	}
	return e.rare.code
}

func (e *entry) message() string {
	if e.rare == nil {
		return ""
	}
	return e.rare.message
}

// file returns the downloaded report and its SHA-256.
func (l *ledger) file(e *entry) (path, sha256 string) {
	if e.flags&fFile != 0 {
		f := l.fileAt(e.file)
		return l.parts[f.pre] + e.id + l.parts[f.mid] + e.orderNo + l.parts[f.suf], hex.EncodeToString(f.sha[:])
	}
	if e.rare == nil {
		return "", ""
	}
	return e.rare.file, e.rare.sha256
}

// fileInfo is a downloaded report whose path is the company's ID and
// order number among interned parts, and whose SHA-256 is in lower-case
// hex, as qccbatch names and sums its downloads.
type fileInfo struct {
	sha           [sha256.Size]byte
	pre, mid, suf uint16 // path: parts[pre] + id + parts[mid] + orderNo + parts[suf]
}

// fileAt returns file slot n (1-based).
func (l *ledger) fileAt(n uint32) *fileInfo {
	i := int(n - 1)
	return &l.files[i/chunkLen][i%chunkLen]
}

// setFile sets the downloaded report: in a file slot of the entry when it
// has the usual shape, else whole in rare (copied).
func (l *ledger) setFile(e *entry, path, sum string) {
	e.flags &^= fFile
	if e.rare != nil {
		e.rare.file, e.rare.sha256 = "", ""
	}
	if path == "" && sum == "" {
		return
	}
	if f, ok := l.packFile(e, path, sum); ok {
		if e.file == 0 { // a slot of its own, reused by later downloads
			if l.nfiles%chunkLen == 0 {
				l.files = append(l.files, new([chunkLen]fileInfo))
			}
			l.nfiles++
			e.file = uint32(l.nfiles)
		}
		*l.fileAt(e.file) = f
		e.flags |= fFile
		return
	}
	r := e.r()
	r.file, r.sha256 = strings.Clone(path), strings.Clone(sum)
}

// packFile returns the file slot of path and sum, if they have the usual
// shape.
func (l *ledger) packFile(e *entry, path, sum string) (f fileInfo, ok bool) {
	if e.id == "" || e.orderNo == "" || len(sum) != 2*sha256.Size || strings.ToLower(sum) != sum {
		return f, false
	}
	if _, err := hex.Decode(f.sha[:], []byte(sum)); err != nil {
		return f, false
	}
	i := strings.Index(path, e.id)
	if i < 0 {
		return f, false
	}
	j := strings.LastIndex(path, e.orderNo)
	if j < i+len(e.id) {
		return f, false
	}
	var ok1, ok2, ok3 bool
	f.pre, ok1 = l.intern(path[:i])
	f.mid, ok2 = l.intern(path[i+len(e.id) : j])
	f.suf, ok3 = l.intern(path[j+len(e.orderNo):])
	return f, ok1 && ok2 && ok3
}

func (e *entry) cooldownUntil() int64 {
	if e.rare == nil {
		return 0
	}
	return e.rare.cooldownUntil
}

// setCodeMessage sets the API status code and message (copied).
func (e *entry) setCodeMessage(code int, msg string) {
	if code == 0 && msg == "" && e.rare == nil {
		return
	}
	r := e.r()
	r.code, r.message = code, strings.Clone(msg)
}

// url returns the report URL.
func (l *ledger) url(e *entry) string {
	if e.flags&fURL != 0 {
		return l.parts[e.urlPre] + e.orderNo + l.parts[e.urlSuf]
	}
	if e.rare != nil {
		return e.rare.url
	}
	return ""
}

// setURL sets the report URL of the current order number: as the parts
// around the order number when it contains it, else whole in rare.
func (l *ledger) setURL(e *entry, url string) {
	e.flags &^= fURL
	if e.rare != nil {
		e.rare.url = ""
	}
	if url == "" {
		return
	}
	if e.orderNo != "" {
		if i := strings.Index(url, e.orderNo); i >= 0 {
			pre, ok1 := l.intern(url[:i])
			suf, ok2 := l.intern(url[i+len(e.orderNo):])
			if ok1 && ok2 {
				e.flags |= fURL
				e.urlPre, e.urlSuf = pre, suf
				return
			}
		}
	}
	e.r().url = strings.Clone(url)
}

// maxParts bounds the interned URL parts: a server whose URLs differ in
// more than the order number fills the table, and the URLs it cannot take
// are kept whole.
const maxParts = 4096

// Interning: the strings many companies share are kept once. The URL and
// path parts around order numbers are numbered in ledger.parts (intern);
// outcomes and report statuses are the package's constants (internOutcome,
// internStatus; entry keeps them as codes, see outcomeCodes, statusCodes).

// intern returns the number of the URL part s.
func (l *ledger) intern(s string) (uint16, bool) {
	if i, ok := l.partIndex[s]; ok {
		return i, true
	}
	if len(l.parts) >= maxParts {
		return 0, false
	}
	if l.partIndex == nil {
		l.partIndex = make(map[string]uint16)
	}
	s = strings.Clone(s)
	i := uint16(len(l.parts))
	l.parts = append(l.parts, s)
	l.partIndex[s] = i
	return i, true
}

// internOutcome returns the constant equal to o, so that a ledger does not
// keep a copy per company.
func internOutcome(o outcome.Outcome) outcome.Outcome {
	for _, k := range outcome.All() {
		if o == k {
			return k
		}
	}
	return outcome.Outcome(strings.Clone(string(o)))
}

// internStatus does the same for report statuses (the history's rows).
func internStatus(s string) string {
	for _, k := range statusCodes {
		if s == k {
			return k
		}
	}
	return strings.Clone(s)
}
