//go:build !windows

package batch

// checkNotOpen is a no-op where an open file can be replaced (Unix).
func checkNotOpen(string) error { return nil }
