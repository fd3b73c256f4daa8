package batch

import (
	"time"

	"github.com/qccbatch/qccbatch/batch/journal"
	"github.com/qccbatch/qccbatch/batch/outcome"
)

// action is what a run should do for one company.
type action int

// The actions orderPolicy.Decide chooses from.
const (
	actionNone    action = iota // nothing: final, cooling down, or not asked to reorder
	actionOrder                 // place an order (never ordered, or reorder asked for)
	actionRefresh               // order again: the ready report is older than RefreshAfter
	actionPoll                  // ordered and not finished: poll the order
)

func (a action) String() string {
	switch a {
	case actionOrder:
		return "order"
	case actionRefresh:
		return "refresh"
	case actionPoll:
		return "poll"
	}
	return "none"
}

// orderPolicy turns the ledger into decisions, from the flags of `run`.
type orderPolicy struct {
	ReorderFailed    bool          // --reorder-failed
	ReorderUncertain bool          // --reorder-uncertain
	RefreshAfter     time.Duration // --refresh-after; 0 = never
	Now              time.Time     // the run's clock, for cooldowns and refreshes
}

// Decide returns the action for a company with state st (known is false
// when the journal has never seen it). Whether a ready report still needs
// downloading is separate: journal.State.NeedsDownload.
func (p orderPolicy) Decide(st journal.State, known bool) action {
	if !known {
		return actionOrder
	}
	var a action
	switch st.Outcome {
	case outcome.Pending:
		return actionPoll
	case outcome.NotOrdered:
		a = actionOrder
	case outcome.Uncertain:
		if p.ReorderUncertain {
			a = actionOrder
		}
	case outcome.Failed:
		if p.ReorderFailed {
			a = actionOrder
		}
	case outcome.Ready:
		if p.RefreshAfter > 0 && !st.CompletedAt.IsZero() && !st.CompletedAt.After(p.Now.Add(-p.RefreshAfter)) {
			a = actionRefresh
		}
	}
	if a != actionNone && p.Now.Before(st.CooldownUntil) {
		return actionNone // API code 110: this search key may not be ordered yet
	}
	return a
}
