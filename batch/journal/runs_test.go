package journal

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/qccbatch/qccbatch/batch/outcome"
)

// TestJournal_Runs: runs are on record with their start and end, a run
// without an end shows as killed, intents carry their run's id, and the
// records survive compaction and reopening.
func TestJournal_Runs(t *testing.T) {
	path := filepath.Join(t.TempDir(), "s.qccstate")
	clk := newJournalClock()
	acct := Account{Endpoint: "https://api.qichacha.com", KeyFingerprint: Fingerprint("k")}
	j, err := Open(path, Options{Now: clk.Now, Account: acct, compactMin: 1})
	require.NoError(t, err)
	t0 := clk.t
	info := RunInfo{Version: "1.2.3", Host: "h1", User: "alice", PID: 42, Input: "book.xlsx",
		InputSHA256: strings.Repeat("ab", 32), Flags: []string{"--qps=20", "--format=pdf"}}
	id1, err := j.StartRun(info)
	require.NoError(t, err)
	assert.Equal(t, "20250301T090000Z", id1)
	_, err = j.StartRun(info)
	require.Error(t, err, "a second run while one is in progress")
	ctx := context.Background()
	require.NoError(t, j.Intent(ctx, Key{"a", 1}, "a"))
	require.NoError(t, j.Ordered(Key{"a", 1}, "o1"))
	runs := j.Runs()
	require.Len(t, runs, 1)
	assert.True(t, runs[0].Running)
	assert.False(t, runs[0].Killed)
	clk.t = clk.t.Add(time.Minute)
	require.Error(t, j.EndRun("nope", RunEnd{}))
	require.NoError(t, j.EndRun(id1, RunEnd{NewOrders: 1, Exit: 5, Reason: "1 rows uncertain",
		Counts: map[outcome.Outcome]int{outcome.Pending: 1, outcome.Ready: 0}}))

	// A second run in the same second, killed before its end.
	clk.t = t0
	id2, err := j.StartRun(RunInfo{Version: "1.2.3"})
	require.NoError(t, err)
	assert.Equal(t, "20250301T090000Z-2", id2)
	require.NoError(t, j.Intent(ctx, Key{"b", 1}, "b"))
	require.NoError(t, j.Close())

	data, err := os.ReadFile(path)
	require.NoError(t, err)
	assert.Contains(t, string(data), `"op":"intent","n":3,"at":"2025-03-01T09:00:00Z","k":"a","f":1,"sk":"a","run":"20250301T090000Z"`)

	want := []RunRecord{
		{ID: id1, RunInfo: RunInfo{Kind: KindRun, Started: t0, Version: "1.2.3", Host: "h1", User: "alice", PID: 42,
			Input: "book.xlsx", InputSHA256: strings.Repeat("ab", 32), Flags: []string{"--qps=20", "--format=pdf"},
			Endpoint: acct.Endpoint, KeyFingerprint: acct.KeyFingerprint},
			RunEnd: RunEnd{Ended: t0.Add(time.Minute), NewOrders: 1, Exit: 5, Reason: "1 rows uncertain",
				Counts: map[outcome.Outcome]int{outcome.Pending: 1}}},
		{ID: id2, RunInfo: RunInfo{Kind: KindRun, Started: t0, Version: "1.2.3", Endpoint: acct.Endpoint, KeyFingerprint: acct.KeyFingerprint},
			Killed: true},
	}
	for _, ro := range []bool{true, false, true} { // the write-open compacts
		r, err := Open(path, Options{ReadOnly: ro, Now: clk.Now, compactMin: 1})
		require.NoError(t, err)
		assert.Equal(t, want, r.Runs(), "readOnly=%v", ro)
		require.NoError(t, r.Close())
	}
	data, err = os.ReadFile(path)
	require.NoError(t, err)
	assert.Equal(t, 2, strings.Count(string(data), `"op":"run"`), "compaction keeps the runs")
	assert.Equal(t, 1, strings.Count(string(data), `"op":"end"`))
}

// TestJournal_RunRecordsDecode: run records, with their flags and counts,
// read back the same through either decoder.
func TestJournal_RunRecordsDecode(t *testing.T) {
	for _, r := range []*record{
		{Op: opRun, Seq: 2, Run: "x", Kind: "resolve", Prog: "v", Host: "h", User: "u", PID: 7, Input: "i", InputSHA: "s"},
		{Op: opRun, Seq: 2, Run: "x", Kind: "run", Flags: []string{"--a", "b\"c"}},
		{Op: opEnd, Seq: 3, Run: "x", NewOrders: 3, Exit: 2, Reason: "r", Counts: map[outcome.Outcome]int{outcome.Ready: 3}},
	} {
		line, err := encodeRecord(nil, r)
		require.NoError(t, err)
		var got record
		require.NoError(t, decodeRecord(line[:len(line)-1], &got))
		r.CRC, got.CRC = "", ""
		assert.Equal(t, *r, got)
	}
	for _, bad := range []*record{
		{Op: opRun, Seq: 2, Kind: "run"},
		{Op: opRun, Seq: 2, Run: "x", Kind: "walk"},
		{Op: opEnd, Seq: 2},
	} {
		line, err := encodeRecord(nil, bad)
		require.NoError(t, err)
		var got record
		assert.Error(t, decodeRecord(line[:len(line)-1], &got), "%+v", bad)
	}
}
