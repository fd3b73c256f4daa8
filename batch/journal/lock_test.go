package journal

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// requireLocked asserts that a write-open of path fails with *LockedError.
func requireLocked(t *testing.T, path string) *LockedError {
	t.Helper()
	j, err := Open(path, Options{})
	if err == nil {
		j.Close()
	}
	var le *LockedError
	require.ErrorAs(t, err, &le, "a second writer was let in through %s", path)
	return le
}

// TestJournal_OneWriterWhateverThePath: every way to name an open state
// file, and deleting the holder file, leave the second writer out.
func TestJournal_OneWriterWhateverThePath(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("symlinks need privileges on Windows")
	}
	vol, work := t.TempDir(), t.TempDir()
	path := filepath.Join(vol, "book.qccstate")
	j := openTestJournal(t, path, newJournalClock())
	defer j.Close()

	symlink := filepath.Join(work, "link.qccstate")
	require.NoError(t, os.Symlink(path, symlink))
	hardlink := filepath.Join(work, "hard.qccstate")
	require.NoError(t, os.Link(path, hardlink))
	chain := filepath.Join(work, "chain.qccstate")
	require.NoError(t, os.Symlink("link.qccstate", chain))
	wd, err := os.Getwd()
	require.NoError(t, err)
	relative, err := filepath.Rel(wd, path)
	require.NoError(t, err)

	for _, p := range []string{path, symlink, chain, relative, filepath.Join(vol, ".", "book.qccstate")} {
		t.Run(p, func(t *testing.T) {
			le := requireLocked(t, p)
			assert.Equal(t, os.Getpid(), le.PID)
			assert.Contains(t, en(le), fmt.Sprintf("in use by qccbatch pid %d on ", os.Getpid()))
		})
	}
	// The holder's name is found beside the file's name, which a hard link
	// elsewhere does not share: the lock holds all the same.
	requireLocked(t, hardlink)

	t.Run("holder file deleted", func(t *testing.T) {
		require.NoError(t, os.Remove(path+".lock"))
		le := requireLocked(t, path)
		assert.Zero(t, le.PID, "no holder file, no pid")
		assert.Contains(t, en(le), "in use by another qccbatch process")
		requireLocked(t, symlink)
	})

	// The lock is the file's: once closed, every path opens it again.
	require.NoError(t, j.Close())
	j2, err := Open(hardlink, Options{})
	require.NoError(t, err)
	requireLocked(t, symlink)
	require.NoError(t, j2.Close())
}

// TestJournal_LockFollowsCompaction: after compaction has replaced the file,
// the lock is held on the new one, and an opener that got hold of the old
// file is sent to the new one by the identity check.
func TestJournal_LockFollowsCompaction(t *testing.T) {
	path := filepath.Join(t.TempDir(), "s.qccstate")
	clk := newJournalClock()
	j, err := Open(path, Options{Now: clk.Now, compactMin: 1 << 30})
	require.NoError(t, err)
	for n := range 20 {
		require.NoError(t, j.Ordered(Key{"a", 1}, fmt.Sprint("o", n)))
	}
	old, err := os.Open(path) // a second opener, just before the compaction
	require.NoError(t, err)
	defer old.Close()

	j.mu.Lock()
	done, err := j.compact()
	j.mu.Unlock()
	require.NoError(t, err)
	require.True(t, done)

	got, err := tryLock(old)
	require.NoError(t, err)
	assert.True(t, got, "the replaced file's lock was released")
	same, err := namesFile(path, old)
	require.NoError(t, err)
	assert.False(t, same, "the identity check would not send the opener to the new file")
	requireLocked(t, path)

	require.NoError(t, j.Ordered(Key{"a", 1}, "last"))
	require.NoError(t, j.Close())
	ro, err := Open(path, Options{ReadOnly: true})
	require.NoError(t, err)
	st, _ := ro.Lookup(Key{"a", 1})
	assert.Equal(t, "last", st.OrderNo)
	assert.Equal(t, 21, st.Orders)
}

