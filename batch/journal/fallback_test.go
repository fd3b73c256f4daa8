package journal

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/qccbatch/qccbatch/batch/internal/fsutil"
	"github.com/qccbatch/qccbatch/batch/outcome"
)

// failingWrites returns a writeAt hook that fails with ENOSPC while *fail
// is above zero, counting down.
func failingWrites(fail *atomic.Int64) func(*os.File, []byte, int64) (int, error) {
	return func(f *os.File, b []byte, off int64) (int, error) {
		if fail.Add(-1) >= 0 {
			n, _ := f.WriteAt(b[:len(b)/2], off) // a partial line, as a full disk leaves
			return n, syscall.ENOSPC
		}
		fail.Store(0)
		return f.WriteAt(b, off)
	}
}

// TestJournal_OrderFallback: an accepted order whose record cannot be
// written goes to the fallback file, new intents are refused at once, and
// the next open makes the company pending with its number.
func TestJournal_OrderFallback(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "s.qccstate")
	var fail atomic.Int64
	opt := Options{Now: newJournalClock().Now, WriteRetry: 30 * time.Millisecond, writeAt: failingWrites(&fail)}
	j, err := Open(path, opt)
	require.NoError(t, err)
	ctx := context.Background()
	for _, k := range []string{"a", "b", "c"} {
		require.NoError(t, j.Intent(ctx, Key{k, 1}, k))
	}
	fb := path + ".pending-orders"
	assert.FileExists(t, fb, "the reserve is made at open")

	fail.Store(1 << 20) // the disk is full
	for _, k := range []string{"a", "b"} {
		err := j.Ordered(Key{k, 1}, "O-"+k)
		var ne *OrderNotRecordedError
		require.ErrorAs(t, err, &ne)
		assert.Equal(t, fb, ne.Fallback)
		assert.Equal(t, "O-"+k, ne.OrderNo)
		assert.ErrorIs(t, err, syscall.ENOSPC)
		assert.Contains(t, err.Error(), "O-"+k)
	}
	fail.Store(0) // space again: new orders stay stopped, answers are written
	err = j.Intent(ctx, Key{"d", 1}, "d")
	require.ErrorIs(t, err, syscall.ENOSPC, "an intent after a failed write")
	require.NoError(t, j.Ordered(Key{"c", 1}, "O-c"), "an order is retried")
	_ = j.Close()
	assert.FileExists(t, fb, "a fallback file with orders is kept")

	ro, err := Open(path, Options{ReadOnly: true})
	require.NoError(t, err)
	for _, k := range []string{"a", "b", "c"} {
		st, _ := ro.Lookup(Key{k, 1})
		assert.Equal(t, outcome.Pending, st.Outcome, "read-only: %s", k)
		assert.Equal(t, "O-"+k, st.OrderNo)
	}

	j, err = Open(path, Options{})
	require.NoError(t, err)
	for _, k := range []string{"a", "b", "c"} {
		st, _ := j.Lookup(Key{k, 1})
		assert.Equal(t, outcome.Pending, st.Outcome, "%s", k)
		assert.Equal(t, "O-"+k, st.OrderNo)
		assert.Equal(t, 1, st.Orders)
	}
	_, known := j.Lookup(Key{"d", 1})
	assert.False(t, known, "the refused intent left no record")
	require.NoError(t, j.Close())
	assert.NoFileExists(t, fb, "merged, and an empty one removed on Close")

	j, err = Open(path, Options{})
	require.NoError(t, err)
	assert.Equal(t, 1, func() int { st, _ := j.Lookup(Key{"a", 1}); return st.Orders }(), "merged once")
	require.NoError(t, j.Close())
}

// TestJournal_OrderRetried: a record that fails for a moment is written by
// the retry, and the order is not in the fallback file.
func TestJournal_OrderRetried(t *testing.T) {
	path := filepath.Join(t.TempDir(), "s.qccstate")
	var fail atomic.Int64
	j, err := Open(path, Options{WriteRetry: 5 * time.Second, writeAt: failingWrites(&fail)})
	require.NoError(t, err)
	require.NoError(t, j.Intent(context.Background(), Key{"a", 1}, "a"))
	fail.Store(3)
	require.NoError(t, j.Ordered(Key{"a", 1}, "O-a"))
	assert.Error(t, j.Intent(context.Background(), Key{"b", 1}, "b"), "new orders stopped after a failed write")
	assert.ErrorIs(t, j.Close(), syscall.ENOSPC, "Close reports the failed write")
	assert.NoFileExists(t, path+".pending-orders")
	ro, err := Open(path, Options{ReadOnly: true})
	require.NoError(t, err)
	st, _ := ro.Lookup(Key{"a", 1})
	assert.Equal(t, "O-a", st.OrderNo)
}

