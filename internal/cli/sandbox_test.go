package cli

import (
	"bufio"
	"context"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/qccbatch/qccbatch/client"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestSandboxCmd_Refuses(t *testing.T) {
	tests := []struct {
		name string
		args []string
	}{
		{"all interfaces", []string{"--addr", ":8080"}},
		{"public address", []string{"--addr", "10.1.2.3:8080"}},
		{"no port", []string{"--addr", "127.0.0.1"}},
		{"error rate over 1", []string{"--addr", "127.0.0.1:0", "--error-rate", "1.5"}},
		{"negative drop rate", []string{"--addr", "127.0.0.1:0", "--drop-rate", "-0.1"}},
		{"negative rate limit", []string{"--addr", "127.0.0.1:0", "--rate-limit", "-1"}},
		{"empty secret", []string{"--addr", "127.0.0.1:0", "--secret", ""}},
		{"argument", []string{"--addr", "127.0.0.1:0", "extra"}},
		{"unknown distribution", []string{"--addr", "127.0.0.1:0", "--gen-dist", "weibull"}},
		{"median with fixed", []string{"--addr", "127.0.0.1:0", "--gen-median", "20s"}},
		{"sigma with explicit fixed", []string{"--addr", "127.0.0.1:0", "--gen-dist", "fixed", "--gen-sigma", "0.5"}},
		{"max with fixed", []string{"--addr", "127.0.0.1:0", "--gen-max", "180s"}},
		{"negative median", []string{"--addr", "127.0.0.1:0", "--gen-dist", "lognormal", "--gen-median", "-1s"}},
		{"negative sigma", []string{"--addr", "127.0.0.1:0", "--gen-dist", "lognormal", "--gen-sigma", "-0.1"}},
		{"infinite sigma", []string{"--addr", "127.0.0.1:0", "--gen-dist", "lognormal", "--gen-sigma", "+Inf"}},
		{"NaN sigma", []string{"--addr", "127.0.0.1:0", "--gen-dist", "lognormal", "--gen-sigma", "NaN"}},
		{"negative max", []string{"--addr", "127.0.0.1:0", "--gen-dist", "lognormal", "--gen-max", "-5s"}},
		{"max below median", []string{"--addr", "127.0.0.1:0", "--gen-dist", "lognormal", "--gen-median", "20s", "--gen-max", "10s"}},
		{"max below gen-delay as median", []string{"--addr", "127.0.0.1:0", "--gen-dist", "lognormal", "--gen-delay", "20s", "--gen-max", "10s"}},
		{"lognormal without a median", []string{"--addr", "127.0.0.1:0", "--gen-dist", "lognormal", "--gen-delay", "0s"}},
		{"slow median with lognormal", []string{"--addr", "127.0.0.1:0", "--gen-dist", "lognormal", "--gen-slow-median", "90s"}},
		{"slow share with fixed", []string{"--addr", "127.0.0.1:0", "--gen-slow-share", "0.5"}},
		{"sigma with exponential", []string{"--addr", "127.0.0.1:0", "--gen-dist", "exponential", "--gen-median", "20s", "--gen-sigma", "0.5"}},
		{"slow share over 1", []string{"--addr", "127.0.0.1:0", "--gen-dist", "bimodal", "--gen-median", "10s", "--gen-slow-share", "1.5"}},
		{"negative slow median", []string{"--addr", "127.0.0.1:0", "--gen-dist", "bimodal", "--gen-median", "10s", "--gen-slow-median", "-1s"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root := newRootCmd()
			root.SetArgs(append([]string{"sandbox"}, tt.args...))
			root.SetOut(io.Discard)
			// Every case listens on a free loopback port, if at all, and a
			// broken check serves only until this deadline: it fails, never hangs.
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			err := root.ExecuteContext(ctx)
			require.Error(t, err)
			assert.Equal(t, exitUsage, exitCode(err), "err = %v", err)
		})
	}
}

