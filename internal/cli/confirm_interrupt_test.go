package cli

import (
	"os"
	"path/filepath"
	"regexp"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/qccbatch/qccbatch/client/qcctest"
)

// TestConfirmPTY_InterruptAtPrompt (issue 18 item 10): Ctrl-C typed at the
// confirmation prompt ends the run at once with exit 4: nothing ordered at
// the fake API, the lock and the fallback file's reserve released, so the
// next run takes the state file and orders every company once. Before, the
// prompt kept waiting for a line after the first Ctrl-C.
func TestConfirmPTY_InterruptAtPrompt(t *testing.T) {
	t.Setenv("QCC_KEY", qcctest.DefaultKey) // for the rerun in this process
	t.Setenv("QCC_SECRET_KEY", qcctest.DefaultSecret)
	srv := qcctest.New(t, qcctest.WithGenDelay(0))
	in := ptyPortfolio(t, 101)
	state := in + ".qccstate"
	out := filepath.Join(filepath.Dir(in), "r.csv")
	r := startPTY(t, "run", in, "--lang", "en", "--base-url", srv.BaseURL(), "--qps", "0", "--price", "30",
		"--no-progress", "-o", out)
	r.waitFor(t, regexp.MustCompile(`Place 101 orders \(≈ ¥3,030\)\? \[y/N\] $`))
	_, err := r.stdin.Write([]byte{3}) // Ctrl-C, turned into SIGINT by the terminal
	require.NoError(t, err)
	start := time.Now()
	done := make(chan struct{})
	var code int
	var output string
	go func() {
		defer close(done)
		code, output = r.wait(t)
	}()
	select {
	case <-done:
	case <-time.After(20 * time.Second):
		_ = r.cmd.Process.Kill()
		<-done
		require.FailNow(t, "the run did not end within 20s of Ctrl-C at the prompt", "output:\n%s", r.out.String())
	}
	assert.Equal(t, exitIncomplete, code, output)
	assert.Less(t, time.Since(start), 5*time.Second, "at once, not after a grace")
	assert.Contains(t, output, "interrupted at the confirmation: nothing was ordered")
	assert.Zero(t, srv.TotalOrders(), "nothing ordered")
	_, err = os.Stat(state + ".pending-orders")
	assert.True(t, os.IsNotExist(err), "the fallback reserve was released: %v", err)

	code, _, line := runCLI(t, "run", in, "--lang", "en", "--base-url", srv.BaseURL(), "--qps", "0", "--yes",
		"--poll-interval", "10ms", "--quiet", "-o", out)
	require.Equal(t, exitOK, code, "the next run takes the lock: %s", line)
	assert.Equal(t, 101, srv.TotalOrders())
	for name, n := range srv.OrderCounts() {
		assert.Equal(t, 1, n, name)
	}
}
