//go:build !windows

package cli

// doubleClicked reports whether the program was started by a double click
// in a file manager, with a console of its own: only Windows tells.
func doubleClicked() bool { return false }
