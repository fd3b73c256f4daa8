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

// TestJournal_Resolve: uncertain companies are settled either way, an
// order is added for a company without one, anything else is refused; the
// resolutions are on record and survive compaction.
func TestJournal_Resolve(t *testing.T) {
	path := filepath.Join(t.TempDir(), "s.qccstate")
	clk := newJournalClock()
	t0 := clk.t
	ctx := context.Background()
	j, err := Open(path, Options{Now: clk.Now})
	require.NoError(t, err)
	run1, err := j.StartRun(RunInfo{})
	require.NoError(t, err)
	for _, k := range []string{"a", "b", "c", "d"} {
		require.NoError(t, j.Intent(ctx, Key{k, 1}, "sk-"+k))
	}
	require.NoError(t, j.Ambiguous(Key{"a", 1}, "timeout"))
	require.NoError(t, j.Ordered(Key{"c", 1}, "oc"))
	require.NoError(t, j.Cancelled(Key{"d", 1}, "not sent"))
	require.NoError(t, j.Close()) // b is never answered

	clk.t = t0.Add(24 * time.Hour)
	t1 := clk.t
	j, err = Open(path, Options{Now: clk.Now, History: true})
	require.NoError(t, err)
	src := Resolution{By: "alice", Source: "orders.csv", SourceSHA256: "5ha"}
	with := func(f func(*Resolution)) Resolution { r := src; f(&r); return r }

	// Refused: nothing written.
	for _, tt := range []struct {
		k    string
		r    Resolution
		want string
	}{
		{"c", with(func(r *Resolution) { r.OrderNo = "x" }), "cannot record order x for c: it has order oc (pending)"},
		{"c", with(func(r *Resolution) { r.OrderNo = "oc" }), "order oc of c is already recorded"},
		{"c", with(func(r *Resolution) { r.NotOrdered = true }), "cannot mark c not ordered: it is pending, not uncertain"},
		{"z", with(func(r *Resolution) { r.NotOrdered = true }), "the state file does not know it"},
	} {
		err := j.Resolve(Key{tt.k, 1}, tt.r)
		var re *ResolveError
		require.ErrorAs(t, err, &re, tt.want)
		assert.Contains(t, err.Error(), tt.want)
	}
	require.Error(t, j.Resolve(Key{"a", 1}, src), "neither an order nor not ordered")
	require.Error(t, j.Resolve(Key{"a", 1}, with(func(r *Resolution) { r.OrderNo, r.NotOrdered = "x", true })))
	assert.Empty(t, j.Runs()[1:], "a refused resolution is not on record")

	require.NoError(t, j.Resolve(Key{"a", 1}, with(func(r *Resolution) { r.OrderNo = "oa" })))
	require.NoError(t, j.Resolve(Key{"b", 1}, with(func(r *Resolution) { r.NotOrdered = true })))
	rid, err := j.StartRun(RunInfo{Kind: KindResolve, User: "bob"})
	require.NoError(t, err)
	require.NoError(t, j.Resolve(Key{"d", 1}, with(func(r *Resolution) { r.OrderNo, r.OrderedAt = "od", t0.Add(time.Minute) })))
	require.NoError(t, j.Resolve(Key{"e", 2}, with(func(r *Resolution) { r.OrderNo, r.SearchKey = "oe", "E 公司" })))
	require.NoError(t, j.EndRun(rid, RunEnd{NewOrders: 2}))

	check := func(j *Journal) {
		t.Helper()
		want := map[Key]State{
			{"a", 1}: {Key: Key{"a", 1}, SearchKey: "sk-a", Outcome: outcome.Pending, OrderNo: "oa", OrderedAt: t0, Orders: 1, Intents: 1},
			{"b", 1}: {Key: Key{"b", 1}, SearchKey: "sk-b", Outcome: outcome.NotOrdered, Intents: 1},
			{"c", 1}: {Key: Key{"c", 1}, SearchKey: "sk-c", Outcome: outcome.Pending, OrderNo: "oc", OrderedAt: t0, Orders: 1, Intents: 1},
			{"d", 1}: {Key: Key{"d", 1}, SearchKey: "sk-d", Outcome: outcome.Pending, OrderNo: "od", OrderedAt: t0.Add(time.Minute), Orders: 1, Intents: 1},
			{"e", 2}: {Key: Key{"e", 2}, SearchKey: "E 公司", Outcome: outcome.Pending, OrderNo: "oe", OrderedAt: t1, Orders: 1},
		}
		assert.Equal(t, want, ledgerStates(j))
		runs := j.Runs()
		require.Len(t, runs, 4)
		for i, r := range runs[1:3] {
			assert.Equal(t, KindResolve, r.Kind, i)
			assert.Equal(t, "alice", r.User)
			assert.Equal(t, "orders.csv", r.Input)
			assert.Equal(t, "5ha", r.InputSHA256)
			assert.False(t, r.Killed)
		}
		assert.Equal(t, 1, runs[1].NewOrders)
		assert.Equal(t, map[outcome.Outcome]int{outcome.NotOrdered: 1}, runs[2].Counts)
		assert.Equal(t, rid, runs[3].ID)
		assert.Equal(t, "bob", runs[3].User)
		assert.Equal(t, []OrderRecord{
			{OrderNo: "oa", SearchKey: "sk-a", Key: Key{"a", 1}, RequestedAt: t0, OrderedAt: t0, RunID: run1, Outcome: outcome.Pending,
				Resolution: runs[1].ID, Current: true},
			{OrderNo: "oc", SearchKey: "sk-c", Key: Key{"c", 1}, RequestedAt: t0, OrderedAt: t0, RunID: run1, Outcome: outcome.Pending, Current: true},
			{OrderNo: "od", SearchKey: "sk-d", Key: Key{"d", 1}, OrderedAt: t0.Add(time.Minute), RunID: rid, Outcome: outcome.Pending,
				Resolution: rid, Current: true},
			{OrderNo: "oe", SearchKey: "E 公司", Key: Key{"e", 2}, OrderedAt: t1, RunID: rid, Outcome: outcome.Pending,
				Resolution: rid, Current: true},
		}, j.Orders())
	}
	check(j)
	require.NoError(t, j.Close())
	for _, min := range []int{1 << 30, 1} { // as written, then compacted
		j, err := Open(path, Options{Now: clk.Now, History: true, compactMin: min})
		require.NoError(t, err)
		check(j)
		require.NoError(t, j.Close())
	}
	ro, err := Open(path, Options{ReadOnly: true, History: true})
	require.NoError(t, err)
	check(ro)
}

