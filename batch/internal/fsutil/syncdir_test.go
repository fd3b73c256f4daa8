package fsutil

import (
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestWriteFileAtomic_SyncsDirAfterRename fails when the directory is not
// fsynced after the rename (without it, a power cut can bring back the old
// file: a mutation that dropped the SyncDir call passed every test), when it
// is synced before the rename, or when the wrong directory is synced.
func TestWriteFileAtomic_SyncsDirAfterRename(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "out.csv")
	require.NoError(t, os.WriteFile(path, []byte("old"), 0o600))
	var synced []string
	t.Cleanup(SetSyncDirHook(func(d string) error {
		b, err := os.ReadFile(path)
		require.NoError(t, err)
		synced = append(synced, d+"="+string(b))
		return nil
	}))

	require.NoError(t, WriteFileAtomic(path, 0o600, func(f *os.File) error { _, err := f.WriteString("new"); return err }))
	assert.Equal(t, []string{dir + "=new"}, synced, "the directory is fsynced once, after the rename")

	// A new file (a create, not a replace) syncs its directory too.
	synced = nil
	fresh := filepath.Join(dir, "fresh.csv")
	require.NoError(t, WriteFileAtomic(fresh, 0o600, func(f *os.File) error { _, err := f.WriteString("x"); return err }))
	assert.Equal(t, []string{dir + "=new"}, synced, "the directory of a new file is fsynced too")

	// A failed directory sync is reported; the new file stays in place.
	SetSyncDirHook(func(string) error { return errors.New("EIO") })
	err := WriteFileAtomic(path, 0o600, func(f *os.File) error { _, err := f.WriteString("newer"); return err })
	require.ErrorContains(t, err, "sync directory: EIO")
	b, _ := os.ReadFile(path)
	assert.Equal(t, "newer", string(b))
}

// TestWriteFileAtomic_SyncsTheTargetsDir: through a symlink, the directory
// synced is the one the rename happened in (the target's), not the link's.
func TestWriteFileAtomic_SyncsTheTargetsDir(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("symlinks need privileges on Windows")
	}
	vol, work := t.TempDir(), t.TempDir()
	target := filepath.Join(vol, "book.qccstate")
	link := filepath.Join(work, "book.qccstate")
	require.NoError(t, os.WriteFile(target, []byte("old"), 0o600))
	require.NoError(t, os.Symlink(target, link))
	var synced []string
	t.Cleanup(SetSyncDirHook(func(d string) error { synced = append(synced, d); return nil }))

	require.NoError(t, WriteFileAtomic(link, 0o600, func(f *os.File) error { _, err := f.WriteString("new"); return err }))
	assert.Equal(t, []string{vol}, synced)
}
