package cli

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/spf13/cobra"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/qccbatch/qccbatch/client/qcctest"
)

// sandboxLedger runs a small book on the in-process sandbox and returns
// the book and its state file.
func sandboxLedger(t *testing.T) (book, state string) {
	t.Helper()
	dir := t.TempDir()
	book = filepath.Join(dir, "book.csv")
	require.NoError(t, os.WriteFile(book, []byte("企业名称\n华为技术有限公司\n小米科技有限责任公司\n"), 0o600))
	state = filepath.Join(dir, "book.qccstate")
	code, _, line := runCLI(t, "run", "--sandbox", "--quiet", "--state", state, "-o", filepath.Join(dir, "r.csv"), book)
	require.Equal(t, exitOK, code, line)
	return book, state
}

// TestExport_BadOutputExtension: export -o with an extension other than
// .xlsx or .csv is a usage error (exit 2, one line in --lang), not an
// internal error (exit 1, an English line from the writer), and writes
// nothing.
func TestExport_BadOutputExtension(t *testing.T) {
	_, state := sandboxLedger(t)
	out := filepath.Join(filepath.Dir(state), "out.pdf")
	for lang, want := range map[string]string{"zh": "结果文件的扩展名必须是 .xlsx 或 .csv", "en": "the results file must end in .xlsx or .csv"} {
		code, _, line := runCLI(t, "export", "--lang", lang, "-o", out, state)
		assert.Equal(t, exitUsage, code, line)
		assert.Contains(t, line, want)
		assert.Contains(t, line, "out.pdf")
		assert.NotContains(t, line, "\n")
	}
	_, err := os.Stat(out)
	assert.True(t, os.IsNotExist(err), "nothing written")
}

// TestLedger_RunsRefusesOrderFlags: ledger --runs with -o, --since or
// --until is refused (exit 2, one line in --lang) instead of exiting 0
// with the runs on stdout and no file written, the bounds ignored.
func TestLedger_RunsRefusesOrderFlags(t *testing.T) {
	_, state := sandboxLedger(t)
	out := filepath.Join(filepath.Dir(state), "runs.csv")
	for _, args := range [][]string{{"-o", out}, {"--since", "2026-01-01"}, {"--until", "2026-01-01"}} {
		for lang, want := range map[string]string{"zh": "ledger --runs 不接受 " + args[0], "en": "ledger --runs does not take " + args[0]} {
			code, stdout, line := runCLI(t, append([]string{"ledger", "--runs", "--lang", lang, state}, args...)...)
			assert.Equal(t, exitUsage, code, "%v: %s", args, stdout)
			assert.Contains(t, line, want)
			assert.NotContains(t, line, "\n")
		}
	}
	_, err := os.Stat(out)
	assert.True(t, os.IsNotExist(err))
	code, stdout, line := runCLI(t, "ledger", "--runs", state) // alone it still lists the runs
	require.Equal(t, exitOK, code, line)
	assert.Contains(t, stdout, "book.csv")
}

// TestRun_NonPositiveDurationsRefused: --timeout and --poll-interval of 0
// or less exit 2 with one line naming the flag, before anything is read or
// ordered, instead of running silently with the defaults (2 h, 10 s).
func TestRun_NonPositiveDurationsRefused(t *testing.T) {
	dir := t.TempDir()
	book := filepath.Join(dir, "book.csv")
	require.NoError(t, os.WriteFile(book, []byte("企业名称\n华为技术有限公司\n"), 0o600))
	for _, args := range [][]string{{"--timeout", "0"}, {"--timeout", "-5m"}, {"--poll-interval", "0s"}, {"--poll-interval", "-1s"}} {
		code, _, line := runCLI(t, append([]string{"run", "--sandbox", "--quiet", book}, args...)...)
		assert.Equal(t, exitUsage, code, "%v: %s", args, line)
		assert.Contains(t, line, args[0]+" must be more than 0")
		assert.NotContains(t, line, "\n")
	}
	_, err := os.Stat(book + ".sandbox.qccstate")
	assert.True(t, os.IsNotExist(err), "a refused run creates no state file")

	// serve too: its runs took the default as well.
	for _, v := range []string{"0s", "-1s"} {
		code, _, line := runCLI(t, "serve", "--sandbox", "--data", dir, "--addr", "127.0.0.1:0", "--poll-interval", v)
		assert.Equal(t, exitUsage, code, "serve --poll-interval %s: %s", v, line)
		assert.Contains(t, line, "--poll-interval must be more than 0")
	}
}

