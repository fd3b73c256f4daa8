package journal

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/qccbatch/qccbatch/batch/outcome"
)

// Resolutions settle uncertain companies from what a person looked up in
// the vendor's order list (`qccbatch resolve`): the order was placed (the
// company becomes pending with its number, and the next run polls it) or it
// was not (the company becomes not_ordered, and the next run orders it).
// Each is a "resolved" record with who, when and from which file; it
// belongs to a RunRecord of kind resolve.

// Resolution settles one company. Exactly one of OrderNo and NotOrdered is
// set.
type Resolution struct {
	// OrderNo is the order the vendor's list shows: the company becomes
	// pending with it.
	OrderNo string
	// NotOrdered says the vendor placed no order: the company becomes
	// not_ordered.
	NotOrdered bool
	// OrderedAt is the order's time in the list (下单时间), zero if it has
	// none: the company's request time is kept, or At for a company that
	// had no request.
	OrderedAt time.Time
	// SearchKey is what the list shows as the order's search key, for a
	// company the state file does not know [the company's ID].
	SearchKey string

	By           string    // OS user who resolves
	Source       string    // the order list's path, "" for a resolution by hand
	SourceSHA256 string    // its hex SHA-256
	At           time.Time // [now]
}

// ResolveError refuses a resolution that does not fit the company: only an
// uncertain company may be settled either way, and an order may also be
// added for a company that has none (unknown to the state file, never
// ordered, refused). Nothing was written.
type ResolveError struct {
	Key        Key
	Known      bool            // the state file knows the company
	Outcome    outcome.Outcome // its outcome
	OrderNo    string          // its current order, if any
	Resolution Resolution
}

func (e *ResolveError) Error() string {
	switch {
	case e.Resolution.NotOrdered && !e.Known:
		return fmt.Sprintf("cannot mark %s not ordered: the state file does not know it", e.Key.ID)
	case e.Resolution.NotOrdered && e.Outcome == outcome.Pending:
		return fmt.Sprintf("cannot mark %s not ordered: it is pending, not uncertain (order %s came from the API; only an order a resolution recorded can be undone)", e.Key.ID, e.OrderNo)
	case e.Resolution.NotOrdered:
		return fmt.Sprintf("cannot mark %s not ordered: it is %s, not uncertain", e.Key.ID, e.Outcome)
	case e.OrderNo == e.Resolution.OrderNo:
		return fmt.Sprintf("order %s of %s is already recorded (%s)", e.OrderNo, e.Key.ID, e.Outcome)
	case e.OrderNo != "":
		return fmt.Sprintf("cannot record order %s for %s: it has order %s (%s); only an uncertain company, or one without an order, can be resolved",
			e.Resolution.OrderNo, e.Key.ID, e.OrderNo, e.Outcome)
	}
	return fmt.Sprintf("cannot resolve %s: it is %s", e.Key.ID, e.Outcome)
}

// Resolve settles company k (see Resolution) and records who did it, when
// and from which list. It fails with *ResolveError when the company is not
// uncertain, except that an order may be recorded for a company that has
// none, and that a company pending with an order a resolution recorded may
// be marked not ordered (the resolution is undone; this needs
// Options.History, which knows where an order came from). Within a run of
// kind resolve (StartRun), the resolution belongs to it; otherwise Resolve
// records a resolve run of its own around it. Resolve must not race with
// the writes of a run in the same process.
func (j *Journal) Resolve(k Key, r Resolution) error {
	if (r.OrderNo == "") == !r.NotOrdered {
		return errors.New("state file: a resolution gives either an order number or not ordered")
	}
	r.OrderNo = strings.TrimSpace(r.OrderNo)
	if r.At.IsZero() {
		r.At = j.opt.Now()
	}
	if err := j.CanResolve(k, r); err != nil {
		return err
	}
	j.mu.Lock()
	run, known := j.run, j.ledger.find(k) != nil
	j.mu.Unlock()
	own := run == ""
	if own {
		var err error
		if run, err = j.StartRun(RunInfo{Kind: KindResolve, Started: r.At, User: r.By, Input: r.Source, InputSHA256: r.SourceSHA256}); err != nil {
			return err
		}
	}
	sk := r.SearchKey
	if known || sk == k.ID {
		sk = ""
	}
	err := j.append(&record{Op: opResolved, Key: k.ID, Format: k.Format, SearchKey: sk, OrderNo: r.OrderNo, Ordered: r.OrderedAt,
		User: r.By, File: r.Source, SHA256: r.SourceSHA256, At: r.At, Run: run}, false)
	if err != nil || !own {
		return err
	}
	end := RunEnd{Ended: r.At, Counts: map[outcome.Outcome]int{outcome.NotOrdered: 1}}
	if r.OrderNo != "" {
		end.NewOrders, end.Counts = 1, map[outcome.Outcome]int{outcome.Pending: 1}
	}
	return j.EndRun(run, end)
}

// CanResolve reports, as Resolve would, whether resolution r fits company
// k: nil, or a *ResolveError. It writes nothing.
func (j *Journal) CanResolve(k Key, r Resolution) error {
	j.mu.Lock()
	st, known, byResolution := State{}, false, false
	if e := j.ledger.find(k); e != nil {
		st, known = j.ledger.state(e), true
		if m := j.ledger.hist.metaOf(k); m != nil && m.res != "" && e.hasRow() {
			byResolution = true
		}
	}
	_, damaged := j.ledger.pendingDamage()
	j.mu.Unlock()
	ok := false
	switch {
	case r.NotOrdered:
		ok = known && (st.Outcome == outcome.Uncertain || (st.Outcome == outcome.Pending && byResolution))
	default:
		ok = !known || st.Outcome == outcome.Uncertain || (st.OrderNo == "" && st.Outcome != outcome.Pending) ||
			// The state file lost records: a newer order of the list is
			// one of them.
			(damaged && st.OrderNo != r.OrderNo && r.OrderedAt.After(st.OrderedAt))
	}
	if !ok {
		return &ResolveError{Key: k, Known: known, Outcome: st.Outcome, OrderNo: st.OrderNo, Resolution: r}
	}
	return nil
}

// applyResolved folds a resolution into the entry e.
func (l *ledger) applyResolved(e *entry, r *record) {
	h := l.hist
	h.close(e.key())
	e.flags &^= fOpen
	if e.searchKey() == "" && r.SearchKey != "" {
		e.setSearchKey(r.SearchKey)
	}
	if r.OrderNo == "" { // not ordered: the uncertain request was no order
		if e.base == cPending && e.orderNo != "" && e.orders > 0 {
			e.orders-- // an earlier resolution's order, undone
		}
		h.drop(e.key())
		e.clearOrder()
		return
	}
	ordered := packTime(r.Ordered)
	if e.base == cUncertain && e.orderNo == "" {
		if ordered == 0 {
			ordered = e.orderedAt // the request's time, see markUncertain
		}
	} else {
		h.supersede(e)
		h.answer(e.key(), r.Run, false)
	}
	if ordered == 0 {
		ordered = packTime(r.At)
	}
	h.resolved(e.key(), r.Run)
	e.clearOrder()
	e.base, e.orderNo, e.orderedAt = cPending, strings.Clone(r.OrderNo), ordered
	e.orders++
}

// drop forgets the company's current row: it was no order.
func (h *history) drop(k Key) {
	if h == nil {
		return
	}
	delete(h.meta, k)
}

// resolved notes the resolution that gave the current row its number.
func (h *history) resolved(k Key, run string) {
	if h == nil {
		return
	}
	h.get(k).res = strings.Clone(run)
}
