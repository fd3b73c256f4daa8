package batch

import (
	"errors"
	"io"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/qccbatch/qccbatch/batch/input"
	"github.com/qccbatch/qccbatch/batch/results"
)

func countingSource(n int, end error) (rowSource, *int) {
	calls := 0
	return func() (input.Row, results.Result, error) {
		calls++
		if calls > n {
			if calls > n+1 {
				panic("called again after its error")
			}
			return input.Row{}, results.Result{}, end
		}
		return input.Row{Line: calls + 1}, results.Result{SearchKey: string(rune('a' + calls%26))}, nil
	}, &calls
}

// TestPrefetch_OrderAndEnd: every row comes out in order, then the source's
// error, again on every later call.
func TestPrefetch_OrderAndEnd(t *testing.T) {
	boom := errors.New("row 1500 is unreadable")
	for _, tc := range []struct {
		n   int
		end error
	}{{0, io.EOF}, {prefetchBatch - 1, io.EOF}, {prefetchBatch, io.EOF}, {3*prefetchBatch + 7, io.EOF}, {1499, boom}} {
		next, _ := countingSource(tc.n, tc.end)
		src, stop := prefetch(next)
		for i := 1; i <= tc.n; i++ {
			row, res, err := src()
			require.NoError(t, err)
			require.Equal(t, i+1, row.Line)
			require.Equal(t, string(rune('a'+i%26)), res.SearchKey)
		}
		for range 3 {
			_, _, err := src()
			require.ErrorIs(t, err, tc.end, "%d rows", tc.n)
		}
		stop()
	}
}

// TestPrefetch_StopEarly: a writer that gives up (a full disk) stops the
// reading goroutine, which does not read to the end of a large input.
func TestPrefetch_StopEarly(t *testing.T) {
	next, calls := countingSource(1_000_000, io.EOF)
	src, stop := prefetch(next)
	for range 10 {
		_, _, err := src()
		require.NoError(t, err)
	}
	stop() // returns: the goroutine has ended
	require.Less(t, *calls, 10*prefetchBatch, "read ahead only a few batches")
}