// TestHelp_UnknownTopic: `qccbatch help TYPO` exits 2 with one line naming
// the topic instead of printing the root's help and exiting 0;
// `help run` still prints run's help.
func TestHelp_UnknownTopic(t *testing.T) {
	code, stdout, line := runCLI(t, "help", "rn")
	assert.Equal(t, exitUsage, code, stdout)
	assert.Equal(t, `qccbatch: unknown help topic "rn" (see 'qccbatch --help')`, line)
	assert.Empty(t, stdout, "no usage wall")
	code, stdout, line = runCLI(t, "help", "run")
	require.Equal(t, exitOK, code, line)
	assert.Contains(t, stdout, "qccbatch run [flags] INPUT")
	code, stdout, _ = runCLI(t, "help")
	require.Equal(t, exitOK, code)
	assert.Contains(t, stdout, "Available Commands")
}

// TestRun_BadMetricsFlagsRefusedBeforeOrdering: a --metrics-file in a
// folder that does not exist, or a malformed --metrics-label, is refused
// with exit 2 and one line before anything is ordered. Before, the run
// ordered the whole book, exited 0, and only then failed to write the
// metrics the scheduler's alerting reads.
func TestRun_BadMetricsFlagsRefusedBeforeOrdering(t *testing.T) {
	srv := qcctest.New(t, qcctest.WithGenDelay(0))
	t.Setenv("QCC_KEY", qcctest.DefaultKey)
	t.Setenv("QCC_SECRET_KEY", qcctest.DefaultSecret)
	dir := t.TempDir()
	book := filepath.Join(dir, "book.csv")
	require.NoError(t, os.WriteFile(book, []byte("企业名称\n甲科技有限公司\n乙科技有限公司\n"), 0o600))
	base := []string{"run", book, "--base-url", srv.BaseURL(), "--quiet", "--poll-interval", "1ms", "-o", filepath.Join(dir, "r.csv")}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--metrics-file", filepath.Join(dir, "nope", "q.prom")}, "does not exist"},
		{[]string{"--metrics-file", filepath.Join(dir, "q.prom"), "--metrics-label", "team"}, `--metrics-label "team": want NAME=VALUE`},
		{[]string{"--metrics-file", filepath.Join(dir, "q.prom"), "--metrics-label", "__x=1"}, `--metrics-label "__x=1"`},
		{[]string{"--metrics-label", "team=kyc"}, "--metrics-label needs --metrics-file"},
	} {
		code, out := runCLIFor(t, 60*time.Second, append(append([]string{}, base...), tc.args...)...)
		assert.Equal(t, exitUsage, code, "%v: %s", tc.args, out)
		assert.Contains(t, out, tc.want)
		assert.Equal(t, 1, strings.Count(strings.TrimSpace(out), "\n")+1, "one line: %q", out)
		assert.Zero(t, srv.TotalOrders(), "%v: nothing ordered", tc.args)
	}
	_, err := os.Stat(filepath.Join(dir, "q.prom"))
	assert.True(t, os.IsNotExist(err))
	// A good label still works.
	code, out := runCLIFor(t, 60*time.Second, append(base, "--metrics-file", filepath.Join(dir, "q.prom"), "--metrics-label", "team=kyc")...)
	require.Equal(t, exitOK, code, out)
	assert.Equal(t, 2, srv.TotalOrders())
	assert.Equal(t, 2.0, gauge(t, readMetrics(t, filepath.Join(dir, "q.prom")), "qccbatch_new_orders", map[string]string{"team": "kyc"}))
}

// TestRun_SandboxWithBaseURLRefused: --sandbox with --base-url is refused
// (exit 2, one line) instead of silently ignoring --base-url; the fake API
// named by --base-url is not called either way.
func TestRun_SandboxWithBaseURLRefused(t *testing.T) {
	srv := qcctest.New(t, qcctest.WithGenDelay(0))
	dir := t.TempDir()
	book := filepath.Join(dir, "book.csv")
	require.NoError(t, os.WriteFile(book, []byte("企业名称\n甲科技有限公司\n"), 0o600))
	for _, extra := range [][]string{nil, {"--dry-run"}} {
		args := append([]string{"run", "--sandbox", "--quiet", "--base-url", srv.BaseURL(), book}, extra...)
		code, out := runCLIFor(t, 60*time.Second, args...)
		assert.Equal(t, exitUsage, code, "%v: %s", extra, out)
		assert.Contains(t, out, "--sandbox uses the built-in sandbox API and takes no --base-url")
		assert.NotContains(t, strings.TrimSpace(out), "\n")
	}
	_, err := os.Stat(book + ".sandbox.qccstate")
	assert.True(t, os.IsNotExist(err), "no sandbox state file")
	assert.Zero(t, srv.TotalOrders())
}

