//go:build windows

package batch

import "time"

// processCPU is not measured on Windows.
func processCPU() time.Duration { return 0 }
