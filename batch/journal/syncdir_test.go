package journal

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/qccbatch/qccbatch/batch/internal/fsutil"
)

// dirSyncs records the directories SyncDir is asked to sync, each with the
// size of the file at path at that moment (-1 if it does not exist).
type dirSyncs struct {
	mu    sync.Mutex
	path  string
	calls []string
}

func watchDirSyncs(t *testing.T, path string) *dirSyncs {
	d := &dirSyncs{path: path}
	t.Cleanup(fsutil.SetSyncDirHook(func(dir string) error {
		size := int64(-1)
		if st, err := os.Stat(d.path); err == nil {
			size = st.Size()
		}
		d.mu.Lock()
		defer d.mu.Unlock()
		d.calls = append(d.calls, fmt.Sprintf("%s %d", dir, size))
		return nil
	}))
	return d
}

func (d *dirSyncs) take() []string {
	d.mu.Lock()
	defer d.mu.Unlock()
	c := d.calls
	d.calls = nil
	return c
}

// TestJournal_NewFileSyncsItsDir: a new state file's name is made durable
// (its directory fsynced once it is in place), or a crash can leave no state
// file after orders were placed. A mutation that dropped the SyncDir
// passed every test.
func TestJournal_NewFileSyncsItsDir(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "s.qccstate")
	syncs := watchDirSyncs(t, path)
	j := openTestJournal(t, path, newJournalClock())
	defer j.Close()
	st, err := os.Stat(path)
	require.NoError(t, err)
	assert.Contains(t, syncs.take(), fmt.Sprintf("%s %d", dir, st.Size()), "the directory is synced with the new file in place")
}

// TestJournal_CompactionSyncsItsDir: the rename of a compacted state file
// over the old one is made durable.
func TestJournal_CompactionSyncsItsDir(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "s.qccstate")
	clk := newJournalClock()
	j := openTestJournal(t, path, clk)
	ctx := context.Background()
	for n := 0; n < 30; n++ {
		require.NoError(t, j.Intent(ctx, Key{"a", 1}, "a"))
		require.NoError(t, j.Ordered(Key{"a", 1}, fmt.Sprint("o", n)))
	}
	require.NoError(t, j.Close())
	before, err := os.Stat(path)
	require.NoError(t, err)

	syncs := watchDirSyncs(t, path)
	j, err = Open(path, Options{Now: clk.Now, compactMin: 10})
	require.NoError(t, err)
	defer j.Close()
	after, err := os.Stat(path)
	require.NoError(t, err)
	require.Less(t, after.Size(), before.Size(), "the file was compacted")
	assert.Contains(t, syncs.take(), fmt.Sprintf("%s %d", dir, after.Size()), "the directory is synced after the compacted file replaced the old one")
}
