//go:build !windows

package batch_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/qccbatch/qccbatch/batch/journal"
	"github.com/qccbatch/qccbatch/client/qcctest"
)

// TestRun_OneWriterWhateverThePath: while a run holds the state file, a
// second run through a symlink, through a hard link, or after the lock file
// was deleted is refused (exit 2), and no company is ordered twice
// (issue 11 item 1: 564 orders for 300 companies before).
func TestRun_OneWriterWhateverThePath(t *testing.T) {
	e := newEnv(t, companyNames(60), qcctest.WithGenDelay(time.Hour), qcctest.WithLatency(5*time.Millisecond))
	e.cfg.Concurrency = 2
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan error, 1)
	go func() { _, err := e.run(ctx, nil); done <- err }()
	deadline := time.Now().Add(30 * time.Second)
	for e.srv.TotalOrders() < 2 {
		require.True(t, time.Now().Before(deadline), "run A placed no order within 30s")
		time.Sleep(time.Millisecond)
	}

	link := filepath.Join(e.dir, "link.qccstate")
	require.NoError(t, os.Symlink(e.cfg.State, link))
	hard := filepath.Join(e.dir, "hard.qccstate")
	require.NoError(t, os.Link(e.cfg.State, hard))
	rel, err := filepath.Rel(mustGetwd(t), e.cfg.State)
	require.NoError(t, err)
	for name, state := range map[string]string{"symlink": link, "hard link": hard, "relative path": rel} {
		b := *e
		b.cfg.State = state
		b.cfg.Output = filepath.Join(e.dir, name+".csv")
		b.cfg.Timeout = secondRunTimeout
		_, err := b.run(context.Background(), nil)
		var le *journal.LockedError
		assert.ErrorAs(t, err, &le, "%s: a second writer is refused", name)
	}
	require.NoError(t, os.Remove(e.cfg.State+".lock"))
	b := *e
	b.cfg.Output = filepath.Join(e.dir, "nolock.csv")
	b.cfg.Timeout = secondRunTimeout
	_, err = b.run(context.Background(), nil)
	var le *journal.LockedError
	assert.ErrorAs(t, err, &le, "a deleted lock file admits no second writer")

	cancel()
	select {
	case <-done:
	case <-time.After(30 * time.Second):
		t.Fatal("run A did not stop within 30s of the interrupt")
	}
	for key, n := range e.srv.OrderCounts() {
		assert.Equal(t, 1, n, "%s ordered %d times", key, n)
	}
}

// secondRunTimeout is the --timeout of a second writer that should have
// been refused: if it is not, its polls of reports that take an hour end
// soon and the test fails instead of hanging.
const secondRunTimeout = 2 * time.Second

func mustGetwd(t *testing.T) string {
	t.Helper()
	wd, err := os.Getwd()
	require.NoError(t, err)
	return wd
}
