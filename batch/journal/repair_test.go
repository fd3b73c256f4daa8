package journal

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/qccbatch/qccbatch/batch/outcome"
)

// TestRepair: after a repair of a file with damaged middle records, every
// company either keeps its history or is uncertain; none would be ordered
// again by a run.
func TestRepair(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "s.qccstate")
	acct := Account{Endpoint: "https://pro.qcc.com/api/yj", KeyFingerprint: Fingerprint("k")}
	recs := []*record{
		{Op: opHeader, Version: journalVersion, Endpoint: acct.Endpoint, KeyFP: acct.KeyFingerprint},
		{Op: opIntent, Key: "a", Format: 1, SearchKey: "a"},
		{Op: opOrdered, Key: "a", Format: 1, OrderNo: "oa"},
		{Op: opPolled, Key: "a", Format: 1, OrderNo: "oa", Status: "S", URL: "u"},
		{Op: opIntent, Key: "b", Format: 1, SearchKey: "b"},
		{Op: opOrdered, Key: "b", Format: 1, OrderNo: "ob"},
		{Op: opPolled, Key: "b", Format: 1, OrderNo: "ob", Status: "P"}, // line 7: damaged
		{Op: opIntent, Key: "c", Format: 2, SearchKey: "c"},
		{Op: opRefused, Key: "c", Format: 2, Code: 201, Outcome: outcome.NotFound},                                // line 9: damaged
		{Op: opSnapshot, Key: "d", Format: 1, State: &snapshot{Outcome: outcome.Ready, OrderNo: "od", Orders: 1}}, // line 10: damaged
		{Op: opIntent, Key: "e", Format: 1, SearchKey: "e"},
		{Op: opCancelled, Key: "e", Format: 1}, // line 12: deleted
		{Op: opIntent, Key: "f", Format: 1, SearchKey: "f"},
		{Op: opCancelled, Key: "f", Format: 1},
	}
	data := writeJournalFile(t, path, recs...)
	lines := strings.SplitAfter(string(data), "\n")
	for _, i := range []int{6, 8, 9} {
		lines[i] = strings.Replace(lines[i], `"op"`, `"oq"`, 1) // checksum no longer matches
	}
	lines = append(lines[:11], lines[12:]...)
	damaged := strings.Join(lines, "")
	require.NoError(t, os.WriteFile(path, []byte(damaged), 0o600))
	_, err := Open(path, Options{})
	var ce *CorruptError
	require.ErrorAs(t, err, &ce)

	dry, err := Repair(path, RepairOptions{DryRun: true, Now: newJournalClock().Now})
	require.NoError(t, err)
	got, err := os.ReadFile(path)
	require.NoError(t, err)
	assert.Equal(t, damaged, string(got), "a dry run changed the file")
	assert.NoFileExists(t, dry.Damaged)

	rep, err := Repair(path, RepairOptions{Now: newJournalClock().Now, Info: RunInfo{Version: "9.9", User: "bob", Host: "h", PID: 3}})
	require.NoError(t, err)
	assert.Equal(t, dry.Dropped, rep.Dropped)
	assert.Equal(t, dry.Uncertain, rep.Uncertain)
	assert.True(t, rep.Changed())
	assert.Equal(t, 9, rep.Kept)
	var dropped []int
	for _, d := range rep.Dropped {
		dropped = append(dropped, d.Line)
	}
	assert.Equal(t, []int{7, 9, 10, 12}, dropped, "three damaged lines, and the line after the deleted one")
	assert.Equal(t, []Key{{"d", 1}}, rep.Uncertain, "d's only record was lost")
	assert.Equal(t, 1, rep.Unattributed, "the deleted line")
	assert.Equal(t, filepath.Join(dir, "s.qccstate.damaged-20250301T090000Z"), rep.Damaged)
	kept, err := os.ReadFile(rep.Damaged)
	require.NoError(t, err)
	assert.Equal(t, damaged, string(kept), "the damaged file is kept as it was")

	j, err := Open(path, Options{Account: acct})
	require.NoError(t, err, "the repaired file opens, for the same account")
	defer j.Close()
	want := map[string]outcome.Outcome{
		"a": outcome.Ready, "b": outcome.Pending, "c": outcome.Uncertain, "d": outcome.Uncertain,
		"e": outcome.Uncertain, "f": outcome.NotOrdered,
	}
	for k, o := range want {
		f := 1
		if k == "c" {
			f = 2
		}
		st, known := j.Lookup(Key{k, f})
		require.True(t, known, k)
		assert.Equal(t, o, st.Outcome, k)
	}
	st, _ := j.Lookup(Key{"d", 1})
	assert.Equal(t, MsgRepaired, st.Message)
	st, _ = j.Lookup(Key{"b", 1})
	assert.Equal(t, "ob", st.OrderNo, "b keeps its order")
	repaired, err := os.ReadFile(path)
	require.NoError(t, err)
	assert.Contains(t, string(repaired), `"op":"repair"`)
	runs := j.Runs()
	require.Len(t, runs, 1, "the repair is on record")
	assert.Equal(t, RunRecord{ID: "20250301T090000Z", RunInfo: RunInfo{Kind: KindRepair, Started: newJournalClock().t, Version: "9.9",
		Host: "h", User: "bob", PID: 3, Input: filepath.Base(rep.Damaged)},
		RunEnd: RunEnd{Ended: newJournalClock().t, Reason: "repaired: kept 9 records, dropped 4 lines, marked 1 companies uncertain; " +
			"the damaged file is " + filepath.Base(rep.Damaged)}}, runs[0])

	again, err := Repair(path, RepairOptions{DryRun: true})
	require.ErrorAs(t, err, new(*LockedError), "a repair while the file is in use")
	assert.Nil(t, again)
}

// TestRepair_Healthy: a file without damage is left alone.
func TestRepair_Healthy(t *testing.T) {
	path := filepath.Join(t.TempDir(), "s.qccstate")
	writeJournalFile(t, path, journalHeader(), &record{Op: opOrdered, Key: "a", Format: 1, OrderNo: "o"})
	before, err := os.ReadFile(path)
	require.NoError(t, err)
	rep, err := Repair(path, RepairOptions{})
	require.NoError(t, err)
	assert.False(t, rep.Changed())
	after, err := os.ReadFile(path)
	require.NoError(t, err)
	assert.Equal(t, before, after)
	assert.NoFileExists(t, rep.Damaged)
}
