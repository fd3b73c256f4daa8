package journal

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/qccbatch/qccbatch/batch/outcome"
)

// TestJournal_SequenceNumbers: a deleted, repeated or moved line in the
// middle is corruption with its line number, like a damaged one.
func TestJournal_SequenceNumbers(t *testing.T) {
	path := filepath.Join(t.TempDir(), "s.qccstate")
	j := openTestJournal(t, path, newJournalClock())
	for _, k := range []string{"a", "b", "c", "d"} {
		require.NoError(t, j.Intent(context.Background(), Key{k, 1}, k))
		require.NoError(t, j.Ordered(Key{k, 1}, "o"+k))
	}
	require.NoError(t, j.Close())
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	lines := strings.SplitAfter(string(data), "\n")
	lines = lines[:len(lines)-1] // the empty string after the last newline
	require.Len(t, lines, 9)

	without := func(i int) []string { return append(append([]string{}, lines[:i]...), lines[i+1:]...) }
	swapped := append([]string{}, lines...)
	swapped[4], swapped[5] = swapped[5], swapped[4]
	tests := []struct {
		name   string
		lines  []string
		line   int
		reason string
	}{
		{"deleted middle line", without(4), 5, "a line before it was deleted"},
		{"repeated line", append(append(append([]string{}, lines[:5]...), lines[4]), lines[5:]...), 6, "added, repeated or moved"},
		{"swapped lines", swapped, 5, "was deleted"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := filepath.Join(t.TempDir(), "s.qccstate")
			require.NoError(t, os.WriteFile(p, []byte(strings.Join(tt.lines, "")), 0o600))
			for _, ro := range []bool{false, true} {
				_, err := Open(p, Options{ReadOnly: ro})
				var ce *CorruptError
				require.ErrorAs(t, err, &ce, "readOnly=%v", ro)
				assert.Equal(t, tt.line, ce.Line)
				assert.Contains(t, en(err), fmt.Sprintf("line %d", tt.line))
				assert.Contains(t, ce.Reason, tt.reason)
			}
		})
	}

	// The last line deleted is a shorter log, as after a crash: the next
	// record takes its number.
	p := filepath.Join(t.TempDir(), "s.qccstate")
	require.NoError(t, os.WriteFile(p, []byte(strings.Join(lines[:8], "")), 0o600))
	j = openTestJournal(t, p, newJournalClock())
	require.NoError(t, j.Ordered(Key{"d", 1}, "od2"))
	require.NoError(t, j.Close())
	ro, err := Open(p, Options{ReadOnly: true})
	require.NoError(t, err)
	st, _ := ro.Lookup(Key{"d", 1})
	assert.Equal(t, "od2", st.OrderNo)
}

// TestJournal_UpgradeVersion1: a state file of format version 1 opens
// read-only as it is, and a write-open rewrites it in the current format
// with every record kept and numbered.
func TestJournal_UpgradeVersion1(t *testing.T) {
	path := filepath.Join(t.TempDir(), "s.qccstate")
	t0 := newJournalClock().t
	var data []byte
	for _, r := range []*record{
		{Op: opHeader, Version: 1, At: t0},
		{Op: opIntent, Key: "a", Format: 1, SearchKey: "a", At: t0},
		{Op: opOrdered, Key: "a", Format: 1, OrderNo: "o1", At: t0},
		{Op: opPolled, Key: "a", Format: 1, OrderNo: "o1", Status: "S", URL: "u", At: t0},
		{Op: opIntent, Key: "b", Format: 2, SearchKey: "b", At: t0},
		{Op: opSnapshot, Key: "c", Format: 1, State: &snapshot{Outcome: outcome.Failed, OrderNo: "o3", Orders: 2}},
	} {
		var err error
		data, err = encodeRecord(data, r) // version 1: no numbers
		require.NoError(t, err)
	}
	require.NoError(t, os.WriteFile(path, data, 0o600))

	ro, err := Open(path, Options{ReadOnly: true})
	require.NoError(t, err)
	before := ledgerStates(ro)
	require.Len(t, before, 3)

	j, err := Open(path, Options{Now: newJournalClock().Now, Account: Account{Endpoint: "https://pro.qcc.com/api/yj/", KeyFingerprint: Fingerprint("k")}})
	require.NoError(t, err)
	require.NoError(t, j.Close())
	after, err := os.ReadFile(path)
	require.NoError(t, err)
	lines := strings.Split(strings.TrimSuffix(string(after), "\n"), "\n")
	require.Len(t, lines, 7, "every record kept, and the intent of b settled")
	assert.Contains(t, lines[0], `"version":3,"crc"`, "the account is recorded by Bind, once the API accepts the key")
	for i, l := range lines {
		assert.Contains(t, l, fmt.Sprintf(`"n":%d,`, i+1))
	}
	ro, err = Open(path, Options{ReadOnly: true})
	require.NoError(t, err)
	diffStates(t, "upgraded", ledgerStates(ro), before)
}

// TestJournal_UpgradeVersion2: a version 2 file (numbered, no runs) opens
// read-only as it is; a write-open rewrites it as version 3 with every
// record kept.
func TestJournal_UpgradeVersion2(t *testing.T) {
	path := filepath.Join(t.TempDir(), "s.qccstate")
	t0 := newJournalClock().t
	writeJournalFile(t, path,
		&record{Op: opHeader, Version: 2, At: t0},
		&record{Op: opIntent, Key: "a", Format: 1, SearchKey: "a", At: t0},
		&record{Op: opOrdered, Key: "a", Format: 1, OrderNo: "o1", At: t0},
		&record{Op: opRepair, At: t0, Message: "repaired: kept 2 records", File: "s.qccstate.damaged-x"})
	ro, err := Open(path, Options{ReadOnly: true})
	require.NoError(t, err)
	before := ledgerStates(ro)
	runs := ro.Runs()
	require.Len(t, runs, 1)
	assert.Equal(t, KindRepair, runs[0].Kind)
	assert.Equal(t, "repair-20250301T090000Z", runs[0].ID)
	assert.Equal(t, "repaired: kept 2 records", runs[0].Reason)

	j := openTestJournal(t, path, newJournalClock())
	require.NoError(t, j.Close())
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	assert.Contains(t, string(data), `"version":3`)
	ro, err = Open(path, Options{ReadOnly: true})
	require.NoError(t, err)
	diffStates(t, "upgraded", ledgerStates(ro), before)
	assert.Equal(t, runs, ro.Runs())
}
