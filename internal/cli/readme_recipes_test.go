package cli

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/qccbatch/qccbatch/client/qcctest"
)

// readme returns the README's text.
func readme(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile("../../README.md")
	require.NoError(t, err)
	return string(b)
}

// TestREADME_KeyFileWorksWithItsCronLine (issue 18 item 10): the README's
// key-file example, with the fake API's credentials in it, runs with the
// README's own cron line and nothing in the environment. Before, the cron
// line sourced the file, whose QCC_SECRET_KEY line has no export: the
// program never saw the secret.
func TestREADME_KeyFileWorksWithItsCronLine(t *testing.T) {
	text := readme(t)
	// The key-file example: the code block that follows "Put a secret containing".
	i := strings.Index(text, "Put a secret containing")
	require.GreaterOrEqual(t, i, 0)
	block := regexp.MustCompile("(?s)```\n(.*?)```").FindStringSubmatch(text[i:])
	require.NotNil(t, block)
	keyFile := strings.NewReplacer("your-key", qcctest.DefaultKey, "your-secret", qcctest.DefaultSecret).Replace(block[1])
	dir := t.TempDir()
	keyPath := filepath.Join(dir, "qccbatch.env")
	require.NoError(t, os.WriteFile(keyPath, []byte(keyFile), 0o600))
	require.NoError(t, os.Chmod(keyPath, 0o600))

	cron := regexp.MustCompile(`(?m)^30 1 \* \* \* (.*)$`).FindStringSubmatch(text)
	require.NotNil(t, cron, "the cron recipe")
	assert.NotRegexp(t, `(^|&&|;)\s*(\.|source)\s`, cron[1], "the cron line sources nothing")
	cmdline := cron[1][strings.Index(cron[1], "/usr/local/bin/qccbatch ")+len("/usr/local/bin/qccbatch "):]
	cmdline = cmdline[:strings.Index(cmdline, ">>")]
	args := strings.Fields(cmdline)
	require.Contains(t, args, "--key-file")

	srv := qcctest.New(t, qcctest.WithGenDelay(0))
	book := namedBook(t, "定时任务测试企业", 3)
	for k, a := range args {
		switch a {
		case "backbook.xlsx":
			args[k] = book
		case "/etc/qccbatch.env":
			args[k] = keyPath
		}
	}
	args = append(args, "--base-url", srv.BaseURL(), "--qps", "0", "--poll-interval", "10ms", "-o", filepath.Join(dir, "r.csv"))
	t.Setenv("QCC_KEY", "")
	t.Setenv("QCC_SECRET_KEY", "")
	code, _, line := runCLI(t, args...)
	require.Equal(t, exitOK, code, "%v: %s", args, line)
	assert.Equal(t, 3, srv.TotalOrders())

	systemd := regexp.MustCompile(`(?m)^ExecStart=(.*)$`).FindStringSubmatch(text)
	require.NotNil(t, systemd)
	assert.Contains(t, systemd[1], "--key-file /etc/qccbatch.env", "systemd reads the same key file")
}

// TestREADME_ExitCodesAndSchedulers: the README's exit table has every exit
// code, and every scheduler recipe alerts on 6 like 1, 2 and 5.
func TestREADME_ExitCodesAndSchedulers(t *testing.T) {
	text := readme(t)
	for _, code := range []int{exitOK, exitInternal, exitUsage, exitStopped, exitIncomplete, exitPerson, exitAccount} {
		assert.Regexp(t, regexp.MustCompile(`(?m)^\| `+string(rune('0'+code))+` \| `), text, "exit %d in the table", code)
	}
	// strings.Contains, not assert.Contains: a failure names the text
	// missing, not the whole README.
	for _, want := range []string{
		"Schedulers alert on 1, 2, 5 and 6",
		"SuccessExitStatus=3 4",    // systemd: 6 fails the unit
		"values: [1, 2, 5, 6]",     // Kubernetes
		"have 1, 2, 5 and 6 alert", // Task Scheduler
	} {
		assert.True(t, strings.Contains(text, want), "the README says %q", want)
	}
	assert.False(t, strings.Contains(text, "every call stops, exit 3"), "an account stop is not exit 3")
}

// TestCLI_MissingCredentialsInZh (issue 18 item 10): the "not set" message
// is in the run's language; zh is the default.
func TestCLI_MissingCredentialsInZh(t *testing.T) {
	t.Setenv("QCC_KEY", "")
	t.Setenv("QCC_SECRET_KEY", "")
	in := namedBook(t, "凭据测试企业", 1)
	code, _, line := runCLI(t, "run", in)
	assert.Equal(t, exitUsage, code)
	assert.Contains(t, line, "QCC_KEY 和 QCC_SECRET_KEY 均未设置")
	assert.Contains(t, line, "--key-file")
	t.Setenv("QCC_KEY", "abc")
	code, _, line = runCLI(t, "run", in, "--lang", "en")
	assert.Equal(t, exitUsage, code)
	assert.Contains(t, line, "QCC_SECRET_KEY is not set (QCC_KEY is)")
	assert.Contains(t, line, "export QCC_SECRET_KEY=")
}
