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

// TestRun_NewLedgerBeside: run --state NEW while the input's own state file
// holds orders of the same key is refused (exit 2) naming it, unless
// --new-ledger; --dry-run says so too (issue 18 item 4: a new ledger
// ordered the whole book again).
func TestRun_NewLedgerBeside(t *testing.T) {
	srv := qcctest.New(t, qcctest.WithGenDelay(0))
	dir := t.TempDir()
	in := filepath.Join(dir, "book.csv")
	require.NoError(t, os.WriteFile(in, []byte("企业名称\n甲科技有限公司\n乙科技有限公司\n丙科技有限公司\n"), 0o600))
	t.Setenv("QCC_KEY", "sandbox")
	t.Setenv("QCC_SECRET_KEY", "sandbox")
	run := []string{"run", "--quiet", "--lang", "en", "--base-url", srv.BaseURL(), "--qps", "0", "--poll-interval", "20ms", in}

	code, _, line := runCLI(t, run...)
	require.Equal(t, exitOK, code, line)
	require.Equal(t, 3, srv.TotalOrders())

	fresh := filepath.Join(dir, "fresh.qccstate")
	code, _, line = runCLI(t, append(run, "--state", fresh)...)
	assert.Equal(t, exitUsage, code, line)
	assert.Contains(t, line, in+".qccstate")
	assert.Contains(t, line, "3 orders")
	assert.Contains(t, line, "--new-ledger")
	assert.Equal(t, 3, srv.TotalOrders(), "the refused run ordered nothing")
	assert.NoFileExists(t, fresh, "the refused run created no state file")

	code, out, line := runCLI(t, append(run, "--state", fresh, "--dry-run")...)
	require.Equal(t, exitOK, code, line)
	assert.Contains(t, out, in+".qccstate")
	assert.Contains(t, out, "refused without --new-ledger")

	code, out, line = runCLI(t, append(run, "--state", fresh, "--dry-run", "--new-ledger")...)
	require.Equal(t, exitOK, code, line)
	assert.Contains(t, out, "second ledger")

	code, _, line = runCLI(t, append(run, "--state", in+".qccstate")...)
	require.Equal(t, exitOK, code, "the input's own state file, named: %s", line)
	assert.Equal(t, 3, srv.TotalOrders())

	code, _, line = runCLI(t, append(run, "--state", fresh, "--new-ledger")...)
	require.Equal(t, exitOK, code, line)
	assert.Equal(t, 6, srv.TotalOrders(), "--new-ledger confirmed ordering the book again")

	// Two ledgers that hold orders now: each resumes without --new-ledger.
	code, _, line = runCLI(t, append(run, "--state", fresh)...)
	assert.Equal(t, exitOK, code, line)
	code, _, line = runCLI(t, run...)
	assert.Equal(t, exitOK, code, line)
	assert.Equal(t, 6, srv.TotalOrders())

	// An existing ledger with no order yet is a new one too.
	empty := filepath.Join(dir, "empty.qccstate")
	wrongKey := append(append([]string{}, run...), "--state", empty)
	t.Setenv("QCC_KEY", "typo")
	code, _, line = runCLI(t, wrongKey...) // another key's: not a ledger beside
	require.NotEqual(t, exitOK, code, "the API refuses the mistyped key: %s", line)
	require.FileExists(t, empty)
	t.Setenv("QCC_KEY", "sandbox")
	code, _, line = runCLI(t, wrongKey...)
	assert.Equal(t, exitUsage, code, line)
	assert.Contains(t, line, "--new-ledger")
	assert.Equal(t, 6, srv.TotalOrders())
}

// TestRun_NewLedgerBesideNamedForInput: a state file named for the input
// in its folder (not the default one) counts too; one of another input
// does not.
func TestRun_NewLedgerBesideNamedForInput(t *testing.T) {
	srv := qcctest.New(t, qcctest.WithGenDelay(0))
	dir := t.TempDir()
	in := filepath.Join(dir, "book.csv")
	require.NoError(t, os.WriteFile(in, []byte("企业名称\n甲科技有限公司\n"), 0o600))
	other := filepath.Join(dir, "otherbook.csv")
	require.NoError(t, os.WriteFile(other, []byte("企业名称\n乙科技有限公司\n"), 0o600))
	t.Setenv("QCC_KEY", "sandbox")
	t.Setenv("QCC_SECRET_KEY", "sandbox")
	run := func(args ...string) (int, string) {
		code, _, line := runCLI(t, append([]string{"run", "--quiet", "--lang", "en", "--base-url", srv.BaseURL(), "--qps", "0", "--poll-interval", "20ms"}, args...)...)
		return code, line
	}
	code, line := run(other) // otherbook.csv.qccstate: another input's ledger
	require.Equal(t, exitOK, code, line)
	code, line = run("--state", filepath.Join(dir, "book-2024.qccstate"), in)
	require.Equal(t, exitOK, code, "no ledger of book.csv yet: %s", line)
	require.Equal(t, 2, srv.TotalOrders())

	code, line = run("--state", filepath.Join(dir, "book-2025.qccstate"), in)
	assert.Equal(t, exitUsage, code, line)
	assert.Contains(t, line, "book-2024.qccstate")
	assert.Equal(t, 2, srv.TotalOrders())
}

// TestRun_NewEndpointFlag: the same key through another host name is
// refused naming --new-endpoint; with it the run re-binds the ledger, and
// `ledger --runs --json` shows the change.
func TestRun_NewEndpointFlag(t *testing.T) {
	srv := qcctest.New(t, qcctest.WithGenDelay(0))
	dir := t.TempDir()
	in := filepath.Join(dir, "book.csv")
	require.NoError(t, os.WriteFile(in, []byte("企业名称\n甲科技有限公司\n"), 0o600))
	t.Setenv("QCC_KEY", "sandbox")
	t.Setenv("QCC_SECRET_KEY", "sandbox")
	base := srv.BaseURL() // http://127.0.0.1:PORT/api/yj
	other := "http://localhost" + base[strings.LastIndexByte(base, ':'):]
	run := func(url string, args ...string) (int, string) {
		code, _, line := runCLI(t, append([]string{"run", "--quiet", "--lang", "en", "--base-url", url, "--qps", "0", "--poll-interval", "20ms", in}, args...)...)
		return code, line
	}
	code, line := run(base)
	require.Equal(t, exitOK, code, line)
	code, line = run(strings.Replace(base, "http://", "HTTP://", 1) + "/")
	require.Equal(t, exitOK, code, "the same endpoint spelled differently: %s", line)

	require.NoError(t, os.WriteFile(in, []byte("企业名称\n甲科技有限公司\n乙科技有限公司\n"), 0o600))
	code, line = run(other)
	assert.Equal(t, exitUsage, code, line)
	assert.Contains(t, line, "--new-endpoint")
	assert.NotContains(t, line, "--state")
	assert.Equal(t, 1, srv.TotalOrders())

	code, line = run(other, "--new-endpoint")
	require.Equal(t, exitOK, code, line)
	assert.Equal(t, 1, srv.Orders("乙科技有限公司"))
	assert.Equal(t, 1, srv.Orders("甲科技有限公司"))

	code, out, line := runCLI(t, "ledger", "--runs", "--json", in+".qccstate")
	require.Equal(t, exitOK, code, line)
	assert.Contains(t, out, `"prev_endpoint": "`+base+`"`)
	assert.Contains(t, out, `"endpoint": "`+other+`"`)
	code, line = run(other)
	assert.Equal(t, exitOK, code, "re-bound: %s", line)
}
