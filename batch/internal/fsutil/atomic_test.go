package fsutil

import (
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// dirNames lists the names in dir, sorted.
func dirNames(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names
}

func TestWriteFileAtomic(t *testing.T) {
	errBoom := errors.New("boom")
	tests := []struct {
		name     string
		existing string // "" = no file before
		write    func(f *os.File) error
		wantErr  bool
		want     string
	}{
		{"new file", "", func(f *os.File) error { _, err := f.WriteString("new"); return err }, false, "new"},
		{"replace", "old", func(f *os.File) error { _, err := f.WriteString("new"); return err }, false, "new"},
		{"error keeps old", "old", func(f *os.File) error { _, _ = f.WriteString("half"); return errBoom }, true, "old"},
		{"error leaves nothing", "", func(f *os.File) error { return errBoom }, true, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "out.xlsx")
			if tt.existing != "" {
				require.NoError(t, os.WriteFile(path, []byte(tt.existing), 0o644))
			}
			err := WriteFileAtomic(path, 0o600, tt.write)
			if tt.wantErr {
				require.ErrorIs(t, err, errBoom, "the error wraps the cause")
			} else {
				require.NoError(t, err)
			}
			got, readErr := os.ReadFile(path)
			if tt.want == "" {
				assert.ErrorIs(t, readErr, os.ErrNotExist, "file exists after a failed first write")
			} else {
				assert.Equal(t, tt.want, string(got))
			}
			names := dirNames(t, dir)
			assert.False(t, len(names) > 1 || (tt.want == "" && len(names) != 0), "a temporary file was left behind: %q", names)
			if runtime.GOOS != "windows" && tt.want != "" {
				st, err := os.Stat(path)
				require.NoError(t, err)
				wantMode := os.FileMode(0o600) // never the replaced file's 0644
				if tt.wantErr {
					wantMode = 0o644 // a failed write leaves the old file alone
				}
				assert.Equal(t, wantMode, st.Mode().Perm())
			}
		})
	}
}

// TestWriteFileAtomic_SyncsBeforeRename fails when the temporary file is not
// fsynced, or fsynced only after it replaced the target.
func TestWriteFileAtomic_SyncsBeforeRename(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "out.csv")
	require.NoError(t, os.WriteFile(path, []byte("old"), 0o600))
	var synced []string
	fsyncFile = func(f *os.File) error {
		b, err := os.ReadFile(path)
		require.NoError(t, err)
		synced = append(synced, filepath.Base(f.Name())+"="+string(b))
		return f.Sync()
	}
	t.Cleanup(func() { fsyncFile = (*os.File).Sync })

	require.NoError(t, WriteFileAtomic(path, 0o600, func(f *os.File) error {
		_, err := f.WriteString("new")
		return err
	}))
	require.Len(t, synced, 1, "the temporary file is fsynced exactly once")
	assert.Regexp(t, `^\.out\.csv\.tmp-\d+=old$`, synced[0], "synced before it replaced the target")

	fsyncFile = func(*os.File) error { return errors.New("EIO") }
	err := WriteFileAtomic(path, 0o600, func(f *os.File) error { _, err := f.WriteString("newer"); return err })
	require.ErrorContains(t, err, "sync: EIO")
	b, _ := os.ReadFile(path)
	assert.Equal(t, "new", string(b), "a failed fsync leaves the previous file")
	assert.Equal(t, []string{"out.csv"}, dirNames(t, dir))
}

// TestWriteFileAtomic_Symlink: a write through a symlink replaces the link's
// target in the target's directory; the link stays a link.
func TestWriteFileAtomic_Symlink(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("symlinks need privileges on Windows")
	}
	vol, work := t.TempDir(), t.TempDir()
	target := filepath.Join(vol, "book.qccstate")
	link := filepath.Join(work, "book.qccstate")
	require.NoError(t, os.WriteFile(target, []byte("old"), 0o600))
	require.NoError(t, os.Symlink(target, link))

	require.NoError(t, WriteFileAtomic(link, 0o600, func(f *os.File) error { _, err := f.WriteString("new"); return err }))
	st, err := os.Lstat(link)
	require.NoError(t, err)
	assert.NotZero(t, st.Mode()&os.ModeSymlink, "the link was replaced by a regular file")
	b, err := os.ReadFile(target)
	require.NoError(t, err)
	assert.Equal(t, "new", string(b))
	assert.Equal(t, []string{"book.qccstate"}, dirNames(t, work))

	// A dangling link: the write creates the target.
	dangling := filepath.Join(work, "new.xlsx")
	require.NoError(t, os.Symlink(filepath.Join(vol, "new.xlsx"), dangling))
	require.NoError(t, WriteFileAtomic(dangling, 0o600, func(f *os.File) error { _, err := f.WriteString("x"); return err }))
	b, err = os.ReadFile(filepath.Join(vol, "new.xlsx"))
	require.NoError(t, err)
	assert.Equal(t, "x", string(b))
}

func TestSweepStaleTemps(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "out.xlsx")
	old := time.Now().Add(-time.Hour)
	files := map[string]bool{ // name -> removed?
		".out.xlsx.tmp-111":   true,  // stale temp of this target
		".out.xlsx.tmp-222":   false, // fresh: may be a writer in progress
		".other.xlsx.tmp-333": false, // another target's
		"out.xlsx":            false, // the target itself
		"out.xlsx.tmp-444":    false, // not hidden: not ours
	}
	for name, removed := range files {
		p := filepath.Join(dir, name)
		require.NoError(t, os.WriteFile(p, []byte("x"), 0o600))
		if removed || name != ".out.xlsx.tmp-222" {
			require.NoError(t, os.Chtimes(p, old, old))
		}
	}
	got, err := SweepStaleTemps(path, StaleTempAge)
	require.NoError(t, err)
	assert.Equal(t, []string{filepath.Join(dir, ".out.xlsx.tmp-111")}, got)
	for name, removed := range files {
		_, err := os.Stat(filepath.Join(dir, name))
		assert.Equal(t, !removed, err == nil, "%s exists", name)
	}
	got, err = SweepStaleTemps(filepath.Join(dir, "missing", "x.csv"), 0)
	assert.NoError(t, err)
	assert.Nil(t, got, "missing directory")
}
