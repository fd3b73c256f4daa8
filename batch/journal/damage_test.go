package journal

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/qccbatch/qccbatch/batch/outcome"
)

// fallbackFile writes a fallback file as saveFallback does: one ordered
// record per line, then the zero reserve; bad lines replace the records at
// their index.
func fallbackFile(t *testing.T, path string, keys []string, bad map[int]string) []byte {
	t.Helper()
	var data []byte
	for i, k := range keys {
		if b, ok := bad[i]; ok {
			data = append(data, b...)
			continue
		}
		line, err := encodeRecord(nil, &record{Op: opOrdered, Key: k, Format: 1, OrderNo: "O-" + k})
		require.NoError(t, err)
		data = append(data, line...)
	}
	data = append(data, make([]byte, fallbackReserve)...)
	require.NoError(t, os.WriteFile(path, data, 0o600))
	return data
}

// intentsFile writes a state file with an unanswered intent per key.
func intentsFile(t *testing.T, path string, keys []string) {
	t.Helper()
	recs := []*record{journalHeader()}
	for _, k := range keys {
		recs = append(recs, &record{Op: opIntent, Key: k, Format: 1, SearchKey: k})
	}
	writeJournalFile(t, path, recs...)
}

// TestFallback_DamagedLineRefusedAndKept reproduces issue 18 item 6: a
// damaged first line of STATE.pending-orders made the open ignore the 10
// valid order numbers after it and replace the file. Now every valid line
// is merged and durable, the open is refused naming repair, and the file
// is kept as it was; repair merges it and keeps it aside.
func TestFallback_DamagedLineRefusedAndKept(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "s.qccstate")
	keys := make([]string, 11)
	for i := range keys {
		keys[i] = fmt.Sprintf("k%02d", i)
	}
	intentsFile(t, path, keys)
	torn, err := encodeRecord(nil, &record{Op: opOrdered, Key: "k00", Format: 1, OrderNo: "O-k00"})
	require.NoError(t, err)
	torn[len(torn)/2] ^= 1 // checksum no longer matches
	fb := fallbackPath(path)
	want := fallbackFile(t, fb, keys, map[int]string{0: string(torn)})

	_, err = Open(path, Options{Now: newJournalClock().Now})
	var ce *CorruptError
	require.ErrorAs(t, err, &ce, "a damaged fallback line is refused")
	assert.Equal(t, 1, ce.Line)
	assert.Contains(t, en(err), "qccbatch repair "+path)
	got, rerr := os.ReadFile(fb)
	require.NoError(t, rerr)
	assert.Equal(t, want, got, "the fallback file is kept as it was")
	state, rerr := os.ReadFile(path)
	require.NoError(t, rerr)
	for _, k := range keys[1:] {
		assert.Contains(t, string(state), `"order_no":"O-`+k+`"`, "every valid order number is durable in the state file")
	}

	rep, err := Repair(path, RepairOptions{Now: newJournalClock().Now})
	require.NoError(t, err)
	assert.Equal(t, fb, rep.Fallback)
	assert.FileExists(t, rep.FallbackDamaged)
	assert.NoFileExists(t, fb)
	assert.Zero(t, rep.Lost, "the damaged line names its company")
	j, err := Open(path, Options{Now: newJournalClock().Now})
	require.NoError(t, err)
	defer j.Close()
	_, damaged := j.Damage()
	assert.False(t, damaged)
	for _, k := range keys[1:] {
		st, _ := j.Lookup(Key{k, 1})
		assert.Equal(t, outcome.Pending, st.Outcome, k)
		assert.Equal(t, "O-"+k, st.OrderNo, k)
	}
	st, _ := j.Lookup(Key{"k00", 1})
	assert.Equal(t, outcome.Uncertain, st.Outcome, "its order number was lost with the damaged line")
}

// TestFallback_UnattributedLineIsLoss: a fallback line no company can be
// told of may have held any company's order: the repair records the loss.
func TestFallback_UnattributedLineIsLoss(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "s.qccstate")
	keys := []string{"a", "b", "c"}
	intentsFile(t, path, keys)
	fallbackFile(t, fallbackPath(path), keys, map[int]string{1: "\x00\x01garbage\n"})
	_, err := Open(path, Options{})
	var ce *CorruptError
	require.ErrorAs(t, err, &ce)
	assert.Equal(t, 2, ce.Line)
	rep, err := Repair(path, RepairOptions{})
	require.NoError(t, err)
	assert.Equal(t, 1, rep.Lost)
	j, err := Open(path, Options{})
	require.NoError(t, err)
	defer j.Close()
	_, damaged := j.Damage()
	assert.True(t, damaged, "new orders wait for resolve")
}

// snapshotsFile writes a state file of n companies, ready, with a snapshot
// each, and returns its bytes.
func snapshotsFile(t *testing.T, path string, n int) []byte {
	t.Helper()
	recs := []*record{journalHeader()}
	for i := range n {
		k := fmt.Sprintf("c%03d", i)
		recs = append(recs, &record{Op: opSnapshot, Key: k, Format: 1,
			State: &snapshot{Outcome: outcome.Ready, OrderNo: "O-" + k, Status: "S", Orders: 1, Intents: 1}})
	}
	return writeJournalFile(t, path, recs...)
}