// TestJournal_HardLinkNotCompacted: compaction would split a hard-linked
// state file into two files, one of them stale.
func TestJournal_HardLinkNotCompacted(t *testing.T) {
	dir := t.TempDir()
	path, other := filepath.Join(dir, "s.qccstate"), filepath.Join(dir, "t.qccstate")
	clk := newJournalClock()
	j := openTestJournal(t, path, clk)
	for n := range 30 {
		require.NoError(t, j.Intent(context.Background(), Key{"a", 1}, "a"))
		require.NoError(t, j.Ordered(Key{"a", 1}, fmt.Sprint("o", n)))
	}
	require.NoError(t, j.Close())
	require.NoError(t, os.Link(path, other))

	j, err := Open(other, Options{Now: clk.Now, compactMin: 10})
	require.NoError(t, err)
	st := j.Stats()
	assert.Greater(t, st.Records, st.Companies, "compacted a hard-linked state file")
	require.NoError(t, j.Ordered(Key{"a", 1}, "last"))
	require.NoError(t, j.Close())
	a, err := os.Stat(path)
	require.NoError(t, err)
	b, err := os.Stat(other)
	require.NoError(t, err)
	assert.True(t, os.SameFile(a, b), "the two names no longer name one file")
}

// TestJournal_RefusesEmptyOrHeaderless: an existing file without a complete
// header is never taken as a new state file.
func TestJournal_RefusesEmptyOrHeaderless(t *testing.T) {
	full, err := encodeRecord(nil, journalHeader())
	require.NoError(t, err)
	tests := []struct {
		name, content, reason string
	}{
		{"empty", "", "empty (0 bytes)"},
		{"torn header", string(full[:10]), "header record is incomplete"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "s.qccstate")
			require.NoError(t, os.WriteFile(path, []byte(tt.content), 0o600))
			for _, ro := range []bool{false, true} {
				_, err := Open(path, Options{ReadOnly: ro})
				var ne *NotJournalError
				require.ErrorAs(t, err, &ne, "readOnly=%v", ro)
				assert.Contains(t, en(err), tt.reason)
				assert.Contains(t, en(err), "delete it if you are sure no order was placed")
			}
			got, err := os.ReadFile(path)
			require.NoError(t, err)
			assert.Equal(t, tt.content, string(got), "a refused file was changed")
		})
	}
}

// TestJournal_CreateLeavesNoTemporary: a new state file appears complete,
// and nothing else is left beside it.
func TestJournal_CreateLeavesNoTemporary(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "s.qccstate")
	j := openTestJournal(t, path, newJournalClock())
	require.NoError(t, j.Close())
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	assert.Equal(t, []string{"s.qccstate"}, names)
}

// TestJournal_SymlinkSurvivesCompaction: compaction replaces the link's
// target, in the target's directory; the link stays a link.
func TestJournal_SymlinkSurvivesCompaction(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("symlinks need privileges on Windows")
	}
	vol, work := t.TempDir(), t.TempDir()
	target := filepath.Join(vol, "book.qccstate")
	link := filepath.Join(work, "book.qccstate")
	require.NoError(t, os.Symlink(target, link))
	clk := newJournalClock()
	j := openTestJournal(t, link, clk) // a dangling link: the target is created
	for n := range 30 {
		require.NoError(t, j.Intent(context.Background(), Key{"a", 1}, "a"))
		require.NoError(t, j.Ordered(Key{"a", 1}, fmt.Sprint("o", n)))
	}
	require.NoError(t, j.Close())

	j, err := Open(link, Options{Now: clk.Now, compactMin: 10})
	require.NoError(t, err)
	st := j.Stats()
	assert.Equal(t, st.Companies, st.Records, "compacted")
	require.NoError(t, j.Ordered(Key{"a", 1}, "last"))
	require.NoError(t, j.Close())

	fi, err := os.Lstat(link)
	require.NoError(t, err)
	assert.NotZero(t, fi.Mode()&os.ModeSymlink, "the link was replaced by a regular file")
	entries, err := os.ReadDir(work)
	require.NoError(t, err)
	assert.Len(t, entries, 1, "something was left beside the link")
	ro, err := Open(target, Options{ReadOnly: true})
	require.NoError(t, err)
	got, _ := ro.Lookup(Key{"a", 1})
	assert.Equal(t, "last", got.OrderNo)
	assert.Equal(t, 31, got.Orders)
}
