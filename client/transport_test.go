package client

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/qccbatch/qccbatch/client/qcctest"
)

func TestClient_SlowAnswerPastTimeout(t *testing.T) {
	srv := qcctest.New(t)
	c := newTestClient(t, srv, WithTimeout(100*time.Millisecond))
	const key = "超时公司" // accepted, answer held back
	_, err := c.CreateReport(context.Background(), key, FormatPDF)
	var te *TransportError
	require.ErrorAs(t, err, &te)
	assert.True(t, te.Timeout(), "Timeout(): %v", err)
	assert.True(t, te.MaybeSent)
	assert.True(t, IsAmbiguous(err))
	assert.Equal(t, ClassTransient, ClassOf(err))
	assert.Contains(t, err.Error(), "order may have been placed")
	assert.Equal(t, 1, srv.Orders(key), "orders the server accepted")
}

func TestClient_DroppedAfterOrder(t *testing.T) {
	srv := qcctest.New(t)
	c := newTestClient(t, srv)
	const key = "掉线公司"
	_, err := c.CreateReport(context.Background(), key, FormatPDF)
	assert.True(t, IsAmbiguous(err), "IsAmbiguous(%v)", err)
	assert.Equal(t, ClassTransient, ClassOf(err))
	assert.Equal(t, 1, srv.Orders(key), "orders the server accepted")
}

// closedAddr returns a loopback address where nothing listens.
func closedAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := ln.Addr().String()
	require.NoError(t, ln.Close())
	return addr
}

func TestClient_ConnectionRefused(t *testing.T) {
	c, err := New("http://"+closedAddr(t)+"/api/yj", "key-123456", "secret-123456")
	require.NoError(t, err)
	_, err = c.CreateReport(context.Background(), "某公司", FormatPDF)
	var te *TransportError
	require.ErrorAs(t, err, &te)
	assert.False(t, te.MaybeSent)
	assert.Zero(t, te.HTTPStatus)
	assert.False(t, IsAmbiguous(err))
	assert.Equal(t, ClassTransient, ClassOf(err))
}

func TestClient_CallerCancels(t *testing.T) {
	srv := qcctest.New(t)
	c := newTestClient(t, srv)
	t.Run("before sending", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		_, err := c.CreateReport(ctx, "某公司", FormatPDF)
		require.ErrorIs(t, err, context.Canceled)
		assert.False(t, IsAmbiguous(err))
		assert.Equal(t, ClassTransient, ClassOf(err))
	})
	t.Run("while waiting for the answer", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
		defer cancel()
		_, err := c.CreateReport(ctx, "超时公司", FormatPDF)
		require.ErrorIs(t, err, context.DeadlineExceeded)
		assert.True(t, IsAmbiguous(err))
	})
}

// stub serves one fixed handler as the API.
func stub(t *testing.T, h http.HandlerFunc) *Client {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	c, err := New(srv.URL+"/api/yj", "key-123456", "secret-123456",
		WithMaxBody(1024), WithClock(func() time.Time { return time.Unix(1700000000, 0) }))
	require.NoError(t, err)
	return c
}

// body answers HTTP status with s, and no Date header.
func body(status int, s string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header()["Date"] = nil
		w.WriteHeader(status)
		_, _ = w.Write([]byte(s))
	}
}

func TestClient_Answers(t *testing.T) {
	tests := []struct {
		name          string
		handler       http.HandlerFunc
		wantOrder     string
		wantCode      int // APIError code, 0 if none
		wantHTTP      int // TransportError status, -1 if no TransportError
		wantAmbiguous bool
		wantRetry     time.Duration
	}{
		{"status as string", body(200, `{"Result":{"OrderNo":"A1"},"Status":"200","Message":"查询成功"}`), "A1", 0, -1, false, 0},
		{"status as number", body(200, `{"Result":{"OrderNo":"A2"},"Status":200}`), "A2", 0, -1, false, 0},
		{"order number as number", body(200, `{"Result":{"OrderNo":12345},"Status":"200"}`), "12345", 0, -1, false, 0},
		{"code as number", body(200, `{"Result":null,"Status":201,"Message":"查询无结果"}`), "", 201, -1, false, 0},
		{"code in an HTTP 500", body(500, `{"Status":"199","Message":"x"}`), "", 199, -1, true, 0},
		{"code 120 in an HTTP 502", body(502, `{"Status":"120","Message":"x"}`), "", 120, -1, false, 0},
		{"no OrderNo", body(200, `{"Result":{},"Status":"200"}`), "", 0, 200, true, 0},
		{"no Status", body(200, `{"Result":{"OrderNo":"A"}}`), "", 0, 200, true, 0},
		{"status not a number", body(200, `{"Status":"OK"}`), "", 0, 200, true, 0},
		{"HTML 200", body(200, `<html>maintenance</html>`), "", 0, 200, true, 0},
		{"empty 502", body(502, ``), "", 0, 502, true, 0},
		{"body over the cap", body(200, `{"Status":"200","Message":"`+strings.Repeat("x", 2000)+`"}`), "", 0, 200, true, 0},
		{"truncated body", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Length", "100")
			_, _ = w.Write([]byte(`{"Status":"200",`))
		}, "", 0, 200, true, 0},
		{"redirect", func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, "https://elsewhere.example/login", http.StatusFound)
		}, "", 0, 302, false, 0},
		{"Retry-After as a date", func(w http.ResponseWriter, r *http.Request) {
			w.Header()["Date"] = nil
			w.Header().Set("Retry-After", time.Unix(1700000000+90, 0).UTC().Format(http.TimeFormat))
			w.WriteHeader(503)
		}, "", 0, 503, false, 90 * time.Second},
		{"120 with Retry-After", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Retry-After", "5")
			_, _ = w.Write([]byte(`{"Status":"120","Message":"系统流量异常，请稍后再试"}`))
		}, "", 120, -1, false, 5 * time.Second},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := stub(t, tt.handler)
			got, err := c.CreateReport(context.Background(), "某公司", FormatPDF)
			assert.Equal(t, tt.wantOrder, got, "order number")
			var ae *APIError
			if tt.wantCode != 0 {
				require.ErrorAs(t, err, &ae)
				assert.Equal(t, tt.wantCode, ae.Code)
			} else {
				assert.NotErrorAs(t, err, &ae)
			}
			var te *TransportError
			if tt.wantHTTP != -1 {
				require.ErrorAs(t, err, &te)
				assert.Equal(t, tt.wantHTTP, te.HTTPStatus, "HTTP status of %v", err)
			} else {
				assert.NotErrorAs(t, err, &te)
			}
			assert.Equal(t, tt.wantAmbiguous, IsAmbiguous(err), "IsAmbiguous(%v)", err)
			assert.Equal(t, tt.wantRetry, RetryAfter(err))
		})
	}
}