// TestExecute_PanicIsOneLineExit1: a command that panics (a bug) ends
// with one line on stderr and exit 1 (internal error), not a stack trace
// and the runtime's exit 2 (usage error: "nothing was ordered").
func TestExecute_PanicIsOneLineExit1(t *testing.T) {
	root := newRootCmd()
	root.AddCommand(&cobra.Command{Use: "boom", RunE: func(*cobra.Command, []string) error {
		panic("index out of range\n\ngoroutine 1 [running]")
	}})
	var stderr bytes.Buffer
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	code := executeRoot(ctx, root, []string{"boom"}, &stderr)
	assert.Equal(t, exitInternal, code)
	assert.Equal(t, "qccbatch: internal error (a bug: please report it with the output of 'qccbatch version'): index out of range goroutine 1 [running]\n", stderr.String())
	stderr.Reset()
	assert.Equal(t, exitUsage, executeRoot(ctx, newRootCmd(), []string{"status"}, &stderr), "errors keep their code")
	assert.Equal(t, 1, strings.Count(stderr.String(), "\n"))
}

// TestRun_SecretAndTokensNeverWrittenEndToEnd runs the command line
// against an API that echoes the secret and every Token it receives in
// its messages (a row-level 202, a success, a poll, an unknown fatal
// code), in both log formats, and greps everything the program wrote:
// stdout and stderr, the state file, the results, the metrics file, the
// ledger, export and status --json. None holds the secret or a Token.
func TestRun_SecretAndTokensNeverWrittenEndToEnd(t *testing.T) {
	const key, secret = "KEY-3c9d0e11aa", "SECRET-5b2f7e0c91d4"
	var mu sync.Mutex
	tokens := map[string]bool{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		tok := r.Header.Get("Token")
		mu.Lock()
		tokens[tok] = true
		mu.Unlock()
		echo := fmt.Sprintf("Token %s secret %s", tok, secret)
		w.Header().Set("Content-Type", "application/json")
		q := r.URL.Query()
		switch {
		case strings.HasSuffix(r.URL.Path, "/GetReportInfo"):
			fmt.Fprintf(w, `{"Status":"200","Message":%q,"Result":{"ReportStatus":"S","ReportUrl":"https://example.invalid/r/%s.pdf"}}`, echo, q.Get("orderNo"))
		case strings.Contains(q.Get("searchKey"), "乙"):
			fmt.Fprintf(w, `{"Status":"202","Message":%q}`, "查询参数错误 "+echo)
		case strings.Contains(q.Get("searchKey"), "丙"):
			fmt.Fprintf(w, `{"Status":"987","Message":%q}`, echo)
		default:
			fmt.Fprintf(w, `{"Status":"200","Message":%q,"Result":{"OrderNo":"O-%d"}}`, echo, len(q.Get("searchKey")))
		}
	}))
	defer srv.Close()
	t.Setenv("QCC_KEY", key)
	t.Setenv("QCC_SECRET_KEY", secret)
	dir := t.TempDir()
	book := filepath.Join(dir, "book.csv")
	state := filepath.Join(dir, "book.qccstate")
	prom := filepath.Join(dir, "q.prom")
	run := func(format string, rows string, want int) string {
		require.NoError(t, os.WriteFile(book, []byte("企业名称\n"+rows), 0o600))
		code, out := runCLIFor(t, 60*time.Second, "run", book, "--base-url", srv.URL+"/api/yj", "--state", state,
			"--poll-interval", "1ms", "--no-progress", "--log-format", format, "--lang", "en",
			"-o", filepath.Join(dir, "r.csv"), "--metrics-file", prom)
		require.Equal(t, want, code, out)
		return out
	}
	outputs := map[string]string{
		"text run":  run("text", "甲科技有限公司\n乙科技有限公司\n", exitOK),
		"json run":  run("json", "甲科技有限公司\n乙科技有限公司\n丙科技有限公司\n", exitAccount),
		"text run2": run("text", "甲科技有限公司\n乙科技有限公司\n丙科技有限公司\n", exitAccount),
	}
	for name, args := range map[string][]string{
		"status": {"status", "--json", state},
		"ledger": {"ledger", "-o", filepath.Join(dir, "ledger.csv"), state},
		"runs":   {"ledger", "--runs", "--json", state},
		"export": {"export", "-o", filepath.Join(dir, "e.csv"), state, book},
	} {
		code, out := runCLIFor(t, 60*time.Second, args...)
		require.Equal(t, exitOK, code, out)
		outputs[name] = out
	}
	for _, f := range []string{state, filepath.Join(dir, "r.csv"), prom, filepath.Join(dir, "ledger.csv"), filepath.Join(dir, "e.csv")} {
		b, err := os.ReadFile(f)
		require.NoError(t, err)
		outputs[filepath.Base(f)] = string(b)
	}
	assert.Contains(t, outputs["r.csv"], "查询参数错误", "the row's message is kept")
	assert.Contains(t, outputs["json run"], "987")
	mu.Lock()
	defer mu.Unlock()
	require.NotEmpty(t, tokens)
	for name, text := range outputs {
		assert.NotContains(t, text, secret, name)
		for tok := range tokens {
			assert.NotContains(t, text, tok, name)
			assert.NotContains(t, text, strings.ToLower(tok), name)
		}
	}
}

