//go:build windows

package cli

import (
	"io"
	"os"

	"golang.org/x/sys/windows"
)

// enableANSI asks the console w writes to to interpret ANSI sequences
// (ENABLE_VIRTUAL_TERMINAL_PROCESSING, Windows 10 and later): progressbar/v3
// clears and ends its line with them. It reports false where the console
// cannot; the progress is then logged instead of drawn.
func enableANSI(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	h := windows.Handle(f.Fd())
	var mode uint32
	if err := windows.GetConsoleMode(h, &mode); err != nil {
		return false
	}
	if mode&windows.ENABLE_VIRTUAL_TERMINAL_PROCESSING != 0 {
		return true
	}
	return windows.SetConsoleMode(h, mode|windows.ENABLE_VIRTUAL_TERMINAL_PROCESSING) == nil
}

// wideAmbiguous reports whether the console shows East Asian ambiguous
// characters (the block of progressbar's default theme) two columns wide:
// on the double-byte code pages, GBK (936) and GB18030 (54936) among them.
func wideAmbiguous() bool {
	cp, err := windows.GetConsoleOutputCP()
	if err != nil {
		return true
	}
	switch cp {
	case 932, 936, 949, 950, 54936:
		return true
	}
	return false
}
