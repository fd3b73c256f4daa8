package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/qccbatch/qccbatch/client/qcctest"
)

// TestSandboxThenReal: a sandbox trial on a book never stands in for the
// real ledger (issue 11 item 2): the real run on the same input orders every
// company; a real run pointed at the sandbox's state file is refused,
// naming the sandbox; and the other way round.
func TestSandboxThenReal(t *testing.T) {
	srv := qcctest.New(t, qcctest.WithGenDelay(0))
	dir := t.TempDir()
	in := filepath.Join(dir, "book.csv")
	require.NoError(t, os.WriteFile(in, []byte("企业名称\n甲科技有限公司\n乙科技有限公司\n丙科技有限公司\n"), 0o600))
	t.Setenv("QCC_KEY", "sandbox")
	t.Setenv("QCC_SECRET_KEY", "sandbox")

	code, _, line := runCLI(t, "run", "--sandbox", "--quiet", in)
	require.Equal(t, exitOK, code, line)
	assert.FileExists(t, in+".sandbox.qccstate")
	assert.FileExists(t, filepath.Join(dir, "book-sandbox-results.xlsx"))
	assert.NoFileExists(t, in+".qccstate", "the trial never touches the real ledger")

	real := []string{"run", "--quiet", "--base-url", srv.BaseURL(), "--qps", "0", "--poll-interval", "20ms", in}
	code, _, line = runCLI(t, real...)
	require.Equal(t, exitOK, code, line)
	assert.Equal(t, 3, srv.TotalOrders(), "the real run orders every company")

	code, _, line = runCLI(t, append(real, "--state", in+".sandbox.qccstate")...)
	assert.Equal(t, exitUsage, code)
	assert.Contains(t, line, "sandbox", line)
	code, _, line = runCLI(t, "run", "--sandbox", "--quiet", "--lang", "en", "--state", in+".qccstate", in)
	assert.Equal(t, exitUsage, code)
	assert.True(t, strings.Contains(line, "belongs to") || strings.Contains(line, "account"), line)
	assert.Equal(t, 3, srv.TotalOrders(), "nothing ordered by the refused runs")
}

// TestRepair_NothingOrderedTwice: a state file damaged in the middle stops
// the run (exit 2 with the line); repair keeps every valid record and marks
// the companies whose history it lost uncertain; the next run orders none of
// them again (issue 11).
func TestRepair_NothingOrderedTwice(t *testing.T) {
	srv := qcctest.New(t, qcctest.WithGenDelay(0))
	dir := t.TempDir()
	in := filepath.Join(dir, "book.csv")
	var b strings.Builder
	b.WriteString("企业名称\n")
	for _, n := range []string{"甲", "乙", "丙", "丁", "戊", "己", "庚", "辛"} {
		b.WriteString(n + "科技有限公司\n")
	}
	require.NoError(t, os.WriteFile(in, []byte(b.String()), 0o600))
	t.Setenv("QCC_KEY", "sandbox")
	t.Setenv("QCC_SECRET_KEY", "sandbox")
	run := []string{"run", "--quiet", "--base-url", srv.BaseURL(), "--qps", "0", "--poll-interval", "20ms", in}
	code, _, line := runCLI(t, run...)
	require.Equal(t, exitOK, code, line)
	require.Equal(t, 8, srv.TotalOrders())

	state := in + ".qccstate"
	data, err := os.ReadFile(state)
	require.NoError(t, err)
	lines := strings.SplitAfter(string(data), "\n")
	require.Greater(t, len(lines), 10)
	mid := len(lines) / 2
	lines[mid] = strings.Replace(lines[mid], `"op":"`, `"op":"X`, 1) // a damaged record in the middle
	require.NoError(t, os.WriteFile(state, []byte(strings.Join(lines, "")), 0o600))

	code, _, line = runCLI(t, append(run, "--lang", "en")...)
	assert.Equal(t, exitUsage, code)
	assert.Contains(t, line, "line")

	code, out, line := runCLI(t, "repair", "--lang", "en", state)
	require.Equal(t, exitOK, code, line)
	assert.Contains(t, out, "nothing changed")
	code, out, line = runCLI(t, "repair", "--lang", "en", "--apply", state)
	require.Equal(t, exitOK, code, line)
	assert.Contains(t, out, "damaged file is kept")

	code, _, line = runCLI(t, run...)
	assert.Contains(t, []int{exitOK, exitPerson}, code, line)
	assert.Equal(t, 8, srv.TotalOrders(), "no company ordered again after the repair")
}
