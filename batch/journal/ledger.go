package journal

import (
	"hash/maphash"
	"strconv"
	"strings"
	"time"

	"github.com/qccbatch/qccbatch/batch/msg"
	"github.com/qccbatch/qccbatch/batch/outcome"
)

// State is what the journal knows about one company and report format.
type State struct {
	Key              // the company and report format
	SearchKey string // what was sent to the API

	// outcome.Outcome is derived from the events: not_ordered (only cancelled
	// intents or a cooldown), pending (ordered, not finished), ready, failed,
	// not_found, rejected or uncertain (an intent without an answer).
	Outcome outcome.Outcome

	OrderNo string
	Code    string // API status code of a refusal or cooldown
	// Message is the API's message of a refusal or cooldown, as it came.
	Message string
	// Note is why an uncertain company is uncertain and what to do about
	// it (msg.ResolveAdvice): a message of the catalogue, rendered in a
	// language where it is shown. Zero for any other outcome.
	Note msg.Message

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
		l.applyIntent(e, r)
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
		l.applyAmbiguous(e, r)
	case opPolled:
		l.applyPolled(e, r)
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

// applyIntent opens a request: the company is uncertain until it is
// answered. An intent still open is settled first: never answered.
func (l *ledger) applyIntent(e *entry, r *record) {
	if e.open() {
		l.settleEntry(e)
	}
	e.flags |= fOpen
	e.requested = packTime(r.At)
	l.hist.open(e.key(), r.Run, r.At)
	e.intents++
	if r.SearchKey != "" && r.SearchKey != e.searchKey() {
		e.setSearchKey(r.SearchKey)
	}
}

// applyAmbiguous records a request that may have placed an order: a new
// uncertain request, or a new message for the current one.
func (l *ledger) applyAmbiguous(e *entry, r *record) {
	var at int64 // the request's time, unknown without an intent
	switch {
	case e.open():
		at = e.requested
		fallthrough
	case !(e.base == cUncertain && e.orderNo == ""):
		// A new uncertain request; else the current one's message.
		l.hist.supersede(e)
		l.hist.answer(e.key(), r.Run, e.open())
	default:
		at = e.orderedAt
	}
	e.flags &^= fOpen
	n, text := recordNote(r.MID, r.MArgs, r.Message)
	e.markUncertain(n, text, at)
}

// applyPolled records a report status of the current order; a poll of
// another order number changes nothing.
func (l *ledger) applyPolled(e *entry, r *record) {
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
func (e *entry) markUncertain(n *note, text string, at int64) {
	e.clearOrder()
	e.base, e.orderedAt = cUncertain, at
	r := e.r()
	r.note, r.message = n, strings.Clone(text) // text may be the record's, in a read buffer
	e.tidy()
}

// noAnswer is the note of every request settled without an answer.
var noAnswer = &note{id: msg.NoAnswer}

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
	e.markUncertain(noAnswer, "", e.requested)
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
		if e.base == cUncertain && !e.open() {
			s.Message, s.Note = "", r.note.message(r.message)
		}
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
	rec := &record{
		Op: opSnapshot, Key: e.id, Format: int(e.format), SearchKey: e.searchKey(),
		State: &snapshot{
			Outcome: e.outcome(), OrderNo: e.orderNo, Code: e.code(), Message: e.message(),
			Status: e.reportStatus(), URL: l.url(e), File: file, SHA256: sha,
			OrderedAt: unpackTime(e.orderedAt), CompletedAt: unpackTime(e.completedAt), CooldownUntil: unpackTime(e.cooldownUntil()),
			Orders: int(e.orders), Intents: int(e.intents),
		},
	}
	if e.base == cUncertain && e.rare != nil && e.rare.note != nil && !e.rare.note.whole {
		rec.State.MID, rec.State.MArgs = noteNames[e.rare.note.id], e.rare.note.args
	}
	return rec
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
	if e.base == cUncertain {
		n, text := recordNote(s.MID, s.MArgs, s.Message)
		r := e.r()
		r.note, r.message = n, strings.Clone(text)
	}
	e.setReportStatus(s.Status)
	l.setURL(e, s.URL)
	l.setFile(e, s.File, s.SHA256)
	e.orderedAt, e.completedAt = packTime(s.OrderedAt), packTime(s.CompletedAt)
	if !s.CooldownUntil.IsZero() {
		e.r().cooldownUntil = packTime(s.CooldownUntil)
	}
	e.orders, e.intents = int32(s.Orders), int32(s.Intents)
	if !s.Pend.IsZero() && (e.base == cReady || e.base == cFailed) {
		l.polls.add(e.orderedAt, s.Pend, s.CompletedAt)
	}
	e.tidy()
}