// TestJournal_OrderNotSavedAnywhere: when the fallback file cannot be
// written either, the error carries the number and says so.
func TestJournal_OrderNotSavedAnywhere(t *testing.T) {
	path := filepath.Join(t.TempDir(), "s.qccstate")
	var fail atomic.Int64
	j, err := Open(path, Options{WriteRetry: time.Millisecond, writeAt: failingWrites(&fail)})
	require.NoError(t, err)
	j.mu.Lock()
	j.closeFallback()
	j.mu.Unlock()
	require.NoError(t, os.Mkdir(path+".pending-orders", 0o700))
	fail.Store(1 << 20)
	err = j.Ordered(Key{"a", 1}, "O-a")
	var ne *OrderNotRecordedError
	require.ErrorAs(t, err, &ne)
	assert.Empty(t, ne.Fallback)
	assert.Contains(t, err.Error(), "O-a")
	assert.Contains(t, err.Error(), "could not be recorded anywhere")
	_ = j.Close()
}

// TestJournal_DiskFull fills a real small file system: every order the API
// accepted survives, in the state file or the fallback file, and the run
// after the disk is freed has each with its own number.
func TestJournal_DiskFull(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("needs a Linux tmpfs")
	}
	dir := t.TempDir()
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", "size=160k", "tmpfs", dir).CombinedOutput(); err != nil {
		t.Skipf("cannot mount a small tmpfs here (needs root): %v %s", err, out)
	}
	t.Cleanup(func() { _ = exec.Command("umount", dir).Run() })
	path := filepath.Join(dir, "s.qccstate")
	free, err := fsutil.FreeSpace(dir)
	require.NoError(t, err)
	assert.Less(t, free, uint64(16<<20), "a run would refuse to start here (batch's minFreeSpace)")

	j, err := Open(path, Options{WriteRetry: 50 * time.Millisecond})
	require.NoError(t, err)
	ctx := context.Background()
	accepted := map[string]string{} // key -> order number the API gave
	var stopped error
	for i := 0; stopped == nil; i++ {
		k := fmt.Sprintf("K%05d-%s", i, strings.Repeat("x", 40))
		if err := j.Intent(ctx, Key{k, 1}, k); err != nil {
			stopped = err // no new order once the file cannot be written
			break
		}
		no := fmt.Sprintf("ORD%06d", i)
		accepted[k] = no // the API placed it
		if err := j.Ordered(Key{k, 1}, no); err != nil {
			var ne *OrderNotRecordedError
			require.ErrorAs(t, err, &ne)
			require.NotEmpty(t, ne.Fallback, "order %s lost: %v", no, err)
			stopped = err
		}
	}
	t.Logf("%d orders accepted before the disk was full: %v", len(accepted), stopped)
	require.ErrorIs(t, stopped, syscall.ENOSPC)
	_ = j.Close()

	out, err := exec.Command("mount", "-o", "remount,size=2m", dir).CombinedOutput()
	require.NoError(t, err, "%s", out)
	j, err = Open(path, Options{})
	require.NoError(t, err)
	defer j.Close()
	orders := 0
	for k, no := range accepted {
		st, known := j.Lookup(Key{k, 1})
		require.True(t, known, "%s", k)
		assert.Equal(t, outcome.Pending, st.Outcome, "%s", k)
		assert.Equal(t, no, st.OrderNo, "%s", k)
		orders += st.Orders
	}
	assert.Equal(t, len(accepted), orders, "no order counted twice")
	assert.Equal(t, len(accepted), j.Stats().OrdersPlaced)
	_, err = os.Stat(path + ".pending-orders")
	assert.True(t, err == nil || errors.Is(err, os.ErrNotExist))
}
