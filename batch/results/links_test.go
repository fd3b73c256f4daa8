package results

import (
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/xuri/excelize/v2"
)

func TestFileLinks_Formula(t *testing.T) {
	fl := fileLinks{base: "/data/books", cwd: "/data/books"}
	tests := []struct {
		name, file string
		wantLink   string // "" = no link
	}{
		{"beside the workbook", "reports/a_RB1.pdf", "reports/a_RB1.pdf"},
		{"absolute under the workbook's folder", "/data/books/reports/a_RB1.pdf", "reports/a_RB1.pdf"},
		{"elsewhere", "/srv/dl/a_RB1.pdf", "../../srv/dl/a_RB1.pdf"},
		{"chinese name", "reports/小米科技_RB1.pdf", "reports/小米科技_RB1.pdf"},
		{"quote", `reports/Evil "Co"_RB1.pdf`, `reports/Evil "Co"_RB1.pdf`},
		{"colon reads as a scheme", "javascript:alert(1)/x.pdf", "./javascript:alert(1)/x.pdf"},
		{"hash is a fragment", "reports/A#2_RB1.pdf", ""},
		{"percent is an escape", "reports/100%_RB1.pdf", ""},
		{"control character", "reports/a\nb.pdf", ""},
		{"empty", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			formula, ok := fl.formula(tt.file)
			if tt.wantLink == "" {
				assert.False(t, ok, "got %s", formula)
				return
			}
			require.True(t, ok)
			// Evaluate the formula: it must yield exactly the file's text,
			// so neither part escaped its string literal.
			f := excelize.NewFile()
			defer func() { _ = f.Close() }()
			require.NoError(t, f.SetCellFormula("Sheet1", "A1", formula))
			got, err := f.CalcCellValue("Sheet1", "A1")
			require.NoError(t, err)
			assert.Equal(t, tt.file, got)
			assert.Equal(t, `HYPERLINK(`+formulaString(tt.wantLink)+`,`+formulaString(tt.file)+`)`, formula)
		})
	}
	t.Run("relative to the current directory", func(t *testing.T) {
		fl := fileLinks{base: "/data/books/out", cwd: "/data/books"}
		formula, ok := fl.formula(filepath.FromSlash("dl/a.pdf"))
		require.True(t, ok)
		assert.Contains(t, formula, `HYPERLINK("../dl/a.pdf"`)
	})
}