// TestRepair_LossIsDamageUntilCleared: a block of zero bytes in the middle
// (whole lines lost, a gap in the record numbers) is damage that holds new
// orders; a single checksum error of a named company is not. Compaction
// keeps the damage; ClearDamage settles it.
func TestRepair_LossIsDamageUntilCleared(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "s.qccstate")
	data := snapshotsFile(t, path, 60)
	zeroed := bytes.Clone(data)
	mid := len(zeroed) / 2
	copy(zeroed[mid:mid+1024], make([]byte, 1024))
	require.NoError(t, os.WriteFile(path, zeroed, 0o600))

	rep, err := Repair(path, RepairOptions{Now: newJournalClock().Now})
	require.NoError(t, err)
	require.Positive(t, rep.Lost)
	j, err := Open(path, Options{Now: newJournalClock().Now, compactMin: 1})
	require.NoError(t, err)
	d, ok := j.Damage()
	require.True(t, ok)
	assert.Contains(t, d.Message, "records lost")
	done, err := j.compact()
	require.NoError(t, err)
	require.True(t, done)
	_, ok = j.Damage()
	assert.True(t, ok, "compaction keeps the damage")
	require.NoError(t, j.ClearDamage(Clearance{By: "bob", Source: "orders.csv"}))
	_, ok = j.Damage()
	assert.False(t, ok)
	require.NoError(t, j.Close())
	j, err = Open(path, Options{ReadOnly: true})
	require.NoError(t, err)
	_, ok = j.Damage()
	assert.False(t, ok, "the clearance is durable")

	// One flipped byte in a named company's record: that company is
	// uncertain, nothing else was lost.
	flipped := bytes.Clone(data)
	lines := bytes.SplitAfter(flipped, []byte("\n"))
	lines[10] = bytes.Replace(lines[10], []byte(`"Ready"`), []byte(`"ready"`), 1)
	i := bytes.Index(lines[10], []byte(`"S"`))
	lines[10][i+1] = 'P'
	require.NoError(t, os.WriteFile(path, bytes.Join(lines, nil), 0o600))
	rep, err = Repair(path, RepairOptions{Now: newJournalClock().Now})
	require.NoError(t, err)
	assert.Zero(t, rep.Lost)
	assert.Len(t, rep.Uncertain, 1)
}

// TestRepair_RecoversInterruptedRepair: a repair --apply killed after it
// kept the damaged file's second name and while it wrote the new file left
// STATE.damaged-<time> (the state file itself) and STATE.tmp. The next
// repair refused both (a hard-linked file; the temporary exists); now it
// recovers them.
func TestRepair_RecoversInterruptedRepair(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "s.qccstate")
	data := snapshotsFile(t, path, 5)
	lines := strings.SplitAfter(string(data), "\n")
	lines[3] = strings.Replace(lines[3], `"op"`, `"oq"`, 1)
	require.NoError(t, os.WriteFile(path, []byte(strings.Join(lines, "")), 0o600))
	leftover := path + ".damaged-20250101T000000Z"
	require.NoError(t, os.Link(path, leftover))
	require.NoError(t, os.WriteFile(path+".tmp", []byte(`{"op":"header"`), 0o600))

	rep, err := Repair(path, RepairOptions{Now: newJournalClock().Now})
	require.NoError(t, err, "the next repair recovers what the interrupted one left")
	assert.Equal(t, leftover, rep.Damaged, "the damaged copy it made is reused")
	assert.Contains(t, rep.Leftovers, path+".tmp")
	assert.NoFileExists(t, path+".tmp")
	j, err := Open(path, Options{})
	require.NoError(t, err)
	defer j.Close()
	st, _ := j.Lookup(Key{"c002", 1})
	assert.Equal(t, outcome.Uncertain, st.Outcome)
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	assert.ElementsMatch(t, []string{"s.qccstate", "s.qccstate.damaged-20250101T000000Z", "s.qccstate.lock", "s.qccstate.pending-orders"}, names)
}

// TestReadDamaged shows what can be read of a damaged file.
func TestReadDamaged(t *testing.T) {
	path := filepath.Join(t.TempDir(), "s.qccstate")
	data := snapshotsFile(t, path, 5)
	lines := strings.SplitAfter(string(data), "\n")
	lines[2] = strings.Replace(lines[2], `"op"`, `"oq"`, 1)
	require.NoError(t, os.WriteFile(path, []byte(strings.Join(lines, "")), 0o600))
	j, dropped, err := ReadDamaged(path)
	require.NoError(t, err)
	assert.Equal(t, 4, j.Stats().Companies)
	require.Len(t, dropped, 1)
	assert.Equal(t, 3, dropped[0].Line)
}

// TestResolve_NewerOrderWhileDamaged: while records are lost, a newer
// order of the vendor's list for a company with an order is one of them
// and is recorded; otherwise it is refused as before.
func TestResolve_NewerOrderWhileDamaged(t *testing.T) {
	path := filepath.Join(t.TempDir(), "s.qccstate")
	snapshotsFile(t, path, 3)
	clk := newJournalClock()
	j, err := Open(path, Options{Now: clk.Now})
	require.NoError(t, err)
	later := clk.Now().Add(48 * time.Hour)
	k := Key{"c001", 1}
	var re *ResolveError
	require.ErrorAs(t, j.Resolve(k, Resolution{OrderNo: "O-new", OrderedAt: later}), &re, "no damage: refused")
	require.NoError(t, j.append(&record{Op: opDamage, At: clk.Now(), Run: "r1", Message: "lost"}, false))
	require.NoError(t, j.Resolve(k, Resolution{OrderNo: "O-new", OrderedAt: later}))
	st, _ := j.Lookup(k)
	assert.Equal(t, outcome.Pending, st.Outcome)
	assert.Equal(t, "O-new", st.OrderNo)
	require.NoError(t, j.Close())
}
