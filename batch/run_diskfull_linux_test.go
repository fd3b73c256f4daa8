//go:build linux

package batch_test

import (
	"context"
	"os"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/qccbatch/qccbatch/batch"
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
	assert.Contains(t, err.Error(), api.order, "the paid order number is in the error")

	assert.Contains(t, err.Error(), ".pending-orders", "the order number went to the fallback file")
	assert.Equal(t, 1, strings.Count(err.Error(), api.order), "said once: %s", err)

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
