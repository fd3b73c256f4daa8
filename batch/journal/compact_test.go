package journal

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/qccbatch/qccbatch/batch/outcome"
)

// randomEvents writes n random events over keys companies, as a run (or
// several) could, including unanswered intents.
func randomEvents(t testing.TB, j *Journal, clk *journalClock, rng *rand.Rand, keys, n int) {
	t.Helper()
	ctx := context.Background()
	for i := 0; i < n; i++ {
		clk.t = clk.t.Add(time.Duration(rng.IntN(3600)) * time.Second)
		k := fmt.Sprintf("k%03d", rng.IntN(keys))
		f := 1 + rng.IntN(2)
		no := fmt.Sprintf("o%d", rng.IntN(4))
		var err error
		switch rng.IntN(9) {
		case 0, 1:
			err = j.Intent(ctx, Key{k, f}, "sk-"+k)
		case 2:
			err = j.Ordered(Key{k, f}, no)
		case 3:
			err = j.Refused(Key{k, f}, Refusal{Code: 201 + rng.IntN(2)*7, Message: "refused", Outcome: []outcome.Outcome{outcome.NotFound, outcome.Rejected}[rng.IntN(2)]})
		case 4:
			err = j.Cancelled(Key{k, f}, "refused")
		case 5:
			err = j.Ambiguous(Key{k, f}, "timeout")
		case 6:
			err = j.Polled(Key{k, f}, Poll{OrderNo: no, Status: []string{"P", "N", "S", "F"}[rng.IntN(4)], URL: "https://r/" + no})
		case 7:
			err = j.Downloaded(Key{k, f}, File{Path: "dl/" + k, SHA256: "00ff"})
		case 8:
			err = j.Cooldown(Key{k, f}, clk.t.Add(2*time.Hour), 110, "cooldown")
		}
		require.NoError(t, err, "ledgerEvent %d", i)
	}
}

// ledgerStates collects every company's state.
func ledgerStates(j *Journal) map[Key]State {
	m := make(map[Key]State)
	j.Each(func(s State) bool {
		m[s.Key] = s
		return true
	})
	return m
}

func diffStates(t *testing.T, what string, got, want map[Key]State) {
	t.Helper()
	assert.Len(t, got, len(want), "%s: companies", what)
	for k, w := range want {
		assert.Equal(t, w, got[k], "%s: %v", what, k)
	}
}

// TestJournal_CompactionEquivalence writes the same random history twice,
// reopening in the middle with and without compaction, and checks that both
// journals replay to the same ledger.
func TestJournal_CompactionEquivalence(t *testing.T) {
	for seed := uint64(1); seed <= 5; seed++ {
		t.Run(fmt.Sprint("seed", seed), func(t *testing.T) {
			dir := t.TempDir()
			history := func(name string, compactMin int) (map[Key]State, Stats) {
				path := filepath.Join(dir, name)
				clk := newJournalClock()
				rng := rand.New(rand.NewPCG(seed, 7))
				j, err := Open(path, Options{Now: clk.Now, compactMin: 1 << 30})
				require.NoError(t, err)
				randomEvents(t, j, clk, rng, 30, 1500)
				require.NoError(t, j.Close())
				ro, err := Open(path, Options{ReadOnly: true})
				require.NoError(t, err)
				before := ledgerStates(ro)

				require.NoError(t, os.WriteFile(path+".tmp", []byte("left by a crash"), 0o600))
				j, err = Open(path, Options{Now: clk.Now, compactMin: compactMin})
				require.NoError(t, err)
				diffStates(t, name+": reopened", ledgerStates(j), before)
				st := j.Stats()
				randomEvents(t, j, clk, rng, 30, 300)
				require.NoError(t, j.Close())
				_, err = os.Stat(path + ".tmp")
				assert.ErrorIs(t, err, os.ErrNotExist, "%s: stale temporary file not removed", name)
				ro, err = Open(path, Options{ReadOnly: true})
				require.NoError(t, err)
				return ledgerStates(ro), st
			}
			compacted, cst := history("compacted", 10)
			plain, pst := history("plain", 1<<30)
			assert.Equal(t, cst.Companies, cst.Records, "compacted: records after reopen")
			assert.GreaterOrEqual(t, pst.Records, 1500, "plain: records after reopen")
			diffStates(t, "compacted vs plain", compacted, plain)
		})
	}
}

// TestJournal_CompactionFailure checks that a compaction that cannot write
// its temporary file leaves the journal usable, with the unanswered intents
// of the previous run settled in the file.
func TestJournal_CompactionFailure(t *testing.T) {
	path := filepath.Join(t.TempDir(), "s.qccstate")
	clk := newJournalClock()
	j := openTestJournal(t, path, clk)
	ctx := context.Background()
	for n := 0; n < 30; n++ {
		require.NoError(t, j.Intent(ctx, Key{"a", 1}, "a"))
		require.NoError(t, j.Ordered(Key{"a", 1}, fmt.Sprint("o", n)))
	}
	require.NoError(t, j.Intent(ctx, Key{"b", 1}, "b")) // never answered
	require.NoError(t, j.Close())

	// A directory that cannot be removed where the temporary file goes.
	require.NoError(t, os.MkdirAll(filepath.Join(path+".tmp", "x"), 0o700))
	j, err := Open(path, Options{Now: clk.Now, compactMin: 10})
	require.NoError(t, err)
	st := j.Stats()
	assert.Greater(t, st.Records, st.Companies, "compacted although the temporary file could not be written")
	require.NoError(t, j.Ordered(Key{"a", 1}, "last"))
	require.NoError(t, j.Close())

	ro, err := Open(path, Options{ReadOnly: true})
	require.NoError(t, err)
	a, _ := ro.Lookup(Key{"a", 1})
	assert.Equal(t, "last", a.OrderNo)
	assert.Equal(t, 31, a.Orders)
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	assert.Regexp(t, regexp.MustCompile(`"op":"ambiguous","n":\d+,"at":"2025-03-01T09:00:00Z","k":"b"`), string(data),
		"the unanswered intent of b was not settled in the file")
}
