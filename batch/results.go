package batch

// ResultsSource yields the rows of the results table in order. It returns
// io.EOF after the last row.
type ResultsSource func() (Row, RowResult, error)

// WriteResults writes the results table to path (.xlsx or .csv, chosen by the
// extension) atomically: a temporary file in the same directory, fsync, rename.
// header is the input's header row (empty when rebuilding from the state alone).
func WriteResults(path string, header []string, next ResultsSource, sum Summary, lang string) error {
	panic("WriteResults: not implemented yet (issue 6)")
}
