package batch

import (
	"time"

	"github.com/qccbatch/qccbatch/batch/journal"
	"github.com/qccbatch/qccbatch/batch/outcome"
)

// Action is what a run should do for one company.
type Action int

// The actions OrderPolicy.Decide chooses from.
const (
	ActionNone    Action = iota // nothing: final, cooling down, or not asked to reorder
	ActionOrder                 // place an order (never ordered, or reorder asked for)
	ActionRefresh               // order again: the ready report is older than RefreshAfter
	ActionPoll                  // ordered and not finished: poll the order
)

func (a Action) String() string {
	switch a {
	case ActionOrder:
		return "order"
	case ActionRefresh:
		return "refresh"
	case ActionPoll:
		return "poll"
	}
	return "none"
}

// OrderPolicy turns the ledger into decisions, from the flags of `run`.
type OrderPolicy struct {
	ReorderFailed    bool          // --reorder-failed
	ReorderUncertain bool          // --reorder-uncertain
	RefreshAfter     time.Duration // --refresh-after; 0 = never
	Now              time.Time     // the run's clock, for cooldowns and refreshes
}

// Decide returns the action for a company with state st (known is false
// when the journal has never seen it). Whether a ready report still needs
// downloading is separate: journal.State.NeedsDownload.
func (p OrderPolicy) Decide(st journal.State, known bool) Action {
	if !known {
		return ActionOrder
	}
	var a Action
	switch st.Outcome {
	case outcome.Pending:
		return ActionPoll
	case outcome.NotOrdered:
		a = ActionOrder
	case outcome.Uncertain:
		if p.ReorderUncertain {
			a = ActionOrder
		}
	case outcome.Failed:
		if p.ReorderFailed {
			a = ActionOrder
		}
	case outcome.Ready:
		if p.RefreshAfter > 0 && !st.CompletedAt.IsZero() && !st.CompletedAt.After(p.Now.Add(-p.RefreshAfter)) {
			a = ActionRefresh
		}
	}
	if a != ActionNone && p.Now.Before(st.CooldownUntil) {
		return ActionNone // API code 110: this search key may not be ordered yet
	}
	return a
}
