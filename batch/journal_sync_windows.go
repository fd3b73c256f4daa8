//go:build windows

package batch

// journalSyncDir is a no-op on Windows: NTFS journals its metadata, so a completed
// MoveFileEx (os.Rename) or file creation survives a crash, and Windows has
// no portable way to fsync a directory handle.
func journalSyncDir(dir string) error { return nil }
