//go:build unix

package cli

import (
	"encoding/json"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/qccbatch/qccbatch/client/qcctest"
)

// TestLedgerRuns_KilledRunCountsItsOrders (issue 18 item 10): a run killed
// with SIGKILL has no end record; `ledger --runs` still shows the orders it
// placed, counted from its order records (it showed 0), and they agree with
// the ledger's rows and with what the fake API placed.
func TestLedgerRuns_KilledRunCountsItsOrders(t *testing.T) {
	srv := qcctest.New(t, qcctest.WithGenDelay(time.Hour), qcctest.WithLatency(5*time.Millisecond))
	in := namedBook(t, "被杀测试企业", 200)
	state := in + ".qccstate"
	cmd := qccbatch(t, sandboxEnv, "run", in, "--base-url", srv.BaseURL(), "--qps", "0", "--concurrency", "4",
		"--poll-interval", "10ms", "--no-progress", "--quiet")
	require.NoError(t, cmd.Start())
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	deadline := time.After(30 * time.Second)
	for srv.TotalOrders() < 20 {
		select {
		case err := <-done:
			require.FailNow(t, "the run ended before the kill", "exit %d", procExit(err))
		case <-deadline:
			_ = cmd.Process.Kill()
			require.FailNow(t, "no 20 orders within 30s")
		case <-time.After(time.Millisecond):
		}
	}
	require.NoError(t, cmd.Process.Signal(syscall.SIGKILL))
	<-done
	placed := srv.TotalOrders()

	code, out, line := runCLI(t, "ledger", "--runs", "--json", state)
	require.Equal(t, exitOK, code, line)
	var runs []struct {
		Run       string `json:"run"`
		NewOrders int    `json:"new_orders"`
		Killed    bool   `json:"killed"`
		Exit      *int   `json:"exit"`
	}
	require.NoError(t, json.Unmarshal([]byte(out), &runs), out)
	require.Len(t, runs, 1, out)
	killed := runs[0]
	assert.True(t, killed.Killed)
	assert.Nil(t, killed.Exit)

	code, out, line = runCLI(t, "ledger", "--json", state)
	require.Equal(t, exitOK, code, line)
	var rows []map[string]string
	require.NoError(t, json.Unmarshal([]byte(out), &rows), out)
	numbered, uncertain := 0, 0
	for _, r := range rows {
		require.Equal(t, killed.Run, r["run"], "every request is the killed run's")
		if r["order_no"] != "" {
			numbered++
		} else {
			uncertain++
		}
	}
	assert.Equal(t, numbered, killed.NewOrders, "the killed run's new orders are its numbered order records")
	assert.Positive(t, killed.NewOrders)
	assert.LessOrEqual(t, killed.NewOrders, placed, "never more than the API placed")
	assert.LessOrEqual(t, placed, killed.NewOrders+uncertain, "every placed order is numbered or uncertain")
}
