//go:build !windows

package journal

import (
	"syscall"
	"time"
)

// processCPU returns the CPU time (user + system) this process has used, so
// benchmarks can report work done independently of other load on the box.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
