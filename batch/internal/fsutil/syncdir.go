package fsutil

import "sync/atomic"

// syncDirHook is the function SetSyncDirHook installed, or nil.
var syncDirHook atomic.Pointer[func(dir string) error]

// SyncDir fsyncs a directory so that a rename or a new name inside it
// survives a crash (a no-op on Windows).
func SyncDir(dir string) error {
	if h := syncDirHook.Load(); h != nil {
		if err := (*h)(dir); err != nil {
			return err
		}
	}
	return syncDirOS(dir)
}

// SetSyncDirHook is for tests: until restore is called, every SyncDir first
// calls hook, which sees the directory (to prove a rename or a create is
// made durable, and when) and may fail the sync by returning an error.
func SetSyncDirHook(hook func(dir string) error) (restore func()) {
	syncDirHook.Store(&hook)
	return func() { syncDirHook.Store(nil) }
}
