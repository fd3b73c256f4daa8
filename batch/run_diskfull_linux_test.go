//go:build linux

package batch_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/qccbatch/qccbatch/batch"
	"github.com/qccbatch/qccbatch/batch/journal"
	"github.com/qccbatch/qccbatch/client"
)

// diskFullAPI makes the state file unwritable (RLIMIT_FSIZE, as a full disk
// would) right after the server accepted the order.
type diskFullAPI struct {
	batch.API
	state string
	order string
}

func (c *diskFullAPI) CreateReport(ctx context.Context, key string, f client.Format) (string, error) {
	no, err := c.API.CreateReport(ctx, key, f)
	if fi, serr := os.Stat(c.state); serr == nil {
		_ = syscall.Setrlimit(syscall.RLIMIT_FSIZE, &syscall.Rlimit{Cur: uint64(fi.Size()), Max: ^uint64(0)})
	}
	c.order = no
	return no, err
}

// TestRun_OrderAcceptedButNotRecorded: when the state file cannot record an
// order the API accepted, the paid order number is still reported.
func TestRun_OrderAcceptedButNotRecorded(t *testing.T) {
	var old syscall.Rlimit
	require.NoError(t, syscall.Getrlimit(syscall.RLIMIT_FSIZE, &old))
	e := newEnv(t, companyNames(1))
	api := &diskFullAPI{API: e.client("sandbox", "sandbox"), state: e.cfg.State}
	e.cfg.Output = ""
	e.cfg.StateWriteRetry = 50 * time.Millisecond
	_, err := e.run(context.Background(), api)
	require.NoError(t, syscall.Setrlimit(syscall.RLIMIT_FSIZE, &old))
	require.Error(t, err)
	require.NotEmpty(t, api.order)
	assert.Equal(t, 1, e.srv.TotalOrders())
	assert.Contains(t, en(err), api.order, "the paid order number is in the error")

	assert.Contains(t, en(err), ".pending-orders", "the order number went to the fallback file")
	assert.Equal(t, 1, strings.Count(en(err), api.order), "said once: %s", err)

	// The rerun merges the fallback file first: the company is polled with
	// its own order number, never uncertain, never ordered again.
	e.cfg.Output = e.dir + "/r.csv"
	_, err = e.run(context.Background(), nil)
	require.NoError(t, err)
	row := e.results()[0]
	assert.Equal(t, "ready", row["outcome"])
	assert.Equal(t, api.order, row["order_no"])
	assert.Equal(t, 1, e.srv.TotalOrders())
}

// fillingAPI fills the file system of the state file after `after` orders
// were accepted, as another program writing to the same volume would.
type fillingAPI struct {
	batch.API
	dir   string
	after int
	n     atomic.Int32
	once  sync.Once
}

func (c *fillingAPI) CreateReport(ctx context.Context, key string, f client.Format) (string, error) {
	no, err := c.API.CreateReport(ctx, key, f)
	if c.n.Add(1) == int32(c.after) {
		c.once.Do(func() {
			fh, ferr := os.Create(filepath.Join(c.dir, "filler"))
			if ferr != nil {
				return
			}
			buf := make([]byte, 4096)
			for {
				if _, werr := fh.Write(buf); werr != nil {
					break // ENOSPC: the disk is full
				}
			}
			_ = fh.Close()
		})
	}
	return no, err
}

// TestRun_DiskFullTmpfs runs against a real small file system that fills up
// during the run (issue 11 item 5): after the disk is freed and the run
// repeated, every order the fake API accepted is in the ledger with its own
// number, and nothing was ordered twice. Linux as root only (it mounts a
// tmpfs); skipped elsewhere with a message.
func TestRun_DiskFullTmpfs(t *testing.T) {
	vol := t.TempDir()
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", "size=17m", "tmpfs", vol).CombinedOutput(); err != nil {
		t.Skipf("cannot mount a small tmpfs here (needs root): %v %s", err, out)
	}
	t.Cleanup(func() { _ = exec.Command("umount", vol).Run() })
	e := newEnv(t, companyNames(300))
	e.cfg.State = filepath.Join(vol, "book.qccstate")
	e.cfg.StateWriteRetry = 100 * time.Millisecond
	e.cfg.Concurrency = 4
	api := &fillingAPI{API: e.client("sandbox", "sandbox"), dir: vol, after: 50}
	_, err := e.run(context.Background(), api)
	var se *batch.StopError
	require.ErrorAs(t, err, &se, "the full disk stops the run")
	assert.Equal(t, batch.StopStateFile, se.Stop)
	accepted := e.srv.OrderList()
	require.Greater(t, len(accepted), 50)
	fi, _ := os.Stat(filepath.Join(vol, "filler"))
	t.Logf("%d orders accepted (the disk filled after %d; filler %d bytes): %s", len(accepted), api.after, fi.Size(), en(se))

	require.NoError(t, os.Remove(filepath.Join(vol, "filler"))) // the disk is freed
	_, err = e.run(context.Background(), nil)
	requireFinal(t, err)
	for key, n := range e.srv.OrderCounts() {
		assert.Equal(t, 1, n, "%s ordered %d times", key, n)
	}
	j, err := journal.Open(e.cfg.State, journal.Options{ReadOnly: true, History: true})
	require.NoError(t, err)
	defer j.Close()
	inLedger := map[string]bool{}
	for _, o := range j.Orders() {
		inLedger[o.OrderNo] = true
	}
	for _, o := range accepted {
		assert.True(t, inLedger[o.OrderNo], "order %s for %s is in the ledger with its own number", o.OrderNo, o.SearchKey)
	}
}
