package identifier_test

import (
	"encoding/json"
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/qccbatch/qccbatch/batch/identifier"
	"github.com/qccbatch/qccbatch/batch/input"
	"github.com/qccbatch/qccbatch/batch/msg"
)

// interopDir holds the interop corpus: one portfolio written by many
// spreadsheet writers (testdata/tools/interop/README.md).
const interopDir = "../../testdata/input/interop"

// manifest is the part of interop/manifest.json the test reads.
type manifest struct {
	Schema int `json:"schema"`
	Files  []struct {
		File      string            `json:"file"`
		Format    string            `json:"format"`
		What      string            `json:"what"`
		Sheet     string            `json:"sheet"`
		HeaderRow int               `json:"header_row"`
		Columns   map[string]string `json:"columns"`
		Rows      []struct {
			Row         int    `json:"row"`
			Name        string `json:"name"`
			Shown       string `json:"shown"`
			Stored      string `json:"stored"`
			Raw         string `json:"raw"`
			Uncached    bool   `json:"formula_uncached"`
			Placeholder bool   `json:"formula_cached_placeholder"`
			Expect      struct {
				Kind   string `json:"kind"`
				Key    string `json:"key"`
				Reason string `json:"reason"`
			} `json:"expect"`
		} `json:"rows"`
	} `json:"files"`
}

// manifestReasons maps the manifest's expected reasons to Classify's.
var manifestReasons = map[string]msg.ID{
	"formula_uncalculated":   msg.ReasonFormulaUncalculated,
	"exact_number_18_digits": msg.ReasonStoredAsNumber,
	"totals_row":             msg.ReasonTotalsRow,
}

// TestInterop reads every file of the interop corpus (and the realbook)
// the way qccbatch does, without --sheet or --header-row, and compares
// each data row with the manifest: the sheet and header found, the row
// number, the name, the code cell as the spreadsheet shows it (or, for an
// exact number, as stored), and the classification.
func TestInterop(t *testing.T) {
	b, err := os.ReadFile(filepath.Join(interopDir, "manifest.json"))
	require.NoError(t, err)
	var m manifest
	require.NoError(t, json.Unmarshal(b, &m))
	require.Equal(t, 1, m.Schema)
	require.GreaterOrEqual(t, len(m.Files), 25)

	for _, f := range m.Files {
		t.Run(f.File, func(t *testing.T) {
			in, err := input.Open(filepath.Join(interopDir, f.File), input.Options{})
			require.NoError(t, err, f.What)
			defer in.Close()
			if f.Format == "xlsx" {
				assert.Equal(t, f.Sheet, in.Sheet(), "sheet")
			}
			assert.Equal(t, f.HeaderRow, in.HeaderRow(), "header row")
			code, name := in.Columns()
			assert.Equal(t, f.Columns["code"], input.ColumnName(code), "code column")
			assert.Equal(t, f.Columns["name"], input.ColumnName(name), "name column")

			i := 0
			for ; ; i++ {
				r, err := in.Next()
				if errors.Is(err, io.EOF) {
					break
				}
				require.NoError(t, err)
				require.Less(t, i, len(f.Rows), "more rows than the manifest")
				want := f.Rows[i]
				assert.Equal(t, want.Row, r.Line, "row number")
				assert.Equal(t, want.Name, r.Cell(name).Value, "row %d: name", want.Row)

				c := r.Cell(code)
				switch {
				case want.Uncached || want.Placeholder:
					assert.Equal(t, input.CellFormulaUncalculated, c.Type, "row %d: formula without a result", want.Row)
				case want.Stored == "number":
					assert.Equal(t, input.Cell{Value: want.Raw, Type: input.CellNumber}, c, "row %d: number as stored", want.Row)
				default:
					assert.Equal(t, want.Shown, input.Trim(c.Value), "row %d: code cell", want.Row)
				}

				id := identifier.Classify(in.Identifier(r), identifier.Options{})
				assert.Equal(t, want.Expect.Kind, id.Kind.String(), "row %d: kind (%s)", want.Row, id.Message)
				if want.Expect.Kind == "invalid" {
					assert.Equal(t, manifestReasons[want.Expect.Reason], id.Reason, "row %d: reason", want.Row)
					assert.NotEmpty(t, id.MessageEN, "row %d", want.Row)
				} else {
					assert.Equal(t, want.Expect.Key, id.Key, "row %d: key", want.Row)
					assert.False(t, id.Invalid, "row %d", want.Row)
				}
			}
			assert.Equal(t, len(f.Rows), i, "rows")
		})
	}
}
