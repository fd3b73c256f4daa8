//go:build windows

package cli

import (
	"unsafe"

	"golang.org/x/sys/windows"
)

var procGetConsoleProcessList = windows.NewLazySystemDLL("kernel32.dll").NewProc("GetConsoleProcessList")

// doubleClicked reports whether the program owns its console alone: it was
// started from Explorer (double-clicked), not from a terminal, where the
// shell shares the console. GetConsoleProcessList counts the processes
// attached to the console: 1 is this one only.
func doubleClicked() bool {
	if procGetConsoleProcessList.Find() != nil {
		return false
	}
	var pids [2]uint32
	n, _, _ := procGetConsoleProcessList.Call(uintptr(unsafe.Pointer(&pids[0])), uintptr(len(pids)))
	return n == 1
}