// TestJournal_ResolveUndo: a company pending with an order a resolution
// recorded may be marked not ordered (the resolution undone); one pending
// with an order the API answered may not. The undo survives replay and
// compaction, and the undone order is no row of the history.
func TestJournal_ResolveUndo(t *testing.T) {
	path := filepath.Join(t.TempDir(), "s.qccstate")
	clk := newJournalClock()
	ctx := context.Background()
	j, err := Open(path, Options{Now: clk.Now, History: true})
	require.NoError(t, err)
	_, err = j.StartRun(RunInfo{})
	require.NoError(t, err)
	for _, k := range []string{"a", "b"} {
		require.NoError(t, j.Intent(ctx, Key{k, 1}, "sk-"+k))
	}
	require.NoError(t, j.Ambiguous(Key{"a", 1}, "timeout"))
	require.NoError(t, j.Ordered(Key{"b", 1}, "ob"))
	require.NoError(t, j.Close())

	j, err = Open(path, Options{Now: clk.Now, History: true})
	require.NoError(t, err)
	require.NoError(t, j.Resolve(Key{"a", 1}, Resolution{OrderNo: "wrong", By: "alice"}))
	var re *ResolveError
	require.ErrorAs(t, j.Resolve(Key{"b", 1}, Resolution{NotOrdered: true, By: "alice"}), &re, "the API's order is not undone")
	assert.Contains(t, re.Error(), "came from the API")
	require.NoError(t, j.Resolve(Key{"a", 1}, Resolution{NotOrdered: true, By: "alice"}))
	require.NoError(t, j.Close())

	// Without the history, where the order came from is unknown: refused.
	j, err = Open(path, Options{Now: clk.Now})
	require.NoError(t, err)
	require.NoError(t, j.Resolve(Key{"a", 1}, Resolution{OrderNo: "wrong2", By: "alice"}))
	require.ErrorAs(t, j.Resolve(Key{"a", 1}, Resolution{NotOrdered: true, By: "alice"}), &re)
	require.NoError(t, j.Close())
	j, err = Open(path, Options{Now: clk.Now, History: true})
	require.NoError(t, err)
	require.NoError(t, j.Resolve(Key{"a", 1}, Resolution{NotOrdered: true, By: "alice"}))
	require.NoError(t, j.Close())

	for _, min := range []int{1 << 30, 1} { // as written, then compacted
		j, err := Open(path, Options{Now: clk.Now, History: true, compactMin: min})
		require.NoError(t, err)
		st, ok := j.Lookup(Key{"a", 1})
		require.True(t, ok)
		assert.Equal(t, outcome.NotOrdered, st.Outcome)
		assert.Zero(t, st.Orders)
		assert.Empty(t, st.OrderNo)
		for _, o := range j.Orders() {
			assert.NotEqual(t, Key{"a", 1}, o.Key, "an undone resolution leaves no row: %+v", o)
		}
		require.NoError(t, j.Close())
	}
}
