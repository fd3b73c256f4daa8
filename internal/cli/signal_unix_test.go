//go:build unix

package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/qccbatch/qccbatch/client/qcctest"
)

// TestCLI_HangupStopsCleanly (issue 18 item 10): SIGHUP — a closed terminal
// or SSH session — is handled like SIGTERM: ordering stops, the requests in
// flight are answered, the state and the results are written, the lock is
// released and the run exits 4; no row is left uncertain, and the rerun
// orders every company exactly once. With "closed pipes", stdout and stderr
// are pipes whose reader is gone before the signal (an SSH session without
// a terminal): the run must not die of SIGPIPE on its first message.
func TestCLI_HangupStopsCleanly(t *testing.T) {
	t.Setenv("QCC_KEY", qcctest.DefaultKey) // for the rerun in this process
	t.Setenv("QCC_SECRET_KEY", qcctest.DefaultSecret)
	for _, closedPipes := range []bool{false, true} {
		name := "terminal"
		if closedPipes {
			name = "closed pipes"
		}
		t.Run(name, func(t *testing.T) {
			srv := qcctest.New(t, qcctest.WithGenDelay(300*time.Millisecond), qcctest.WithLatency(20*time.Millisecond))
			in := namedBook(t, "挂断测试企业", 100)
			out := filepath.Join(filepath.Dir(in), "r.csv")
			state := in + ".qccstate"
			args := []string{"run", in, "--base-url", srv.BaseURL(), "--qps", "0", "--concurrency", "4",
				"--poll-interval", "10ms", "-o", out, "--no-progress", "--log-format", "json"}
			cmd := qccbatch(t, sandboxEnv, args...)
			var stderr bytes.Buffer
			var pr, pw *os.File
			if closedPipes {
				var err error
				pr, pw, err = os.Pipe()
				require.NoError(t, err)
				cmd.Stdout, cmd.Stderr = pw, pw
			} else {
				cmd.Stderr = &stderr
			}
			require.NoError(t, cmd.Start())
			if pw != nil {
				_ = pw.Close() // the child holds the write end
			}
			done := make(chan error, 1)
			go func() { done <- cmd.Wait() }()
			deadline := time.After(30 * time.Second)
			for srv.TotalOrders() < 10 {
				select {
				case err := <-done:
					require.FailNow(t, "the run ended before the signal", "exit %d: %s", procExit(err), stderr.String())
				case <-deadline:
					_ = cmd.Process.Kill()
					require.FailNow(t, "no 10 orders within 30s")
				case <-time.After(time.Millisecond):
				}
			}
			if pr != nil {
				require.NoError(t, pr.Close()) // the session is gone
			}
			require.NoError(t, cmd.Process.Signal(syscall.SIGHUP))
			select {
			case err := <-done:
				assert.Equal(t, exitIncomplete, procExit(err), "%v %s", err, stderr.String())
			case <-time.After(30 * time.Second):
				_ = cmd.Process.Kill()
				require.FailNow(t, "no exit within 30s of SIGHUP")
			}
			placed := srv.TotalOrders()
			assert.Less(t, placed, 100, "ordering stopped")
			_, err := os.Stat(out)
			require.NoError(t, err, "results written after SIGHUP")
			oc := statusOutcomes(t, state)
			assert.Zero(t, oc["uncertain"], "every request in flight was answered and recorded: %v", oc)
			assert.Equal(t, placed, oc["pending"]+oc["ready"], "every placed order is pending or ready: %v", oc)

			// The lock was released: the rerun takes it and finishes, and
			// no company was ordered twice.
			code, _, line := runCLI(t, append(args[:len(args)-2], "--quiet")...)
			require.Equal(t, exitOK, code, line)
			for name, n := range srv.OrderCounts() {
				assert.Equal(t, 1, n, name)
			}
			assert.Equal(t, 100, srv.TotalOrders())
		})
	}
}
