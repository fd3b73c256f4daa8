package journal

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/qccbatch/qccbatch/batch/outcome"
)

// TestJournal_Orders: one row per order request that may have been
// charged, superseded orders included, attributed to their runs; the same
// rows after compaction.
func TestJournal_Orders(t *testing.T) {
	path := filepath.Join(t.TempDir(), "s.qccstate")
	clk := newJournalClock()
	t0 := clk.t
	ctx := context.Background()
	j, err := Open(path, Options{Now: clk.Now, compactMin: 1 << 30})
	require.NoError(t, err)
	run1, err := j.StartRun(RunInfo{})
	require.NoError(t, err)
	for _, k := range []string{"a", "b", "c", "d", "e"} {
		require.NoError(t, j.Intent(ctx, Key{k, 1}, "sk-"+k))
	}
	clk.t = t0.Add(time.Second)
	require.NoError(t, j.Ordered(Key{"a", 1}, "o1"))
	require.NoError(t, j.Ambiguous(Key{"b", 1}, "timeout"))
	require.NoError(t, j.Cancelled(Key{"c", 1}, "not sent"))
	require.NoError(t, j.Refused(Key{"d", 1}, Refusal{Code: 201, Message: "无", Outcome: outcome.NotFound}))
	clk.t = t0.Add(time.Minute)
	require.NoError(t, j.Polled(Key{"a", 1}, Poll{OrderNo: "o1", Status: "S", URL: "u1"}))
	require.NoError(t, j.Downloaded(Key{"a", 1}, File{Path: "a.pdf", SHA256: "aa"}))
	require.NoError(t, j.Close()) // e is never answered: killed

	j, err = Open(path, Options{Now: clk.Now, compactMin: 1 << 30, History: true})
	require.NoError(t, err)
	clk.t = t0.Add(time.Hour)
	run2, err := j.StartRun(RunInfo{})
	require.NoError(t, err)
	require.NoError(t, j.Intent(ctx, Key{"a", 1}, "sk-a")) // a refresh
	clk.t = t0.Add(time.Hour + time.Second)
	require.NoError(t, j.Ordered(Key{"a", 1}, "o2"))
	require.NoError(t, j.Ordered(Key{"f", 2}, "o3")) // merged, no intent
	require.NoError(t, j.EndRun(run2, RunEnd{}))
	got := j.Orders()
	require.NoError(t, j.Close())

	tA := t0.Add(time.Hour)
	want := []OrderRecord{
		{OrderNo: "o1", SearchKey: "sk-a", Key: Key{"a", 1}, RequestedAt: t0, OrderedAt: t0.Add(time.Second), RunID: run1,
			Outcome: outcome.Ready, ReportStatus: "S", CompletedAt: t0.Add(time.Minute), File: "a.pdf", SHA256: "aa"},
		{SearchKey: "sk-b", Key: Key{"b", 1}, RequestedAt: t0, RunID: run1, Outcome: outcome.Uncertain, Current: true},
		{SearchKey: "sk-e", Key: Key{"e", 1}, RequestedAt: t0, RunID: run1, Outcome: outcome.Uncertain, Current: true},
		{OrderNo: "o2", SearchKey: "sk-a", Key: Key{"a", 1}, RequestedAt: tA, OrderedAt: tA.Add(time.Second), RunID: run2,
			Outcome: outcome.Pending, Current: true},
		{OrderNo: "o3", SearchKey: "f", Key: Key{"f", 2}, OrderedAt: tA.Add(time.Second), Outcome: outcome.Pending, Current: true},
	}
	assert.Equal(t, want, got)

	ro, err := Open(path, Options{ReadOnly: true})
	require.NoError(t, err)
	assert.Nil(t, ro.Orders(), "no history asked")

	// Compaction keeps the history.
	j, err = Open(path, Options{Now: clk.Now, compactMin: 1})
	require.NoError(t, err)
	st := j.Stats()
	require.NoError(t, j.Close())
	assert.Equal(t, st.Companies, st.Records, "compacted")
	ro, err = Open(path, Options{ReadOnly: true, History: true})
	require.NoError(t, err)
	assert.Equal(t, want, ro.Orders())
	assert.Len(t, ro.Runs(), 2)
}
