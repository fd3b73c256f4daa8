package cli

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/qccbatch/qccbatch/client/qcctest"
)

// TestMain lets tests run the real program: with QCCBATCH_BE_MAIN=1 the
// re-executed test binary is qccbatch itself, signals and exit codes included.
func TestMain(m *testing.M) {
	if os.Getenv("QCCBATCH_BE_MAIN") == "1" {
		os.Exit(Main(strings.Fields(os.Getenv("QCCBATCH_ARGS")), Build{}))
	}
	os.Exit(m.Run())
}

// qccbatch returns a command running the program with args and env.
func qccbatch(t *testing.T, env []string, args ...string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "QCCBATCH_BE_MAIN=1", "QCCBATCH_ARGS="+strings.Join(args, " "))
	cmd.Env = append(cmd.Env, env...)
	return cmd
}

func procExit(err error) int {
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		return ee.ExitCode()
	}
	if err != nil {
		return -1
	}
	return 0
}

func writePortfolio(t *testing.T, n int) string {
	t.Helper()
	var b strings.Builder
	b.WriteString("企业名称\n")
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&b, "命令行测试企业%04d\n", i)
	}
	p := filepath.Join(t.TempDir(), "p.csv")
	require.NoError(t, os.WriteFile(p, []byte(b.String()), 0o600))
	return p
}

var sandboxEnv = []string{"QCC_KEY=sandbox", "QCC_SECRET_KEY=sandbox"}

func TestCLI_UsageErrorsExit2(t *testing.T) {
	for _, args := range [][]string{{"nosuchcommand"}, {"run", "--no-such-flag", "x.csv"}, {"run"}, {"status"}} {
		t.Run(strings.Join(args, "_"), func(t *testing.T) {
			var stderr bytes.Buffer
			cmd := qccbatch(t, nil, args...)
			cmd.Stderr = &stderr
			assert.Equal(t, 2, procExit(cmd.Run()))
			lines := strings.Split(strings.TrimSpace(stderr.String()), "\n")
			assert.Len(t, lines, 1, "one line: %q", stderr.String())
			assert.NotContains(t, stderr.String(), "goroutine")
		})
	}
}

func TestCLI_MissingCredentialsNamesTheVariable(t *testing.T) {
	in := writePortfolio(t, 2)
	for _, tc := range []struct {
		env  []string
		want string
	}{
		{[]string{"QCC_KEY=", "QCC_SECRET_KEY="}, "QCC_KEY"},
		{[]string{"QCC_KEY=abc", "QCC_SECRET_KEY="}, "QCC_SECRET_KEY"},
	} {
		var stderr bytes.Buffer
		cmd := qccbatch(t, tc.env, "run", in)
		cmd.Stderr = &stderr
		assert.Equal(t, 2, procExit(cmd.Run()))
		assert.Contains(t, stderr.String(), tc.want)
	}
}

// TestCLI_InterruptThenResume sends SIGINT to a real run: it stops ordering,
// writes the results and exits 4; the rerun finishes without ordering any
// company twice. Flags come after the file name, as operators type them.
func TestCLI_InterruptThenResume(t *testing.T) {
	srv := qcctest.New(t, qcctest.WithGenDelay(0), qcctest.WithLatency(20*time.Millisecond))
	in := writePortfolio(t, 200)
	out := filepath.Join(filepath.Dir(in), "r.csv")
	args := []string{"run", in, "--base-url", srv.BaseURL(), "--qps", "0", "--concurrency", "2", "--poll-interval", "10ms", "-o", out, "--no-progress"}
	cmd := qccbatch(t, sandboxEnv, args...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	require.NoError(t, cmd.Start())
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	for srv.TotalOrders() < 10 && ctx.Err() == nil {
		time.Sleep(time.Millisecond)
	}
	require.NoError(t, cmd.Process.Signal(syscall.SIGINT))
	assert.Equal(t, 4, procExit(cmd.Wait()), stderr.String())
	placed := srv.TotalOrders()
	assert.Less(t, placed, 200, "ordering stopped")
	_, err := os.Stat(out)
	require.NoError(t, err, "results written after the interrupt")

	rerun := qccbatch(t, sandboxEnv, args...)
	outb, err := rerun.CombinedOutput()
	require.NoError(t, err, string(outb))
	for i := 1; i <= 200; i++ {
		name := fmt.Sprintf("命令行测试企业%04d", i)
		require.Equal(t, 1, srv.Orders(name), name)
	}
}

// TestCLI_SecondInterruptExitsAtOnce: the second signal does not wait.
func TestCLI_SecondInterruptExitsAtOnce(t *testing.T) {
	// 超时 names: the sandbox places each order and then holds its answer
	// (35 s), so after the first interrupt the requests in flight keep the
	// run alive for the whole grace (5 s): only the second interrupt's
	// immediate exit ends it sooner.
	srv := qcctest.New(t, qcctest.WithGenDelay(time.Hour))
	var names strings.Builder
	names.WriteString("企业名称\n")
	for i := 1; i <= 50; i++ {
		fmt.Fprintf(&names, "超时测试有限公司%04d\n", i)
	}
	in := filepath.Join(t.TempDir(), "p.csv")
	require.NoError(t, os.WriteFile(in, []byte(names.String()), 0o600))
	cmd := qccbatch(t, sandboxEnv, "run", in, "--lang", "en", "--base-url", srv.BaseURL(), "--qps", "0", "--no-progress")
	stderr, err := cmd.StderrPipe()
	require.NoError(t, err)
	require.NoError(t, cmd.Start())
	lines := make(chan string, 100)
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
	deadline := time.Now().Add(30 * time.Second) // a regression fails, never hangs
	// A new ledger's first order goes alone, until the API accepts the key.
	for srv.TotalOrders() < 1 {
		if time.Now().After(deadline) {
			_ = cmd.Process.Kill()
			require.FailNow(t, "the run placed no orders within 30s")
		}
		time.Sleep(time.Millisecond)
	}
	require.NoError(t, cmd.Process.Signal(syscall.SIGINT))
	// Signals are not queued: wait until the first one was handled, or the
	// second would merge into it.
	for seen := false; !seen; {
		select {
		case l, ok := <-lines:
			require.True(t, ok, "the program ended before acknowledging the interrupt")
			seen = strings.Contains(l, "interrupted: stopping cleanly")
		case <-time.After(30 * time.Second):
			_ = cmd.Process.Kill()
			require.FailNow(t, "no acknowledgement of the first interrupt within 30s")
		}
	}
	go func() {
		for range lines { // keep draining stderr
		}
	}()
	require.NoError(t, cmd.Process.Signal(syscall.SIGINT))
	start := time.Now()
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		assert.Equal(t, 4, procExit(err))
		// "At once": well before the first interrupt's grace (5 s) and the
		// requests in flight (200 ms latency each) could have run out.
		assert.Less(t, time.Since(start), 3*time.Second, "the second interrupt exits at once")
	case <-time.After(30 * time.Second):
		_ = cmd.Process.Kill()
		require.FailNow(t, "the program did not exit within 30s of the second interrupt")
	}
}
