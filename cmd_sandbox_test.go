package main

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
