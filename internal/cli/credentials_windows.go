//go:build windows

package cli

import "io/fs"

// keyFileModeProblem checks nothing on Windows: who may read a file there is
// decided by its NTFS access control list, which Go's mode bits (0666, or
// 0444 for a read-only file) do not reflect. Keep the key file in the profile
// of the account that runs qccbatch, which other users cannot read.
func keyFileModeProblem(path string, mode fs.FileMode) string {
	return ""
}