// TestSandbox_AddressInUseExit2: `qccbatch sandbox --addr` on a port that
// is taken exits 2 (usage: choose another --addr), one line naming the
// flag, like serve; before, it exited 1 (internal error).
func TestSandbox_AddressInUseExit2(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer l.Close()
	code, out := runCLIFor(t, 30*time.Second, "sandbox", "--addr", l.Addr().String())
	assert.Equal(t, exitUsage, code, out)
	assert.Contains(t, out, "--addr "+l.Addr().String())
	assert.NotContains(t, strings.TrimSpace(out), "\n")
}

// TestResolve_SandboxWithBaseURLRefused: resolve --sandbox with --base-url
// is refused (exit 2, one line) instead of checking the order number with
// the sandbox and silently ignoring --base-url.
func TestResolve_SandboxWithBaseURLRefused(t *testing.T) {
	_, state := sandboxLedger(t)
	srv := qcctest.New(t, qcctest.WithGenDelay(0))
	code, out := runCLIFor(t, 30*time.Second, "resolve", "--sandbox", "--base-url", srv.BaseURL(),
		"--key", "华为技术有限公司", "--order-no", "X1", "--apply", state)
	assert.Equal(t, exitUsage, code, out)
	assert.Contains(t, out, "--sandbox uses the built-in sandbox API and takes no --base-url")
	assert.NotContains(t, strings.TrimSpace(out), "\n")
	_, polls, _ := srv.Requests()
	assert.Zero(t, polls)
}

// TestRun_SandboxRefusedInputIsOneLine: `run --sandbox` on an input it
// refuses (missing, a folder, a bad --header-row) writes only the one
// error line on stderr; before, the "using the built-in sandbox API" log
// line came first. A run that starts still says it, before the plan.
func TestRun_SandboxRefusedInputIsOneLine(t *testing.T) {
	dir := t.TempDir()
	folder := filepath.Join(dir, "folder.csv")
	require.NoError(t, os.Mkdir(folder, 0o700))
	book := filepath.Join(dir, "book.csv")
	require.NoError(t, os.WriteFile(book, []byte("企业名称\n甲科技有限公司\n"), 0o600))
	for _, args := range [][]string{{filepath.Join(dir, "nope.csv")}, {folder}, {"--header-row", "-3", book}} {
		code, out := runCLIFor(t, 60*time.Second, append([]string{"run", "--sandbox", "--log-format", "text"}, args...)...)
		assert.Equal(t, exitUsage, code, out)
		assert.True(t, strings.HasPrefix(out, "qccbatch: "), "only the error line: %q", out)
		assert.NotContains(t, strings.TrimSpace(out), "\n", "one line: %q", out)
	}
	code, out := runCLIFor(t, 60*time.Second, "run", "--sandbox", "--log-format", "text", "--no-progress", book)
	require.Equal(t, exitOK, code, out)
	i := strings.Index(out, "using the built-in sandbox API")
	assert.GreaterOrEqual(t, i, 0, out)
	assert.Less(t, i, strings.Index(out, "msg=plan"), "before the plan: %s", out)
}
