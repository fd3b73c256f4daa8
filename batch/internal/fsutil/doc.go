// Package fsutil holds the durable-file primitives the state file, the
// results and the downloads share: an atomic replace (temporary file, fsync,
// rename, fsync the directory) that writes through symlinks, the sweep of
// temporaries a crashed writer left, a directory fsync, and the free space
// of a file system.
//
// It imports nothing of this module, so every other package may use it.
package fsutil
