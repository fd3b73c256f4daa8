//go:build !windows

package cli

import (
	"fmt"
	"io/fs"
)

// keyFileModeProblem refuses, as ssh does for private keys, a key file that
// group or others may access (mode & 0o077 != 0), and says how to fix it.
// It returns "" for a file only its owner can access.
func keyFileModeProblem(path string, mode fs.FileMode) string {
	if perm := mode.Perm(); perm&0o077 != 0 {
		return fmt.Sprintf("permissions %04o are too open for a file holding the API secret (group or others may access it): run chmod 600 %s", perm, shellQuote(path))
	}
	return ""
}
