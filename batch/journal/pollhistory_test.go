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

// TestJournal_PollHistoryOutlivesCompaction: the poll history is the next
// run's prior (issue 22), so a compaction keeps it in the snapshots of the
// finished orders; before, a compacted state file gave the next run
// nothing to learn from, and its first polls came at --poll-interval.
func TestJournal_PollHistoryOutlivesCompaction(t *testing.T) {
	path := filepath.Join(t.TempDir(), "s.qccstate")
	clk := newJournalClock()
	t0 := clk.t
	ctx := context.Background()
	j, err := Open(path, Options{Now: clk.Now, compactMin: 1 << 30})
	require.NoError(t, err)
	_, err = j.StartRun(RunInfo{})
	require.NoError(t, err)
	const n = 40
	for i := range n {
		k := Key{fmt.Sprint("c", i), 1}
		require.NoError(t, j.Intent(ctx, k, k.ID))
		require.NoError(t, j.Ordered(k, "o-"+k.ID))
	}
	// Each company polled pending a few times (records for compaction to
	// fold), then found ready or failed; c0 and c1 without poll times.
	for round := range 3 {
		clk.t = t0.Add(time.Duration(10*(round+1)) * time.Second)
		for i := range n {
			require.NoError(t, j.Polled(Key{fmt.Sprint("c", i), 1}, Poll{OrderNo: fmt.Sprint("o-c", i), Status: "P"}))
		}
	}
	var want []PollTimes
	for i := range n {
		clk.t = t0.Add(time.Duration(40+i) * time.Second)
		k, st, pend := Key{fmt.Sprint("c", i), 1}, "S", t0.Add(30*time.Second)
		if i%5 == 0 {
			st = "F"
		}
		if i < 2 {
			pend = time.Time{}
		} else {
			want = append(want, PollTimes{Ordered: t0, Pending: pend, Done: clk.t})
		}
		require.NoError(t, j.Polled(k, Poll{OrderNo: "o-" + k.ID, Status: st, URL: "u", Pending: pend}))
	}
	require.NoError(t, j.Close())

	j, err = Open(path, Options{Now: clk.Now, compactMin: 10}) // compacts
	require.NoError(t, err)
	st := j.Stats()
	require.NoError(t, j.Close())
	require.Equal(t, st.Companies, st.Records, "the state file was not compacted")

	j, err = Open(path, Options{ReadOnly: true})
	require.NoError(t, err)
	got := j.PollHistory()
	require.NoError(t, j.Close())
	assert.ElementsMatch(t, want, got)
}
