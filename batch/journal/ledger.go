package journal

import (
	"crypto/sha256"
	"encoding/hex"
	"hash/maphash"
	"strconv"
	"strings"
	"time"

	"github.com/qccbatch/qccbatch/batch/outcome"
)

// MsgResolveAdvice ends the message of every uncertain company: what a
// person should do about it.
const MsgResolveAdvice = "an order may have been placed: look it up in Qichacha's order list, then `qccbatch resolve`"

// MsgNoAnswer is the message of a company whose order request was announced
// in the journal but never answered (the program stopped in between): the
// order may have been placed, so the company is uncertain.
const MsgNoAnswer = "order request sent but no answer recorded (program stopped): " + MsgResolveAdvice

// uncertainMessage returns the message of an uncertain company whose
// request ended with cause: the cause and the advice.
func uncertainMessage(cause string) string {
	if strings.Contains(cause, "`qccbatch resolve`") {
		return cause
	}
	// Written by an older qccbatch, without the advice.
	cause = strings.TrimSuffix(cause, ": an order may have been placed")
	if cause == "" {
		return MsgResolveAdvice
	}
	return cause + ": " + MsgResolveAdvice
}

// State is what the journal knows about one company and report format.
type State struct {
	Key              // the company and report format
	SearchKey string // what was sent to the API

	// outcome.Outcome is derived from the events: not_ordered (only cancelled
	// intents or a cooldown), pending (ordered, not finished), ready, failed,
	// not_found, rejected or uncertain (an intent without an answer).
	Outcome outcome.Outcome

	// Message is the API's message of a refusal or cooldown; for an
	// uncertain company, the cause and MsgResolveAdvice.

	OrderNo      string
	Code         string // API status code of a refusal or cooldown
	Message      string
	ReportStatus string // last GetReportInfo status: N, P, S or F
	ReportURL    string
	File         string // downloaded report
	SHA256       string

	OrderedAt     time.Time // when the current order was placed; uncertain: when the request was sent
	CompletedAt   time.Time // when it became ready, failed, not_found or rejected
	CooldownUntil time.Time // the search key may not be ordered before this

	Orders  int // orders placed for this company over all runs
	Intents int // order requests announced over all runs
}

// Key names a company in the state file: its normalised de-duplication
// key and the report format. A company ordered in two formats is two
// companies here.
type Key struct {
	ID     string // normalised de-duplication key (identifier.ID.Key)
	Format int    // report format: 1 pdf, 2 word
}

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

// ledger is the state replayed from the journal: one entry per company, so
// its size follows the number of companies, not of records. Entries are
// kept by value in fixed-size chunks, in the order the journal first saw
// their companies (so Each is stable from run to run); an entry never
// moves, so a pointer to it stays valid. slots is an open-addressing hash
// table (linear probing) of entry numbers plus one, 0 for a free slot,
// keyed by the entry's ID and format.
type ledger struct {
	slots   []int32
	seed    maphash.Seed
	chunks  []*[chunkLen]entry
	n       int // entries
	records int // company records applied (not the header)
	// parts are the interned parts of report URLs and file paths (see
	// setURL, setFile).
	parts     []string
	partIndex map[string]uint16
	// files are the entries' file slots, in chunks like the entries.
	files  []*[chunkLen]fileInfo
	nfiles int
	// audit holds the audit records (runs, resolutions, repairs): few, so
	// kept whole, for Runs and for compaction to copy.
	audit []record
	// hist is the order history, nil unless kept (see history.go).
	hist *history
	// polls are the poll times of the latest finished orders (see
	// PollHistory).
	polls pollRing
}

// chunkLen is the number of entries per chunk: big enough to cost nothing
// per entry, small enough that the last chunk's spare room does not count.
const chunkLen = 1024

func newLedger() *ledger {
	return &ledger{seed: maphash.MakeSeed()}
}

// len returns the number of companies.
func (l *ledger) len() int { return l.n }

// at returns entry i.
func (l *ledger) at(i int) *entry { return &l.chunks[i/chunkLen][i%chunkLen] }

// hash returns the slot hash of a company.
func (l *ledger) hash(id string, format int) uint64 {
	return maphash.String(l.seed, id) ^ uint64(format)*0x9e3779b97f4a7c15
}

// find returns the entry of k, nil if none.
func (l *ledger) find(k Key) *entry {
	if len(l.slots) == 0 {
		return nil
	}
	mask := uint64(len(l.slots) - 1)
	for i := l.hash(k.ID, k.Format) & mask; ; i = (i + 1) & mask {
		s := l.slots[i]
		if s == 0 {
			return nil
		}
		if e := l.at(int(s - 1)); int(e.format) == k.Format && e.id == k.ID {
			return e
		}
	}
}

