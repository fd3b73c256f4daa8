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
	plain := orderPolicy{Now: now}
	all := orderPolicy{ReorderFailed: true, ReorderUncertain: true, RefreshAfter: year, Now: now}

	tests := []struct {
		name   string
		policy orderPolicy
		state  journal.State
		known  bool
		want   action
	}{
		{"unknown", plain, journal.State{}, false, actionOrder},
		{"not ordered", plain, st(outcome.NotOrdered), true, actionOrder},
		{"cooldown running", plain, cooling(st(outcome.NotOrdered), time.Minute), true, actionNone},
		{"cooldown expired", plain, cooling(st(outcome.NotOrdered), -time.Minute), true, actionOrder},
		{"cooldown ends now", plain, cooling(st(outcome.NotOrdered), 0), true, actionOrder},
		{"pending polls", plain, st(outcome.Pending), true, actionPoll},
		{"pending polls with every flag", all, st(outcome.Pending), true, actionPoll},
		{"uncertain without flag", plain, st(outcome.Uncertain), true, actionNone},
		{"uncertain with --reorder-uncertain", orderPolicy{ReorderUncertain: true, Now: now}, st(outcome.Uncertain), true, actionOrder},
		{"uncertain, --reorder-failed only", orderPolicy{ReorderFailed: true, Now: now}, st(outcome.Uncertain), true, actionNone},
		{"uncertain with flag but cooling", all, cooling(st(outcome.Uncertain), time.Hour), true, actionNone},
		{"failed without flag", plain, st(outcome.Failed), true, actionNone},
		{"failed with --reorder-failed", orderPolicy{ReorderFailed: true, Now: now}, st(outcome.Failed), true, actionOrder},
		{"failed, --reorder-uncertain only", orderPolicy{ReorderUncertain: true, Now: now}, st(outcome.Failed), true, actionNone},
		{"ready, no refresh", plain, ready(10 * year), true, actionNone},
		{"ready, fresh", all, ready(year - time.Hour), true, actionNone},
		{"ready, stale", all, ready(year + time.Hour), true, actionRefresh},
		{"ready, exactly the age", all, ready(year), true, actionRefresh},
		{"ready, stale but cooling", all, cooling(ready(2*year), time.Hour), true, actionNone},
		{"not found is final", all, st(outcome.NotFound), true, actionNone},
		{"rejected is final", all, st(outcome.Rejected), true, actionNone},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := tt.policy.Decide(tt.state, tt.known)
			assert.Equal(t, tt.want, got, "Decide = %s, want %s", got, tt.want)
		})
	}
}
