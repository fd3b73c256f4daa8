//go:build windows

package batch

import (
	"errors"
	"os"
	"syscall"
)

// checkNotOpen fails when another program (Excel) holds path open: Windows
// then refuses to replace it. Opening it for writing without sharing is
// refused the same way.
func checkNotOpen(path string) error {
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		var errno syscall.Errno
		if errors.As(err, &errno) && (errno == 32 /* ERROR_SHARING_VIOLATION */ || errno == syscall.ERROR_ACCESS_DENIED || errno == 33 /* ERROR_LOCK_VIOLATION */) {
			return errors.New("is open in another program: close it in Excel (or WPS) and run again")
		}
		return err
	}
	return f.Close()
}