// insert puts entry i in the table, which has room for it.
func (l *ledger) insert(slots []int32, e *entry, i int) {
	mask := uint64(len(slots) - 1)
	h := l.hash(e.id, int(e.format)) & mask
	for slots[h] != 0 {
		h = (h + 1) & mask
	}
	slots[h] = int32(i + 1)
}

// grow doubles the table when it would be more than 3/4 full.
func (l *ledger) grow() {
	if 4*(l.n+1) <= 3*len(l.slots) {
		return
	}
	slots := make([]int32, max(2*len(l.slots), 1024))
	for i := 0; i < l.n; i++ {
		l.insert(slots, l.at(i), i)
	}
	l.slots = slots
}

// each calls fn with every entry, in first-seen order, until it returns
// false.
func (l *ledger) each(fn func(*entry) bool) {
	for i := 0; i < l.n; i++ {
		if !fn(l.at(i)) {
			return
		}
	}
}

// get returns the entry of k, creating a not_ordered one.
func (l *ledger) get(k Key) *entry {
	if e := l.find(k); e != nil {
		return e
	}
	if k.Format < 0 || k.Format > 255 {
		panic("journal: report format out of range") // validate allows 1 and 2
	}
	if l.n%chunkLen == 0 {
		l.chunks = append(l.chunks, new([chunkLen]entry))
	}
	l.grow()
	e := l.at(l.n)
	*e = entry{id: strings.Clone(k.ID), format: uint8(k.Format)}
	l.insert(l.slots, e, l.n)
	l.n++
	return e
}

// apply folds one company record into the ledger. Records it cannot use
// (a poll for another order number) are counted but change nothing. The
// strings of r may share a read buffer (see decodeFast): apply copies every
// string it keeps.
func (l *ledger) apply(r *record) {
	if isAudit(r.Op) {
		l.addAudit(r)
		return
	}
	if r.Op == opOrder {
		l.hist.addRow(r)
		return
	}
	l.records++
	e := l.get(Key{r.Key, r.Format})
	h := l.hist
	switch r.Op {
	case opIntent:
		if e.open() { // the earlier request was never answered
			l.settleEntry(e)
		}
		e.flags |= fOpen
		e.requested = packTime(r.At)
		h.open(e.key(), r.Run, r.At)
		e.intents++
		if r.SearchKey != "" && r.SearchKey != e.searchKey() {
			e.setSearchKey(r.SearchKey)
		}
	case opOrdered:
		h.supersede(e)
		h.answer(e.key(), r.Run, e.open())
		e.flags &^= fOpen
		e.clearOrder()
		e.base, e.orderNo, e.orderedAt = cPending, strings.Clone(r.OrderNo), packTime(r.At)
		e.orders++
	case opRefused:
		h.supersede(e)
		h.close(e.key())
		e.flags &^= fOpen
		e.clearOrder()
		e.setOutcome(r.Outcome)
		e.setCodeMessage(r.Code, r.Message)
		e.completedAt = packTime(r.At)
	case opCancelled:
		h.close(e.key())
		e.flags &^= fOpen
	case opAmbiguous:
		var at int64 // the request's time, unknown without an intent
		switch {
		case e.open():
			at = e.requested
			fallthrough
		case !(e.base == cUncertain && e.orderNo == ""):
			// A new uncertain request; else the current one's message.
			h.supersede(e)
			h.answer(e.key(), r.Run, e.open())
		default:
			at = e.orderedAt
		}
		e.flags &^= fOpen
		e.markUncertain(uncertainMessage(r.Message), at)
	case opPolled:
		if r.OrderNo != e.orderNo {
			return
		}
		e.setReportStatus(r.Status)
		switch r.Status {
		case "S":
			l.polls.add(e.orderedAt, r.Pend, r.At)
			e.base, e.completedAt = cReady, packTime(r.At)
			l.setURL(e, r.URL)
		case "F":
			l.polls.add(e.orderedAt, r.Pend, r.At)
			e.base, e.completedAt = cFailed, packTime(r.At)
			l.setURL(e, "")
		default:
			e.base = cPending
		}
		e.tidy()
	case opDownloaded:
		l.setFile(e, r.File, r.SHA256)
		e.tidy()
	case opCooldown:
		h.close(e.key())
		e.flags &^= fOpen
		e.setCodeMessage(r.Code, r.Message)
		e.r().cooldownUntil = packTime(r.Until)
		e.tidy()
	case opResolved:
		l.applyResolved(e, r)
	case opSnapshot:
		h.supersede(e)
		l.fromSnapshot(e, r)
		h.setCurrent(e.key(), r)
	}
}

