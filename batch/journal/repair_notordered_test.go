package journal

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/qccbatch/qccbatch/batch/msg"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/qccbatch/qccbatch/batch/outcome"
)

// TestRepair_NotOrderedThenLostOrder: a company settled not_ordered (by
// resolve), then ordered by a later run whose intent and order records are
// the damaged lines. Its kept history says not_ordered, yet an order was
// placed: repair must mark it uncertain, or the next run pays for it again.
// A mutation that let repair skip companies kept not_ordered passed every
// test.
func TestRepair_NotOrderedThenLostOrder(t *testing.T) {
	path := filepath.Join(t.TempDir(), "s.qccstate")
	clk := newJournalClock()
	j := openTestJournal(t, path, clk)
	ctx := context.Background()
	lost := Key{"丢单科技有限公司", 1}
	kept := Key{"未下单科技有限公司", 1}
	for _, k := range []Key{lost, kept} {
		require.NoError(t, j.Intent(ctx, k, k.ID))
		require.NoError(t, j.Ambiguous(k, "connection lost"))
		require.NoError(t, j.Resolve(k, Resolution{NotOrdered: true, By: "bob", At: clk.Now()}))
	}
	st, _ := j.Lookup(lost)
	require.Equal(t, outcome.NotOrdered, st.Outcome)
	// The next run orders it: these two records are the ones damaged.
	require.NoError(t, j.Intent(ctx, lost, lost.ID))
	require.NoError(t, j.Ordered(lost, "SBXLOST"))
	require.NoError(t, j.Close())

	data, err := os.ReadFile(path)
	require.NoError(t, err)
	lines := strings.SplitAfter(string(data), "\n")
	damagedLines := 0
	for i := len(lines) - 1; i >= 0 && damagedLines < 2; i-- {
		if strings.Contains(lines[i], lost.ID) && (strings.Contains(lines[i], `"op":"intent"`) || strings.Contains(lines[i], `"op":"ordered"`)) {
			lines[i] = strings.Replace(lines[i], `"op"`, `"oq"`, 1) // checksum no longer matches
			damagedLines++
		}
	}
	require.Equal(t, 2, damagedLines, "found the last intent and order of the company:\n%s", data)
	require.NoError(t, os.WriteFile(path, []byte(strings.Join(lines, "")), 0o600))

	rep, err := Repair(path, RepairOptions{Now: clk.Now})
	require.NoError(t, err)
	require.Len(t, rep.Dropped, 2)
	assert.Equal(t, []Key{lost}, rep.Uncertain, "the company whose order was lost is marked uncertain")

	j, err = Open(path, Options{Now: clk.Now})
	require.NoError(t, err)
	defer j.Close()
	st, _ = j.Lookup(lost)
	assert.Equal(t, outcome.Uncertain, st.Outcome, "a run would not order it again")
	assert.Equal(t, msg.M(msg.RepairedUncertain), st.Note)
	st, _ = j.Lookup(kept)
	assert.Equal(t, outcome.NotOrdered, st.Outcome, "no damaged line is about the other company: it stays not_ordered")
}
