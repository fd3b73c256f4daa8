package batch

// SetMaxXLSXRows lowers the rows a results sheet holds, for a test of the
// refusal without a million-row file; it returns the undo.
func SetMaxXLSXRows(n int) func() {
	old := maxXLSXRows
	maxXLSXRows = n
	return func() { maxXLSXRows = old }
}
