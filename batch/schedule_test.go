package batch

import (
	"context"
	"math/rand/v2"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestScheduler_EarliestDueFirst: the scheduler hands out polls in order of
// their due times, whatever the order they were added in. A reversed heap
// (latest first) passed every pipeline test: they only check that each
// order is polled at all.
func TestScheduler_EarliestDueFirst(t *testing.T) {
	now := time.Date(2025, 3, 1, 9, 0, 0, 0, time.UTC)
	s := newScheduler(func() time.Time { return now })
	const n = 50
	for _, i := range rand.New(rand.NewPCG(1, 2)).Perm(n) {
		// All due already, comp i due i seconds after the earliest.
		s.add(pollItem{due: now.Add(time.Duration(i-n) * time.Second), comp: i})
	}
	s.producersDone()

	var mu sync.Mutex
	var got []int
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	g := startPool(ctx, 1, func(it pollItem) error { // one worker: polls run in the order handed out
		defer s.done()
		mu.Lock()
		got = append(got, it.comp)
		mu.Unlock()
		return nil
	})
	s.run(g.Context(), g.send, func(pollItem) time.Time { return time.Time{} })
	require.NoError(t, g.Wait())
	require.NoError(t, ctx.Err(), "the scheduler returned because of the deadline, not because it was done")

	want := make([]int, n)
	for i := range want {
		want[i] = i
	}
	assert.Equal(t, want, got, "polls in order of due time")
}

// TestScheduler_WaitsForTheEarliest: with polls due in the future, the one
// due first is handed out first, and not before it is due.
func TestScheduler_WaitsForTheEarliest(t *testing.T) {
	start := time.Now()
	s := newScheduler(time.Now)
	s.add(pollItem{due: start.Add(60 * time.Millisecond), comp: 2})
	s.add(pollItem{due: start.Add(40 * time.Millisecond), comp: 1})
	s.add(pollItem{due: start.Add(80 * time.Millisecond), comp: 3})
	s.producersDone()

	var mu sync.Mutex
	var got []int
	var at []time.Time
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	g := startPool(ctx, 1, func(it pollItem) error {
		defer s.done()
		mu.Lock()
		got = append(got, it.comp)
		at = append(at, time.Now())
		mu.Unlock()
		return nil
	})
	s.run(g.Context(), g.send, func(pollItem) time.Time { return time.Time{} })
	require.NoError(t, g.Wait())
	require.NoError(t, ctx.Err())
	assert.Equal(t, []int{1, 2, 3}, got, "the earliest due is handed out first")
	require.Len(t, at, 3)
	assert.False(t, at[0].Before(start.Add(40*time.Millisecond)), "not before it is due")
}

// TestScheduler_EndgamePollsCome (issue 22): once every order is placed
// and few are pending, their polls are pulled in to the endgame's limit.
// When such a poll came due, the schedule was asked again and put it back
// by another endgame gap, every time: the poll never came. It must be
// handed out at the limit, whatever the schedule now says.
func TestScheduler_EndgamePollsCome(t *testing.T) {
	s := newScheduler(time.Now)
	start := time.Now()
	s.add(pollItem{comp: 7, due: start.Add(time.Hour)})
	s.producersDone()
	limit, ok := s.endgameLimit(1)
	require.True(t, ok, "every order placed, one pending: the endgame")
	s.pullIn(limit)

	var mu sync.Mutex
	var at []time.Time
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Second)
	defer cancel()
	g := startPool(ctx, 1, func(it pollItem) error {
		defer s.done()
		mu.Lock()
		at = append(at, time.Now())
		mu.Unlock()
		return nil
	})
	// The schedule says an hour later, as it may for a slow report.
	s.run(g.Context(), g.send, func(it pollItem) time.Time { return s.dueAgain(it, 1, time.Now().Add(time.Hour)) })
	require.NoError(t, g.Wait())
	mu.Lock()
	defer mu.Unlock()
	require.Len(t, at, 1, "the endgame's poll came")
	assert.False(t, at[0].Before(limit), "not before the limit")
	assert.Less(t, at[0].Sub(start), 3*time.Second)
}
