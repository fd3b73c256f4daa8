package batch

import "time"

// SetMaxXLSXRows lowers the rows a results sheet holds, for a test of the
// refusal without a million-row file; it returns the undo.
func SetMaxXLSXRows(n int) func() {
	old := maxXLSXRows
	maxXLSXRows = n
	return func() { maxXLSXRows = old }
}

// ReadOrderList is readOrderList, for the tests of package batch_test.
func ReadOrderList(path, lang string, loc *time.Location) (*orderList, error) {
	return readOrderList(path, lang, loc)
}

// ReportFileName is reportFileName, for the tests of package batch_test.
func ReportFileName(searchKey, orderNo, ext string) string {
	return reportFileName(searchKey, orderNo, ext)
}
