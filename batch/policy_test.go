package batch

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/qccbatch/qccbatch/batch/journal"
	"github.com/qccbatch/qccbatch/batch/outcome"
)

func TestOrderPolicy_Decide(t *testing.T) {
	now := time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)
	year := 365 * 24 * time.Hour
	st := func(o outcome.Outcome) journal.State {
		return journal.State{Key: journal.Key{ID: "k", Format: 1}, Outcome: o}
	}
	ready := func(age time.Duration) journal.State {
		s := st(outcome.Ready)
		s.CompletedAt = now.Add(-age)
		return s
	}
	cooling := func(s journal.State, d time.Duration) journal.State {
		s.CooldownUntil = now.Add(d)
		return s
	}
	plain := OrderPolicy{Now: now}
	all := OrderPolicy{ReorderFailed: true, ReorderUncertain: true, RefreshAfter: year, Now: now}

	tests := []struct {
		name   string
		policy OrderPolicy
		state  journal.State
		known  bool
		want   Action
	}{
		{"unknown", plain, journal.State{}, false, ActionOrder},
		{"not ordered", plain, st(outcome.NotOrdered), true, ActionOrder},
		{"cooldown running", plain, cooling(st(outcome.NotOrdered), time.Minute), true, ActionNone},
		{"cooldown expired", plain, cooling(st(outcome.NotOrdered), -time.Minute), true, ActionOrder},
		{"cooldown ends now", plain, cooling(st(outcome.NotOrdered), 0), true, ActionOrder},
		{"pending polls", plain, st(outcome.Pending), true, ActionPoll},
		{"pending polls with every flag", all, st(outcome.Pending), true, ActionPoll},
		{"uncertain without flag", plain, st(outcome.Uncertain), true, ActionNone},
		{"uncertain with --reorder-uncertain", OrderPolicy{ReorderUncertain: true, Now: now}, st(outcome.Uncertain), true, ActionOrder},
		{"uncertain, --reorder-failed only", OrderPolicy{ReorderFailed: true, Now: now}, st(outcome.Uncertain), true, ActionNone},
		{"uncertain with flag but cooling", all, cooling(st(outcome.Uncertain), time.Hour), true, ActionNone},
		{"failed without flag", plain, st(outcome.Failed), true, ActionNone},
		{"failed with --reorder-failed", OrderPolicy{ReorderFailed: true, Now: now}, st(outcome.Failed), true, ActionOrder},
		{"failed, --reorder-uncertain only", OrderPolicy{ReorderUncertain: true, Now: now}, st(outcome.Failed), true, ActionNone},
		{"ready, no refresh", plain, ready(10 * year), true, ActionNone},
		{"ready, fresh", all, ready(year - time.Hour), true, ActionNone},
		{"ready, stale", all, ready(year + time.Hour), true, ActionRefresh},
		{"ready, exactly the age", all, ready(year), true, ActionRefresh},
		{"ready, stale but cooling", all, cooling(ready(2*year), time.Hour), true, ActionNone},
		{"not found is final", all, st(outcome.NotFound), true, ActionNone},
		{"rejected is final", all, st(outcome.Rejected), true, ActionNone},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := tt.policy.Decide(tt.state, tt.known)
			assert.Equal(t, tt.want, got, "Decide = %s, want %s", got, tt.want)
		})
	}
}
