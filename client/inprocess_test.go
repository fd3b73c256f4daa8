package client

import (
	"bytes"
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/qccbatch/qccbatch/client/qcctest"
)

func TestClient_InProcessSandbox(t *testing.T) {
	clock := qcctest.NewClock(time.Unix(1700000000, 0))
	srv := qcctest.NewUnstartedServer(qcctest.WithClock(clock.Now))
	c, err := New(qcctest.InProcessBaseURL, srv.Key(), srv.Secret(), WithClock(clock.Now),
		WithHTTPClient(&http.Client{Transport: srv.Transport()}), WithTimeout(100*time.Millisecond))
	require.NoError(t, err)
	ctx := context.Background()

	t.Run("order, poll, download", func(t *testing.T) {
		no, err := c.CreateReport(ctx, "某公司", FormatWord)
		require.NoError(t, err)
		info, err := c.GetReportInfo(ctx, no)
		require.NoError(t, err)
		require.Equal(t, ReportProcessing, info.Status)
		clock.Advance(time.Second)
		info, err = c.GetReportInfo(ctx, no)
		require.NoError(t, err)
		require.Equal(t, ReportSucceeded, info.Status)
		var buf bytes.Buffer
		n, err := c.Download(ctx, info.URL, &buf, 1<<20)
		require.NoError(t, err)
		assert.Positive(t, n)
		assert.True(t, bytes.HasPrefix(buf.Bytes(), []byte("PK")), "want a DOCX")
	})
	t.Run("dropped answer is ambiguous", func(t *testing.T) {
		_, err := c.CreateReport(ctx, "掉线公司", FormatPDF)
		assert.ErrorIs(t, err, qcctest.ErrDropped)
		assert.True(t, IsAmbiguous(err), "IsAmbiguous(%v)", err)
	})
	t.Run("held answer times out, ambiguous", func(t *testing.T) {
		_, err := c.CreateReport(ctx, "超时公司", FormatPDF)
		var te *TransportError
		require.ErrorAs(t, err, &te)
		assert.True(t, te.Timeout(), "Timeout(): %v", err)
		assert.True(t, IsAmbiguous(err))
	})
	t.Run("unknown key", func(t *testing.T) {
		other, err := New(qcctest.InProcessBaseURL, "other", srv.Secret(), WithClock(clock.Now),
			WithHTTPClient(&http.Client{Transport: srv.Transport()}))
		require.NoError(t, err)
		_, err = other.CreateReport(ctx, "某公司", FormatPDF)
		assert.Equal(t, ClassFatal, ClassOf(err), "err = %v, want fatal 101", err)
	})
	assert.Equal(t, map[string]int{"某公司": 1, "掉线公司": 1, "超时公司": 1}, srv.OrderCounts())
}
