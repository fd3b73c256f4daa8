package batch_test

import (
	"context"
	"fmt"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/qccbatch/qccbatch/batch"
	"github.com/qccbatch/qccbatch/client"
)

// TestRun_RefreshOldestFirstCappedByMaxOrders: with --refresh-after the
// oldest reports are re-ordered first, --max-orders caps them, and a run
// that left planned refreshes for later exits 4, not 0. The reports are made
// oldest last in input order, so input order cannot pass for age order.
func TestRun_RefreshOldestFirstCappedByMaxOrders(t *testing.T) {
	e := newEnv(t, companyNames(10))
	full, err := os.ReadFile(e.cfg.Input)
	require.NoError(t, err)
	for i := len(e.names) - 1; i >= 0; i-- { // names[9] first: the oldest report
		ago := time.Duration(100-(len(e.names)-1-i)) * time.Hour
		e.cfg.Now = func() time.Time { return time.Now().Add(-ago) }
		require.NoError(t, os.WriteFile(e.cfg.Input, []byte("客户编号,企业名称\r\nC0001,"+e.names[i]+"\r\n"), 0o600))
		_, err := e.run(context.Background(), nil)
		require.NoError(t, err)
	}
	require.NoError(t, os.WriteFile(e.cfg.Input, full, 0o600))

	e.cfg.Now = time.Now
	e.cfg.RefreshAfter = 24 * time.Hour
	e.cfg.MaxOrders = 2
	_, err = e.run(context.Background(), nil)
	var se *batch.StopError
	require.ErrorAs(t, err, &se)
	assert.Equal(t, batch.StopIncomplete, se.Stop)
	assert.Contains(t, en(se), "max-orders")
	assert.Equal(t, 12, e.srv.TotalOrders(), "two refreshes this run")
	assert.Equal(t, 2, e.srv.Orders(e.names[9]), "the oldest first")
	assert.Equal(t, 2, e.srv.Orders(e.names[8]), "then the next oldest")
	for _, n := range e.names[:8] {
		assert.Equal(t, 1, e.srv.Orders(n), "%s is newer: left for a later run", n)
	}
}

// editingAPI rewrites the input file once, during the run.
type editingAPI struct {
	batch.API
	once sync.Once
	edit func()
}

func (c *editingAPI) CreateReport(ctx context.Context, key string, f client.Format) (string, error) {
	c.once.Do(c.edit)
	return c.API.CreateReport(ctx, key, f)
}

// TestRun_InputEditedDuringRun: a portfolio saved again while a long run
// goes on must not get its results on the wrong rows. The run refuses to
// write them (and does not claim exit 2, "nothing ordered"); the state file
// has everything, so export writes them.
func TestRun_InputEditedDuringRun(t *testing.T) {
	e := newEnv(t, companyNames(5))
	api := &editingAPI{API: e.client("sandbox", "sandbox"), edit: func() {
		var b strings.Builder
		b.WriteString("客户编号,企业名称\r\n")
		for i, n := range e.names[1:] { // the user removed the first customer
			fmt.Fprintf(&b, "C%04d,%s\r\n", i+2, n)
		}
		require.NoError(t, os.WriteFile(e.cfg.Input, []byte(b.String()), 0o600))
	}}
	_, err := e.run(context.Background(), api)
	var se *batch.StopError
	require.ErrorAs(t, err, &se)
	assert.Equal(t, batch.StopResults, se.Stop, "results not written: export writes them")
	assert.Contains(t, en(se), "changed while the run was going on")
	assert.NoFileExists(t, e.cfg.Output, "no results on the wrong rows")

	// The rerun reads the edited file and writes correct results.
	_, err = e.run(context.Background(), nil)
	require.NoError(t, err)
	for _, r := range e.results() {
		assert.Equal(t, r["企业名称"], r["search_key"])
	}
	assert.Equal(t, 5, e.srv.TotalOrders())
}
