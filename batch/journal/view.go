package journal

import (
	"sync"
	"time"

	"github.com/qccbatch/qccbatch/batch/outcome"
)

// Lookup returns a copy of the state of one company, and whether the
// journal knows it at all.
func (j *Journal) Lookup(k Key) (State, bool) {
	j.mu.Lock()
	defer j.mu.Unlock()
	e := j.ledger.find(k)
	if e == nil {
		return State{}, false
	}
	return j.ledger.state(e), true
}

// Each calls fn with a copy of every company's state, in the order the
// state file first saw the companies (stable from run to run, and through
// compaction), until fn returns false. fn runs with the journal locked: it
// must not call methods of j.
func (j *Journal) Each(fn func(State) bool) {
	j.mu.Lock()
	defer j.mu.Unlock()
	j.ledger.each(func(e *entry) bool { return fn(j.ledger.state(e)) })
}

// Stats summarises a ledger for `qccbatch status` and the results summary.
type Stats struct {
	Companies    int                     // companies (key and format) in the ledger
	OrdersPlaced int                     // orders answered with an order number, over all runs
	Outcomes     map[outcome.Outcome]int // companies per outcome; every outcome is present
	// OldestReport and NewestReport are the completion times of the oldest
	// and newest ready report; zero when none is ready.
	OldestReport, NewestReport time.Time
	Records                    int // records in the journal (without the header)
}

// Stats counts the ledger.
func (j *Journal) Stats() Stats {
	st := Stats{Outcomes: outcome.NewCounts()}
	j.mu.Lock()
	defer j.mu.Unlock()
	st.Companies = j.ledger.len()
	st.Records = j.ledger.records
	var oldest, newest int64 // packTime of the ready reports, 0 if none
	j.ledger.each(func(e *entry) bool {
		o := e.outcome()
		if e.open() {
			o = outcome.Uncertain
		}
		st.Outcomes[o]++
		st.OrdersPlaced += int(e.orders)
		if o != outcome.Ready || e.completedAt == 0 {
			return true
		}
		if oldest == 0 || e.completedAt < oldest {
			oldest = e.completedAt
		}
		if newest == 0 || e.completedAt > newest {
			newest = e.completedAt
		}
		return true
	})
	st.OldestReport, st.NewestReport = unpackTime(oldest), unpackTime(newest)
	return st
}

// Empty returns a read-only journal that knows no company: the state of a
// portfolio never run before, for a dry run without a state file.
func Empty() *Journal {
	j := &Journal{ledger: newLedger(), readOnly: true, opt: Options{Now: time.Now}}
	j.syncCond = sync.NewCond(&j.syncMu)
	return j
}
