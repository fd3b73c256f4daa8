package journal

import (
	"cmp"
	"slices"
	"strings"
	"time"

	"github.com/qccbatch/qccbatch/batch/outcome"
)

// The history of orders: one row per order request that may have been
// charged, for reconciling the vendor's invoice and for auditors.
//
// A company's state describes its current order; the orders it replaced (a
// refresh, a reorder of a failed report, a refusal after an earlier order)
// are its superseded rows. The ledger keeps the history only when asked
// (Options.History): a run does not need it, and a million-company book
// would pay for it in memory. Compaction replays the file with the history
// and writes one "order" record per superseded row, and the current row's
// run, request time and resolution in the company's snapshot, so the
// history survives it unchanged.
//
// What is a row: an intent answered by an order number (OrderNo set), or
// never answered, or answered ambiguously (OrderNo empty, outcome
// uncertain); an order recorded without an intent (merged from the
// fallback file, or resolved from the vendor's order list); a company a
// repair marked uncertain. Not rows: a cancelled intent (certainly never
// sent), a refusal (the API placed no order), a cooldown, and an uncertain
// request a resolution settled as not ordered.

// OrderRecord is one order request that may have been charged.
type OrderRecord struct {
	OrderNo   string // "" for an uncertain request
	SearchKey string // what was sent to the API (the company's ID if unknown)
	Key              // the company and report format
	// RequestedAt is when the request was announced (its intent), zero
	// when unknown (an order merged from the fallback file or resolved
	// without an intent, a request a repair could not date).
	RequestedAt time.Time
	OrderedAt   time.Time // when the order number was recorded (resolved: the list's time, if any)
	RunID       string    // the run that sent the request (see Runs), "" if unknown
	// Outcome is the order's outcome: pending, ready or failed for an order
	// with a number (ready also after a later refresh replaced it), and
	// uncertain for a request without one.
	Outcome      outcome.Outcome
	ReportStatus string    // last GetReportInfo status: N, P, S or F
	CompletedAt  time.Time // when the report became ready or failed
	File         string    // downloaded report
	SHA256       string
	// Resolution is the id of the resolution (a RunRecord of kind resolve) that
	// recorded this order's number, "" if the API answered it.
	Resolution string
	// Current is set for the order the company's state describes, clear
	// for a superseded one.
	Current bool
}

// rowMeta is what the state does not say about a company's current row,
// and its open intent.
type rowMeta struct {
	run, res string
	req      time.Time
	// the open intent: its run and time
	openRun string
	openReq time.Time
}

// history collects the superseded rows while a ledger is replayed.
type history struct {
	rows []OrderRecord    // superseded rows, in the order they were replaced
	meta map[Key]*rowMeta // by company
	led  *ledger          // whose history it is
}

func newHistory(l *ledger) *history { return &history{meta: make(map[Key]*rowMeta), led: l} }

func (h *history) get(k Key) *rowMeta {
	m := h.meta[k]
	if m == nil {
		m = &rowMeta{}
		h.meta[k] = m
	}
	return m
}

// hasRow reports whether the company's state describes an order request
// that may have been charged.
func (e *entry) hasRow() bool { return e.orderNo != "" || e.base == cUncertain }

// row returns the company's current row.
func (l *ledger) row(e *entry, m *rowMeta) OrderRecord {
	file, sha := l.file(e)
	o := OrderRecord{OrderNo: e.orderNo, SearchKey: e.searchKey(), Key: e.key(), OrderedAt: unpackTime(e.orderedAt),
		Outcome: e.outcome(), ReportStatus: e.reportStatus(), CompletedAt: unpackTime(e.completedAt), File: file, SHA256: sha, Current: true}
	if o.Outcome == outcome.Uncertain {
		o.OrderedAt = time.Time{}
	}
	if o.SearchKey == "" { // ordered without an intent: merged or resolved
		o.SearchKey = e.id
	}
	if m != nil {
		o.RunID, o.Resolution, o.RequestedAt = m.run, m.res, m.req
	}
	return o
}

// supersede moves the company's current row, if any, to the history: its
// state is about to describe another request (or none).
func (h *history) supersede(e *entry) {
	if h == nil || !e.hasRow() {
		return
	}
	m := h.meta[e.key()]
	o := h.led.row(e, m)
	o.Current = false
	h.rows = append(h.rows, o)
	if m != nil {
		m.run, m.res, m.req = "", "", time.Time{}
	}
}

// open notes an intent.
func (h *history) open(k Key, run string, at time.Time) {
	if h == nil {
		return
	}
	m := h.get(k)
	m.openRun, m.openReq = strings.Clone(run), at
}

// answer makes the open intent the company's current row (an order, or an
// uncertain request); fallbackRun is the run of a row without an intent.
func (h *history) answer(k Key, fallbackRun string, wasOpen bool) {
	if h == nil {
		return
	}
	m := h.get(k)
	if wasOpen {
		m.run, m.req = m.openRun, m.openReq
	} else {
		m.run, m.req = strings.Clone(fallbackRun), time.Time{}
	}
	m.res, m.openRun, m.openReq = "", "", time.Time{}
}

// close forgets the open intent: it was cancelled, refused or cooled down.
func (h *history) close(k Key) {
	if h == nil {
		return
	}
	if m := h.meta[k]; m != nil {
		m.openRun, m.openReq = "", time.Time{}
	}
}

// setCurrent sets the current row's meta from a snapshot.
func (h *history) setCurrent(k Key, r *record) {
	if h == nil {
		return
	}
	m := h.get(k)
	*m = rowMeta{run: strings.Clone(r.Run), res: strings.Clone(r.Res), req: r.Req}
}

