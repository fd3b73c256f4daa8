package client

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// drip serves a valid-looking answer of n bytes one byte a second, as a
// broken proxy might; it stops when the client goes away.
func drip(n int) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", strconv.Itoa(n))
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusOK)
		tick := time.NewTicker(time.Second)
		defer tick.Stop()
		for range n {
			_, _ = w.Write([]byte(" "))
			w.(http.Flusher).Flush()
			select {
			case <-tick.C:
			case <-r.Context().Done():
				return
			}
		}
	}
}

// TestClient_DeadlineBoundsRequest checks that no request outlives its
// context or the per-request timeout, whichever ends first, even while the
// body trickles in: a 600-byte answer at a byte a second would take ten
// minutes.
func TestClient_DeadlineBoundsRequest(t *testing.T) {
	srv := httptest.NewServer(drip(600))
	t.Cleanup(srv.Close)
	const limit = 300 * time.Millisecond
	tests := []struct {
		name        string
		ctxDeadline time.Duration // 0: none
		timeout     time.Duration // of the client
		wantCause   error
	}{
		{"context deadline before the request timeout", limit, DefaultTimeout, context.DeadlineExceeded},
		{"request timeout before the context deadline", time.Hour, limit, ErrTimeout},
		{"request timeout, no context deadline", 0, limit, ErrTimeout},
	}
	calls := []struct {
		name string
		call func(ctx context.Context, c *Client) error
	}{
		{"CreateReport", func(ctx context.Context, c *Client) error {
			_, err := c.CreateReport(ctx, "某公司", FormatPDF)
			return err
		}},
		{"GetReportInfo", func(ctx context.Context, c *Client) error {
			_, err := c.GetReportInfo(ctx, "SBX1")
			return err
		}},
		{"Download", func(ctx context.Context, c *Client) error {
			_, err := c.Download(ctx, srv.URL+"/r.pdf", &bytes.Buffer{}, 0)
			return err
		}},
	}
	for _, tt := range tests {
		for _, call := range calls {
			t.Run(tt.name+"/"+call.name, func(t *testing.T) {
				t.Parallel() // each waits out its deadline
				c, err := New(srv.URL+"/api/yj", "key-123456", "secret-123456",
					WithTimeout(tt.timeout), WithDownloadTimeout(tt.timeout))
				require.NoError(t, err)
				ctx := context.Background()
				if tt.ctxDeadline > 0 {
					var cancel context.CancelFunc
					ctx, cancel = context.WithTimeout(ctx, tt.ctxDeadline)
					defer cancel()
				}
				start := time.Now()
				err = call.call(ctx, c)
				elapsed := time.Since(start)
				assert.ErrorIs(t, err, tt.wantCause)
				var te *TransportError
				require.ErrorAs(t, err, &te)
				assert.True(t, te.MaybeSent)
				assert.Less(t, elapsed, limit+5*time.Second, "the request outlived its deadline")
				if call.name == "CreateReport" {
					assert.Equal(t, DecisionAmbiguous, OrderDecision(err))
				} else {
					assert.Equal(t, ClassTransient, ClassOf(err))
				}
			})
		}
	}
}

// TestClient_ExpiredContext checks that nothing is sent once the
// context's deadline has passed.
func TestClient_ExpiredContext(t *testing.T) {
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { hits.Add(1) }))
	t.Cleanup(srv.Close)
	c, err := New(srv.URL+"/api/yj", "key-123456", "secret-123456")
	require.NoError(t, err)
	ctx, cancel := context.WithDeadline(context.Background(), time.Now().Add(-time.Second))
	defer cancel()
	_, err = c.CreateReport(ctx, "某公司", FormatPDF)
	assert.ErrorIs(t, err, context.DeadlineExceeded)
	assert.Equal(t, DecisionRetry, OrderDecision(err), "nothing was sent")
	_, err = c.Download(ctx, srv.URL+"/r.pdf", &bytes.Buffer{}, 0)
	assert.ErrorIs(t, err, context.DeadlineExceeded)
	assert.Zero(t, hits.Load())
}
