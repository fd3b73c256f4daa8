package cli

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/qccbatch/qccbatch/client/qcctest"
)

func TestGroupThousands(t *testing.T) {
	for n, want := range map[int64]string{0: "0", 999: "999", 1000: "1,000", 12345: "12,345", 370350: "370,350", 1234567: "1,234,567", -1500: "-1,500"} {
		assert.Equal(t, want, groupThousands(n))
	}
}

func TestConfirmOrders(t *testing.T) {
	for answer, want := range map[string]bool{"y\n": true, "yes\n": true, "Y\n": true, "n\n": false, "\n": false, "": false, "maybe\n": false} {
		var out bytes.Buffer
		got := confirmOrders(context.Background(), strings.NewReader(answer), &out, "en", 30)(12345, 370350)
		assert.Equal(t, want, got, "answer %q", answer)
		assert.Equal(t, "Place 12,345 orders (≈ ¥370,350)? [y/N] ", strings.TrimSuffix(out.String(), "\n"))
	}
	for answer, want := range map[string]bool{"是\n": true, "y\n": true, "否\n": false, "": false} {
		var out bytes.Buffer
		got := confirmOrders(context.Background(), strings.NewReader(answer), &out, "zh", 30)(12345, 370350)
		assert.Equal(t, want, got, "answer %q", answer)
		assert.Equal(t, "下单 12,345 份报告（约 ¥370,350）？[y/N] ", strings.TrimSuffix(out.String(), "\n"))
	}
	var out bytes.Buffer
	confirmOrders(context.Background(), strings.NewReader("n\n"), &out, "zh", 0)(150, 0)
	assert.Equal(t, "下单 150 份报告？[y/N] ", out.String(), "no price: no cost")
}

// TestCLI_ConfirmUnderTerminal runs the real program under a pseudo-terminal
// (script(1)): a run of more than 100 new orders asks first; answering n
// places nothing; --yes never asks; without a terminal it never asks.
func TestCLI_ConfirmUnderTerminal(t *testing.T) {
	scriptBin, err := exec.LookPath("script")
	if err != nil {
		t.Skip("script(1) not installed: no pseudo-terminal to test the prompt")
	}
	srv := qcctest.New(t, qcctest.WithGenDelay(0))
	in := writePortfolio(t, 101)
	run := func(t *testing.T, stdin string, tty bool, extra ...string) (string, int) {
		t.Helper()
		args := append([]string{"run", in, "--lang", "en", "--base-url", srv.BaseURL(), "--qps", "0", "--price", "30", "--no-progress", "-o", in + ".csv"}, extra...)
		var cmd *exec.Cmd
		if tty {
			self, err := os.Executable()
			require.NoError(t, err)
			cmd = exec.Command(scriptBin, "-q", "-e", "-c", self+" -test.run=^$", "/dev/null")
		} else {
			cmd = exec.Command(os.Args[0], "-test.run=^$")
		}
		cmd.Env = append(os.Environ(), "QCCBATCH_BE_MAIN=1", "QCCBATCH_ARGS="+strings.Join(args, " "), "QCC_KEY=sandbox", "QCC_SECRET_KEY=sandbox")
		cmd.Stdin = strings.NewReader(stdin)
		var out bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &out
		require.NoError(t, cmd.Start())
		done := make(chan error, 1)
		go func() { done <- cmd.Wait() }()
		select {
		case err := <-done:
			return out.String(), procExit(err)
		case <-time.After(60 * time.Second):
			_ = cmd.Process.Kill()
			require.FailNow(t, "no exit within 60s", "output:\n%s", out.String())
		}
		return "", -1
	}

	out, code := run(t, "n\n", true)
	assert.Contains(t, out, "Place 101 orders (≈ ¥3,030)? [y/N]")
	assert.Equal(t, exitUsage, code, out)
	assert.Contains(t, out, "not confirmed: nothing was ordered")
	assert.Equal(t, 0, srv.TotalOrders(), "answering n places nothing")

	out, code = run(t, "", false)
	assert.NotContains(t, out, "[y/N]", "no terminal: never asks")
	assert.Equal(t, exitOK, code, out)
	assert.Equal(t, 101, srv.TotalOrders())

	// A new state file (101 new orders again, confirmed by --new-ledger),
	// on a terminal, with --yes.
	out, code = run(t, "", true, "--yes", "--new-ledger", "--state", in+".second.qccstate")
	assert.NotContains(t, out, "[y/N]", "--yes never asks")
	assert.Equal(t, exitOK, code, out)
	assert.Equal(t, 202, srv.TotalOrders())
}
