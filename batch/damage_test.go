package batch_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/qccbatch/qccbatch/batch"
	"github.com/qccbatch/qccbatch/batch/journal"
	"github.com/qccbatch/qccbatch/batch/outcome"
)

// compactedBook runs a book of n companies to the end, then once more, so
// that the second run compacts the state file into one snapshot per
// company; it returns the env with every company ordered once.
func compactedBook(t *testing.T, ctx context.Context, n int) *env {
	t.Helper()
	e := newEnv(t, companyNames(n))
	e.cfg.Concurrency = 32
	_, err := e.run(ctx, nil)
	requireFinal(t, err)
	require.Equal(t, n, e.srv.TotalOrders())
	_, err = e.run(ctx, nil) // opens with 3 records per company: compacts
	requireFinal(t, err)
	require.Equal(t, n, e.srv.TotalOrders())
	data, err := os.ReadFile(e.cfg.State)
	require.NoError(t, err)
	require.Equal(t, n, bytes.Count(data, []byte(`"op":"state"`)), "the state file is compacted: one snapshot per company")
	return e
}

// zeroAt overwrites n bytes of the state file at off with zero bytes, as a
// damaged disk block does.
func zeroAt(t *testing.T, path string, off, n int) {
	t.Helper()
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	if off < 0 {
		off = len(data) + off
	}
	copy(data[off:off+n], make([]byte, n))
	require.NoError(t, os.WriteFile(path, data, 0o600))
}

// requireDamageHeld checks that a run after a repair that found records
// lost ordered nothing and ended with exit 5 naming resolve.
func requireDamageHeld(t *testing.T, e *env, err error, ordered int) {
	t.Helper()
	var se *batch.StopError
	require.ErrorAs(t, err, &se, "the run must wait for resolve")
	assert.Equal(t, batch.StopUncertain, se.Stop, "exit 5")
	assert.Contains(t, en(se), "qccbatch resolve --orders")
	assert.Equal(t, ordered, e.srv.TotalOrders(), "companies ordered again: %d", e.srv.TotalOrders()-ordered)
	for name, n := range e.srv.OrderCounts() {
		assert.Equal(t, 1, n, "%s ordered %d times", name, n)
	}
}

// reconcile resolves the state file from the fake vendor's whole order
// list, then runs again: nothing is ordered and every row is final.
func reconcile(t *testing.T, ctx context.Context, e *env, n int) {
	t.Helper()
	list := filepath.Join(e.dir, "orders.csv")
	vendorCSV(t, list, e.srv.OrderList(), "")
	plan, err := batch.Resolve(ctx, batch.ResolveConfig{State: e.cfg.State, Orders: list, Apply: true})
	require.NoError(t, err)
	require.True(t, plan.DamageCleared, "the order list reconciles the damage")
	rep, err := e.run(ctx, nil)
	require.NoError(t, err, "after resolve, every company is known: nothing is left to a person")
	assert.Equal(t, n, e.srv.TotalOrders(), "nothing ordered again after resolve")
	assert.Equal(t, n, rep.Counts[outcome.Ready])
}

// TestDamage_ZeroedBlockInCompactedStateOrdersNothing reproduces issue 18
// item 5: 4 KiB zeroed in the middle of a compacted 2,000-company state
// file, repair --apply, run: the companies of the lost snapshots looked
// never ordered and were ordered again (11 of them). Now the repair
// records the loss and the run orders nothing until resolve (exit 5).
func TestDamage_ZeroedBlockInCompactedStateOrdersNothing(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	const n = 2000
	e := compactedBook(t, ctx, n)
	fi, err := os.Stat(e.cfg.State)
	require.NoError(t, err)
	zeroAt(t, e.cfg.State, int(fi.Size())/2, 4096)

	_, err = e.run(ctx, nil)
	var ce *journal.CorruptError
	require.ErrorAs(t, err, &ce, "the damage stops the run")
	assert.Contains(t, en(err), "qccbatch repair "+e.cfg.State)
	assert.NotContains(t, en(err), "move it aside")
	require.Equal(t, n, e.srv.TotalOrders())

	rep, err := journal.Repair(e.cfg.State, journal.RepairOptions{})
	require.NoError(t, err)
	assert.Positive(t, rep.Lost, "the zeroed block lost complete records")

	_, err = e.run(ctx, nil)
	requireDamageHeld(t, e, err, n)
	_, err = e.run(ctx, nil)
	requireDamageHeld(t, e, err, n) // and so on, until resolve

	reconcile(t, ctx, e, n)
}

// TestDamage_ZeroedFinalBlockIsNotATornTail: the last 4 KiB of a cleanly
// closed, compacted state file zeroed. Taken for a torn tail, it was cut
// off, and the companies of the lost snapshots ordered again.
func TestDamage_ZeroedFinalBlockIsNotATornTail(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	const n = 600
	e := compactedBook(t, ctx, n)
	zeroAt(t, e.cfg.State, -4096, 4096)

	_, err := e.run(ctx, nil)
	var ce *journal.CorruptError
	require.ErrorAs(t, err, &ce, "zero bytes at the end of a cleanly closed file are damage")
	assert.Contains(t, en(err), "qccbatch repair")
	require.Equal(t, n, e.srv.TotalOrders(), "companies ordered again: %d", e.srv.TotalOrders()-n)

	rep, err := journal.Repair(e.cfg.State, journal.RepairOptions{})
	require.NoError(t, err)
	assert.Positive(t, rep.Lost)
	_, err = e.run(ctx, nil)
	requireDamageHeld(t, e, err, n)

	reconcile(t, ctx, e, n)
}