// clearOrder forgets the previous order before a new answer is recorded;
// the caller sets the outcome.
func (e *entry) clearOrder() {
	e.orderNo, e.base, e.status, e.orderedAt, e.completedAt = "", cNotOrdered, 0, 0, 0
	e.flags &^= fURL | fFile
	if r := e.rare; r != nil {
		*r = rare{searchKey: r.searchKey}
		e.tidy()
	}
}

// markUncertain records that an order may have been placed without an
// answer: the previous order's details no longer describe the company. Its
// OrderedAt is when the request was sent (at), so that a person can look
// the order up.
func (e *entry) markUncertain(msg string, at int64) {
	e.clearOrder()
	e.base, e.orderedAt = cUncertain, at
	if msg != MsgNoAnswer {
		msg = strings.Clone(msg) // may be the record's, in a read buffer
	}
	e.r().message = msg
}

// settle turns every intent still open at the end of a replay into
// uncertain: the request may have reached the server. It returns the
// companies it settled.
func (l *ledger) settle() []Key {
	var settled []Key
	l.each(func(e *entry) bool {
		if e.open() {
			l.settleEntry(e)
			settled = append(settled, e.key())
		}
		return true
	})
	return settled
}

// settleEntry makes the open intent of e an uncertain request.
func (l *ledger) settleEntry(e *entry) {
	l.hist.supersede(e)
	l.hist.answer(e.key(), "", true)
	e.flags &^= fOpen
	e.markUncertain(MsgNoAnswer, e.requested)
}

// state returns the entry as callers see it.
func (l *ledger) state(e *entry) State {
	s := State{Key: e.key(), SearchKey: e.searchKey(), Outcome: e.outcome(), OrderNo: e.orderNo,
		ReportStatus: e.reportStatus(), ReportURL: l.url(e),
		OrderedAt: unpackTime(e.orderedAt), CompletedAt: unpackTime(e.completedAt),
		Orders: int(e.orders), Intents: int(e.intents)}
	if e.open() {
		s.Outcome = outcome.Uncertain
	}
	if r := e.rare; r != nil {
		s.Code, s.Message = codeString(r.code), r.message
		s.CooldownUntil = unpackTime(r.cooldownUntil)
	}
	s.File, s.SHA256 = l.file(e)
	return s
}

func codeString(code int) string {
	if code == 0 {
		return ""
	}
	return strconv.Itoa(code)
}

// snapshot returns the record compaction writes for this entry. Open
// intents must have been settled first.
func (l *ledger) snapshot(e *entry) *record {
	file, sha := l.file(e)
	return &record{
		Op: opSnapshot, Key: e.id, Format: int(e.format), SearchKey: e.searchKey(),
		State: &snapshot{
			Outcome: e.outcome(), OrderNo: e.orderNo, Code: e.code(), Message: e.message(),
			Status: e.reportStatus(), URL: l.url(e), File: file, SHA256: sha,
			OrderedAt: unpackTime(e.orderedAt), CompletedAt: unpackTime(e.completedAt), CooldownUntil: unpackTime(e.cooldownUntil()),
			Orders: int(e.orders), Intents: int(e.intents),
		},
	}
}

// fromSnapshot replaces the entry with the state a compaction recorded.
func (l *ledger) fromSnapshot(e *entry, r *record) {
	s := r.State
	if s == nil {
		return
	}
	e.flags &^= fOpen
	e.setSearchKey(r.SearchKey)
	e.clearOrder()
	e.setOutcome(s.Outcome)
	e.orderNo = strings.Clone(s.OrderNo)
	e.setCodeMessage(s.Code, s.Message)
	e.setReportStatus(s.Status)
	l.setURL(e, s.URL)
	l.setFile(e, s.File, s.SHA256)
	e.orderedAt, e.completedAt = packTime(s.OrderedAt), packTime(s.CompletedAt)
	if !s.CooldownUntil.IsZero() {
		e.r().cooldownUntil = packTime(s.CooldownUntil)
	}
	e.orders, e.intents = int32(s.Orders), int32(s.Intents)
	e.tidy()
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

// internStatus does the same for report statuses.
func internStatus(s string) string {
	for _, k := range []string{"", "S", "P", "N", "F"} {
		if s == k {
			return k
		}
	}
	return strings.Clone(s)
}
