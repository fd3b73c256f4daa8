//go:build windows

package fsutil

// SyncDir is a no-op on Windows: directories cannot be opened for fsync there,
// and NTFS journals the rename (MoveFileEx) itself.
func SyncDir(string) error { return nil }