// addRow replays a superseded row that compaction wrote.
func (h *history) addRow(r *record) {
	if h == nil {
		return
	}
	c := strings.Clone
	h.rows = append(h.rows, OrderRecord{OrderNo: c(r.OrderNo), SearchKey: c(r.SearchKey), Key: Key{c(r.Key), r.Format},
		RequestedAt: r.Req, OrderedAt: r.Ordered, RunID: c(r.Run), Outcome: internOutcome(r.Outcome),
		ReportStatus: internStatus(r.Status), CompletedAt: r.Done, File: c(r.File), SHA256: c(r.SHA256), Resolution: c(r.Res)})
}

// orderRecord is the record compaction writes for a superseded row.
func (o *OrderRecord) record() *record {
	return &record{Op: opOrder, Key: o.ID, Format: o.Format, SearchKey: o.SearchKey, OrderNo: o.OrderNo,
		Req: o.RequestedAt, Ordered: o.OrderedAt, Run: o.RunID, Outcome: o.Outcome, Status: o.ReportStatus,
		Done: o.CompletedAt, File: o.File, SHA256: o.SHA256, Res: o.Resolution}
}

// orders returns every row: the superseded ones and each company's
// current one, sorted by request time (the order time when the request
// time is unknown), then company, format and order number.
func (l *ledger) orders() []OrderRecord {
	if l.hist == nil {
		return nil
	}
	out := slices.Clone(l.hist.rows)
	l.each(func(e *entry) bool {
		if e.hasRow() {
			out = append(out, l.row(e, l.hist.metaOf(e.key())))
		}
		return true
	})
	when := func(o *OrderRecord) time.Time {
		if o.RequestedAt.IsZero() {
			return o.OrderedAt
		}
		return o.RequestedAt
	}
	slices.SortStableFunc(out, func(a, b OrderRecord) int {
		return cmp.Or(when(&a).Compare(when(&b)), strings.Compare(a.ID, b.ID), cmp.Compare(a.Format, b.Format),
			strings.Compare(a.OrderNo, b.OrderNo))
	})
	return out
}

// Orders returns every order request on record that may have been
// charged, superseded orders included, sorted by request time: the
// `ledger` command's rows. It needs Options.History; without it, it
// returns nil.
func (j *Journal) Orders() []OrderRecord {
	j.mu.Lock()
	defer j.mu.Unlock()
	return j.ledger.orders()
}

// metaOf returns the meta of k's current row, nil if none is known.
func (h *history) metaOf(k Key) *rowMeta {
	if h == nil {
		return nil
	}
	return h.meta[k]
}

// PollTimes are the polls of an order that finished: it was placed at
// Ordered, last found pending at Pending (Ordered when its first poll found
// it finished) and found ready or failed at Done. The poll schedule of the
// next run learns from them how long reports take.
type PollTimes struct {
	Ordered, Pending, Done time.Time
}

// MaxPollHistory is how many of the latest finished orders PollHistory
// keeps.
const MaxPollHistory = 4096

// pollRing keeps the poll times of the last MaxPollHistory finished orders
// read or written, packed (packTime); it allocates on first use.
type pollRing struct {
	buf  []int64 // 3 per order: ordered, pending, done
	next int     // the slot the next order takes
	full bool
}

// add records an order placed at ordered (packed), last pending at pend
// and found finished at done; an order without its poll times (ordered
// unknown, pend zero: an order of an earlier version or run) is not kept.
// pend a moment before the order time is read as the order time.
func (p *pollRing) add(ordered int64, pend, done time.Time) {
	pp, dp := packTime(pend), packTime(done)
	if ordered == 0 || pp == 0 {
		return
	}
	pp = max(pp, ordered) // the run's clock read the order time a moment apart
	if dp <= pp {
		return
	}
	if p.buf == nil {
		p.buf = make([]int64, 3*MaxPollHistory)
	}
	p.buf[3*p.next], p.buf[3*p.next+1], p.buf[3*p.next+2] = ordered, pp, dp
	p.next++
	if p.next == MaxPollHistory {
		p.next, p.full = 0, true
	}
}

// byOrder returns the ring's last pending polls by order and done time
// (packed), for compaction to keep them in the snapshots of their orders.
func (p *pollRing) byOrder() map[[2]int64]int64 {
	n := p.next
	if p.full {
		n = MaxPollHistory
	}
	m := make(map[[2]int64]int64, n)
	for i := range n {
		m[[2]int64{p.buf[3*i], p.buf[3*i+2]}] = p.buf[3*i+1]
	}
	return m
}

// PollHistory returns the poll times of the latest finished orders the
// state file records (at most MaxPollHistory), oldest first; a compaction
// keeps them in the snapshots of their orders, in the order of the
// snapshots, so after one the oldest are not always the first forgotten. Polls record them from this version on; orders of earlier
// runs without them, and orders still pending, are not included.
func (j *Journal) PollHistory() []PollTimes {
	j.mu.Lock()
	defer j.mu.Unlock()
	p := &j.ledger.polls
	n := p.next
	start := 0
	if p.full {
		n, start = MaxPollHistory, p.next
	}
	out := make([]PollTimes, 0, n)
	for k := range n {
		i := (start + k) % MaxPollHistory
		out = append(out, PollTimes{Ordered: unpackTime(p.buf[3*i]), Pending: unpackTime(p.buf[3*i+1]),
			Done: unpackTime(p.buf[3*i+2])})
	}
	return out
}
