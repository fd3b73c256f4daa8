//go:build windows

package fsutil

// syncDirOS is a no-op on Windows: directories cannot be opened for fsync
// there, and NTFS journals the rename (MoveFileEx) itself.
func syncDirOS(string) error { return nil }
