package journal

import (
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

// entry is the replayed state of one company. base is the outcome before
// any open intent: while an intent is open the company shows as uncertain.
type entry struct {
	State
	base      outcome.Outcome
	open      bool
	requested time.Time // when the last intent was written
}

// ledger is the state replayed from the journal: one entry per company, so
// its size follows the number of companies, not of records. Entries are
// kept by value in fixed-size chunks, in the order the journal first saw
// their companies (so Each is stable from run to run), and index maps a
// company to its place; an entry never moves, so a pointer to it stays
// valid.
type ledger struct {
	index   map[Key]int32
	chunks  []*[chunkLen]entry
	n       int // entries
	records int // company records applied (not the header)
	// audit holds the audit records (runs, resolutions, repairs): few, so
	// kept whole, for Runs and for compaction to copy.
	audit []record
	// hist is the order history, nil unless kept (see history.go).
	hist *history
}

// chunkLen is the number of entries per chunk: big enough to cost nothing
// per entry, small enough that the last chunk's spare room does not count.
const chunkLen = 1024

func newLedger() *ledger {
	return &ledger{index: make(map[Key]int32)}
}

// len returns the number of companies.
func (l *ledger) len() int { return l.n }

// at returns entry i.
func (l *ledger) at(i int) *entry { return &l.chunks[i/chunkLen][i%chunkLen] }

// find returns the entry of k, nil if none.
func (l *ledger) find(k Key) *entry {
	i, ok := l.index[k]
	if !ok {
		return nil
	}
	return l.at(int(i))
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
	if l.n%chunkLen == 0 {
		l.chunks = append(l.chunks, new([chunkLen]entry))
	}
	k.ID = strings.Clone(k.ID)
	e := l.at(l.n)
	*e = entry{base: outcome.NotOrdered}
	e.Key = k
	l.index[k] = int32(l.n)
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
	k := Key{r.Key, r.Format}
	e := l.get(k)
	h := l.hist
	switch r.Op {
	case opIntent:
		if e.open { // the earlier request was never answered
			l.settleEntry(e)
		}
		e.open, e.requested = true, r.At
		h.open(e.Key, r.Run, r.At)
		e.Intents++
		switch r.SearchKey {
		case "", e.SearchKey:
		case e.ID:
			e.SearchKey = e.ID // share the string
		default:
			e.SearchKey = strings.Clone(r.SearchKey)
		}
	case opOrdered:
		h.supersede(e)
		h.answer(e.Key, r.Run, e.open)
		e.open = false
		e.clearOrder()
		e.base, e.OrderNo, e.OrderedAt = outcome.Pending, strings.Clone(r.OrderNo), r.At
		e.Orders++
	case opRefused:
		h.supersede(e)
		h.close(e.Key)
		e.open = false
		e.clearOrder()
		e.base = internOutcome(r.Outcome)
		e.Code, e.Message, e.CompletedAt = codeString(r.Code), strings.Clone(r.Message), r.At
	case opCancelled:
		h.close(e.Key)
		e.open = false
	case opAmbiguous:
		var at time.Time // the request's time, unknown without an intent
		switch {
		case e.open:
			at = e.requested
			fallthrough
		case !(e.base == outcome.Uncertain && e.OrderNo == ""):
			// A new uncertain request; else the current one's message.
			h.supersede(e)
			h.answer(e.Key, r.Run, e.open)
		default:
			at = e.OrderedAt
		}
		e.open = false
		e.markUncertain(uncertainMessage(r.Message), at)
	case opPolled:
		if r.OrderNo != e.OrderNo {
			return
		}
		e.ReportStatus = internStatus(r.Status)
		switch r.Status {
		case "S":
			e.base, e.ReportURL, e.CompletedAt = outcome.Ready, strings.Clone(r.URL), r.At
		case "F":
			e.base, e.ReportURL, e.CompletedAt = outcome.Failed, "", r.At
		default:
			e.base = outcome.Pending
		}
	case opDownloaded:
		e.File, e.SHA256 = strings.Clone(r.File), strings.Clone(r.SHA256)
	case opCooldown:
		h.close(e.Key)
		e.open = false
		e.CooldownUntil = r.Until
		e.Code, e.Message = codeString(r.Code), strings.Clone(r.Message)
	case opResolved:
		l.applyResolved(e, r)
	case opSnapshot:
		h.supersede(e)
		e.fromSnapshot(r)
		h.setCurrent(e.Key, r)
	}
}

// clearOrder forgets the previous order before a new answer is recorded.
func (e *entry) clearOrder() {
	e.OrderNo, e.Code, e.Message = "", "", ""
	e.ReportStatus, e.ReportURL, e.File, e.SHA256 = "", "", "", ""
	e.OrderedAt, e.CompletedAt, e.CooldownUntil = time.Time{}, time.Time{}, time.Time{}
}

// markUncertain records that an order may have been placed without an
// answer: the previous order's details no longer describe the company. Its
// OrderedAt is when the request was sent (at), so that a person can look
// the order up.
func (e *entry) markUncertain(msg string, at time.Time) {
	e.clearOrder()
	e.base, e.Message, e.OrderedAt = outcome.Uncertain, msg, at
}

// settle turns every intent still open at the end of a replay into
// uncertain: the request may have reached the server. It returns the
// companies it settled.
func (l *ledger) settle() []Key {
	var settled []Key
	l.each(func(e *entry) bool {
		if e.open {
			l.settleEntry(e)
			settled = append(settled, e.Key)
		}
		return true
	})
	return settled
}

// settleEntry makes the open intent of e an uncertain request.
func (l *ledger) settleEntry(e *entry) {
	l.hist.supersede(e)
	l.hist.answer(e.Key, "", true)
	e.open = false
	e.markUncertain(MsgNoAnswer, e.requested)
}

// state returns a copy of the entry as callers see it.
func (e *entry) state() State {
	s := e.State
	s.Outcome = e.base
	if e.open {
		s.Outcome = outcome.Uncertain
	}
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
func (e *entry) snapshot() *record {
	return &record{
		Op: opSnapshot, Key: e.ID, Format: e.Format, SearchKey: e.SearchKey,
		State: &snapshot{
			Outcome: e.base, OrderNo: e.OrderNo, Code: atoi(e.Code), Message: e.Message,
			Status: e.ReportStatus, URL: e.ReportURL, File: e.File, SHA256: e.SHA256,
			OrderedAt: e.OrderedAt, CompletedAt: e.CompletedAt, CooldownUntil: e.CooldownUntil,
			Orders: e.Orders, Intents: e.Intents,
		},
	}
}

// fromSnapshot replaces the entry with the state a compaction recorded.
func (e *entry) fromSnapshot(r *record) {
	s := r.State
	if s == nil {
		return
	}
	c := strings.Clone
	e.open = false
	e.SearchKey = e.ID
	if r.SearchKey != e.ID {
		e.SearchKey = c(r.SearchKey)
	}
	e.base, e.OrderNo, e.Code, e.Message = internOutcome(s.Outcome), c(s.OrderNo), codeString(s.Code), c(s.Message)
	e.ReportStatus, e.ReportURL, e.File, e.SHA256 = internStatus(s.Status), c(s.URL), c(s.File), c(s.SHA256)
	e.OrderedAt, e.CompletedAt, e.CooldownUntil = s.OrderedAt, s.CompletedAt, s.CooldownUntil
	e.Orders, e.Intents = s.Orders, s.Intents
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

func atoi(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}
