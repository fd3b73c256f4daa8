//go:build windows

package batch

// syncDir is a no-op on Windows: directories cannot be opened for fsync there,
// and NTFS journals the rename (MoveFileEx) itself.
func syncDir(string) error { return nil }
