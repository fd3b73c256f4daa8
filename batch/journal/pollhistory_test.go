package journal

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestJournal_PollHistory: a poll that found a report finished keeps the
// last poll that found it pending (issue 22), and a reopened state file
// gives them back, newest MaxPollHistory only; a finished poll without it
// (an order of an earlier run, an older version's record) gives nothing.
func TestJournal_PollHistory(t *testing.T) {
	path := filepath.Join(t.TempDir(), "s.qccstate")
	clk := newJournalClock()
	t0 := clk.t
	ctx := context.Background()
	j, err := Open(path, Options{Now: clk.Now, compactMin: 1 << 30})
	require.NoError(t, err)
	_, err = j.StartRun(RunInfo{})
	require.NoError(t, err)
	for _, k := range []string{"a", "b", "c", "d"} {
		require.NoError(t, j.Intent(ctx, Key{k, 1}, k))
		require.NoError(t, j.Ordered(Key{k, 1}, "o-"+k))
	}
	clk.t = t0.Add(20 * time.Second)
	require.NoError(t, j.Polled(Key{"a", 1}, Poll{OrderNo: "o-a", Status: "S", URL: "u", Pending: t0})) // ready at the first poll
	require.NoError(t, j.Polled(Key{"b", 1}, Poll{OrderNo: "o-b", Status: "P"}))
	clk.t = t0.Add(35 * time.Second)
	require.NoError(t, j.Polled(Key{"b", 1}, Poll{OrderNo: "o-b", Status: "F", Pending: t0.Add(20 * time.Second)}))
	require.NoError(t, j.Polled(Key{"c", 1}, Poll{OrderNo: "o-c", Status: "S", URL: "u"})) // not known: not kept
	require.NoError(t, j.Close())

	j, err = Open(path, Options{Now: clk.Now, compactMin: 1 << 30})
	require.NoError(t, err)
	got := j.PollHistory()
	require.NoError(t, j.Close())
	assert.Equal(t, []PollTimes{
		{Ordered: t0, Pending: t0, Done: t0.Add(20 * time.Second)},
		{Ordered: t0, Pending: t0.Add(20 * time.Second), Done: t0.Add(35 * time.Second)},
	}, got)

	// The ring keeps the newest MaxPollHistory, oldest first.
	var p pollRing
	base := packTime(t0)
	for i := range MaxPollHistory + 10 {
		p.add(base, t0.Add(time.Duration(i)*time.Second), t0.Add(time.Duration(i+1)*time.Second))
	}
	j2 := &Journal{ledger: &ledger{polls: p}}
	h := j2.PollHistory()
	require.Len(t, h, MaxPollHistory)
	assert.Equal(t, t0.Add(10*time.Second), h[0].Pending, fmt.Sprint(h[0]))
	assert.Equal(t, t0.Add(time.Duration(MaxPollHistory+9)*time.Second), h[len(h)-1].Pending)
}