func TestSandboxCmd_Serves(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	pr, pw := io.Pipe()
	root := newRootCmd()
	root.SetArgs([]string{"sandbox", "--addr", "127.0.0.1:0", "--key", "k-test", "--secret", "s-test", "--gen-delay", "0s"})
	root.SetOut(pw)
	root.SetErr(io.Discard)
	done := make(chan error, 1)
	go func() { done <- root.ExecuteContext(ctx); pw.Close() }()

	line, err := bufio.NewReader(pr).ReadString('\n')
	require.NoError(t, err, "reading the banner")
	assert.NotContains(t, line, "s-test", "the banner shows the --secret")
	fields := strings.Fields(line)
	require.True(t, len(fields) >= 4 && strings.HasPrefix(fields[3], "http://127.0.0.1:"), "banner %q does not give the base URL", line)
	go func() { _, _ = io.Copy(io.Discard, pr) }()
	c, err := client.New(fields[3], "k-test", "s-test")
	require.NoError(t, err)
	no, err := c.CreateReport(ctx, "某公司", client.FormatPDF)
	require.NoError(t, err)
	info, err := c.GetReportInfo(ctx, no)
	if assert.NoError(t, err, "GetReportInfo") {
		assert.Equal(t, client.ReportSucceeded, info.Status, "GetReportInfo = %+v; want S", info)
	}
	cancel()
	assert.NoError(t, <-done, "sandbox returned an error after the context ended")
}

// sandboxServe starts `qccbatch sandbox args...` and returns its base URL,
// a stop function that cancels it like Ctrl-C and returns what it printed
// on stderr, and its error.
func sandboxServe(t *testing.T, args ...string) (base string, stop func() (string, error)) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	pr, pw := io.Pipe()
	var stderr strings.Builder
	root := newRootCmd()
	root.SetArgs(append([]string{"sandbox", "--addr", "127.0.0.1:0"}, args...))
	root.SetOut(pw)
	root.SetErr(&stderr)
	done := make(chan error, 1)
	go func() { done <- root.ExecuteContext(ctx); pw.Close() }()
	line, err := bufio.NewReader(pr).ReadString('\n')
	require.NoError(t, err, "reading the banner")
	go func() { _, _ = io.Copy(io.Discard, pr) }()
	fields := strings.Fields(line)
	require.GreaterOrEqual(t, len(fields), 4, "banner %q", line)
	return fields[3], func() (string, error) {
		cancel()
		select {
		case err := <-done:
			return stderr.String(), err
		case <-time.After(5 * time.Second):
			t.Fatal("the sandbox did not stop after its context ended")
			return "", nil
		}
	}
}

// The closing line counts what the sandbox saw: a lognormal report of
// median 1h is still P at the first poll, and becomes ready at most
// --gen-max after the order.
func TestSandboxCmd_PrintsStatsOnStop(t *testing.T) {
	base, stop := sandboxServe(t, "--gen-dist", "lognormal", "--gen-median", "1h", "--gen-sigma", "0.1", "--gen-max", "2h")
	c, err := client.New(base, "sandbox", "sandbox")
	require.NoError(t, err)
	ctx := context.Background()
	before := time.Now()
	no, err := c.CreateReport(ctx, "某公司", client.FormatPDF)
	require.NoError(t, err)
	info, err := c.GetReportInfo(ctx, no)
	require.NoError(t, err)
	assert.Equal(t, client.ReportProcessing, info.Status)

	out, err := stop()
	require.NoError(t, err)
	line := strings.TrimSpace(out)
	require.True(t, strings.HasPrefix(line, "sandbox stopped: "), "closing line %q", line)
	for _, want := range []string{"orders=1 ", "api_calls=2 ", "creates=1 ", "polls=1 ", "polls_pending=1 ", "throttled=0 "} {
		assert.Contains(t, line, want)
	}
	i := strings.Index(line, "last_ready=")
	require.GreaterOrEqual(t, i, 0, "closing line %q has no last_ready", line)
	ready, err := time.Parse(time.RFC3339Nano, line[i+len("last_ready="):])
	require.NoError(t, err)
	// median 1h, sigma 0.1: within e^(±0.5) of the median is a 5-sigma event;
	// the cap is 2h.
	assert.True(t, ready.After(before.Add(30*time.Minute)) && !ready.After(time.Now().Add(2*time.Hour)),
		"last_ready %v, ordered at %v", ready, before)
}

func TestSandboxCmd_StatsWithoutOrders(t *testing.T) {
	_, stop := sandboxServe(t, "--gen-dist", "LOGNORMAL", "--gen-median", "20s", "--gen-max", "180s")
	out, err := stop()
	require.NoError(t, err)
	assert.Contains(t, out, "orders=0 api_calls=0 ")
	assert.Contains(t, out, "last_ready=none")
}
