//go:build windows

package batch

import (
	"errors"
	"os"
	"syscall"

	"github.com/qccbatch/qccbatch/batch/msg"
)

// checkNotOpen fails when another program (Excel) holds path open: Windows
// then refuses to replace it. Opening it for writing without sharing is
// refused the same way.
func checkNotOpen(path string) error {
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		var errno syscall.Errno
		if errors.As(err, &errno) && (errno == 32 /* ERROR_SHARING_VIOLATION */ || errno == syscall.ERROR_ACCESS_DENIED || errno == 33 /* ERROR_LOCK_VIOLATION */) {
			return msg.Errorf(msg.CfgOpenElsewhere)
		}
		return err
	}
	return f.Close()
}
