package identifier_test

import (
	"errors"
	"io"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/qccbatch/qccbatch/batch/identifier"
	"github.com/qccbatch/qccbatch/batch/input"
)

// TestClassify_LibreOffice classifies the identifiers of a workbook that
// LibreOffice wrote (testdata/input/README.md): numbers typed as numbers,
// formulas and full-width text.
func TestClassify_LibreOffice(t *testing.T) {
	in, err := input.Open("../../testdata/input/formats_lo.xlsx", input.Options{})
	require.NoError(t, err)
	defer in.Close()
	want := map[int]identifier.Kind{
		2: identifier.KindRegNo,   // format 0.00E+00
		3: identifier.KindRegNo,   // format #,##0
		4: identifier.KindInvalid, // 18 digits typed as a number
		5: identifier.KindUSCC,    // =UPPER("...q")
		6: identifier.KindRegNo,   // =440301103097410+3
		7: identifier.KindInvalid, // =NA()
		8: identifier.KindUSCC,    // full-width text
	}
	got := map[int]identifier.Kind{}
	for {
		r, err := in.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		require.NoError(t, err)
		got[r.Line] = identifier.Classify(in.Identifier(r), identifier.Options{}).Kind
	}
	assert.Equal(t, want, got)
}
