package client

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/qccbatch/qccbatch/client/qcctest"
)

// logBuffer collects log output; safe for concurrent use.
type logBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

func TestClient_ClockSkew(t *testing.T) {
	tests := []struct {
		name        string
		offset      time.Duration // the API's clock minus the local clock
		wantApplied bool          // signs with the API's time
		wantWarning string
	}{
		{"local clock 10 min slow", 10 * time.Minute, true, "10m0s behind the API's clock"},
		{"local clock 10 min fast", -10 * time.Minute, true, "10m0s ahead of the API's clock"},
		{"local clock 31 s fast", -31 * time.Second, true, "31s ahead of the API's clock"},
		{"local clock 20 s slow", 20 * time.Second, false, ""},
		{"clocks agree", 0, false, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clock := qcctest.NewClock(time.Date(2025, 3, 1, 8, 0, 0, 0, time.UTC))
			srv := qcctest.New(t, qcctest.WithClock(clock.Now), qcctest.WithClockOffset(tt.offset))
			var logs logBuffer
			c := newTestClient(t, srv, WithClock(clock.Now), WithLogger(slog.New(slog.NewTextHandler(&logs, nil))))
			assert.Zero(t, c.ClockOffset(), "before any answer")

			_, err := c.CreateReport(context.Background(), "某公司", FormatPDF)
			require.NoError(t, err)
			assert.Equal(t, tt.offset, c.ClockOffset())
			assert.Equal(t, 1, srv.TotalOrders())
			wantCreates := 1
			if tt.offset > 300*time.Second || tt.offset < -300*time.Second {
				wantCreates = 2 // the first was answered 115 and sent again with the API's time
			}
			assert.Equal(t, wantCreates, srv.Stats().Creates, "CreateReport requests")

			for range 3 { // signed right from now on: one request each
				clock.Advance(time.Minute)
				_, err = c.CreateReport(context.Background(), "另一家公司", FormatPDF)
				require.NoError(t, err)
				_, err = c.GetReportInfo(context.Background(), "SBX160000000000010000000001")
				require.NoError(t, err)
			}
			assert.Equal(t, wantCreates+3, srv.Stats().Creates, "CreateReport requests")
			assert.Equal(t, 4, srv.TotalOrders())

			out := logs.String()
			if tt.wantWarning == "" {
				assert.Empty(t, out, "no warning")
				return
			}
			assert.Equal(t, 1, strings.Count(out, "level=WARN"), "one warning: %s", out)
			assert.Contains(t, out, tt.wantWarning)
			assert.Contains(t, out, "clock_offset="+tt.offset.String())
			assert.Contains(t, out, "component=client")
		})
	}
}

// TestClient_ClockSkew_115RetriedOnce checks that a 115 is sent again once
// when the clock was off, and not when it was right.
func TestClient_ClockSkew_115RetriedOnce(t *testing.T) {
	local := time.Date(2025, 3, 1, 8, 0, 0, 0, time.UTC)
	tests := []struct {
		name         string
		offset       time.Duration
		wantRequests int
		wantOffset   time.Duration // APIError.ClockOffset of the error returned
	}{
		{"clock off: retried once with the API's time", 10 * time.Minute, 2, 0},
		{"clock right: a credential problem, not retried", 0, 1, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var requests atomic.Int32
			var timespans []string
			var mu sync.Mutex
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				requests.Add(1)
				mu.Lock()
				timespans = append(timespans, r.Header.Get("Timespan"))
				mu.Unlock()
				w.Header().Set("Date", local.Add(tt.offset).Format(http.TimeFormat))
				_, _ = w.Write([]byte(`{"Status":"115","Message":"身份验证错误或者已过期"}`))
			}))
			t.Cleanup(srv.Close)
			c, err := New(srv.URL+"/api/yj", "key-123456", "secret-123456", WithClock(func() time.Time { return local }))
			require.NoError(t, err)
			_, err = c.CreateReport(context.Background(), "某公司", FormatPDF)
			var ae *APIError
			require.ErrorAs(t, err, &ae)
			assert.Equal(t, 115, ae.Code)
			assert.Equal(t, tt.wantOffset, ae.ClockOffset)
			assert.Equal(t, DecisionFatal, OrderDecision(err))
			assert.Contains(t, err.Error(), "check the system clock and the secret key")
			assert.EqualValues(t, tt.wantRequests, requests.Load())
			mu.Lock()
			defer mu.Unlock()
			assert.Equal(t, strconv.FormatInt(local.Unix(), 10), timespans[0], "first request: the local clock")
			if tt.wantRequests == 2 {
				assert.Equal(t, strconv.FormatInt(local.Add(tt.offset).Unix(), 10), timespans[1], "retry: the API's clock")
			}
		})
	}
}

// roundTripFunc is an http.RoundTripper made of a function.
type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// TestClient_ClockSkew_115NotRetried checks the error a caller sees when
// the retry with the API's time could not be sent: the context ended.
func TestClient_ClockSkew_115NotRetried(t *testing.T) {
	local := time.Date(2025, 3, 1, 8, 0, 0, 0, time.UTC)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var requests atomic.Int32
	answer := roundTripFunc(func(r *http.Request) (*http.Response, error) {
		requests.Add(1)
		cancel() // the caller gives up while the answer travels
		h := http.Header{"Date": {local.Add(-time.Hour).Format(http.TimeFormat)}}
		return &http.Response{StatusCode: 200, Header: h, Request: r,
			Body: io.NopCloser(strings.NewReader(`{"Status":"115","Message":"身份验证错误或者已过期"}`))}, nil
	})
	c, err := New("http://127.0.0.1/api/yj", "key-123456", "secret-123456",
		WithClock(func() time.Time { return local }), WithHTTPClient(&http.Client{Transport: answer}))
	require.NoError(t, err)
	_, err = c.CreateReport(ctx, "某公司", FormatPDF)
	var ae *APIError
	require.ErrorAs(t, err, &ae)
	assert.Equal(t, -time.Hour, ae.ClockOffset)
	assert.EqualValues(t, 1, requests.Load())
	assert.Equal(t, DecisionRetry, OrderDecision(err), "a 115 of a wrong clock placed nothing")
	assert.Contains(t, err.Error(), "the local clock is 1h0m0s ahead of the API's clock")
	assert.Equal(t, -time.Hour, c.ClockOffset())
}

func TestClient_RetryAfterDateOnTheAPIClock(t *testing.T) {
	local := time.Date(2025, 3, 1, 8, 0, 0, 0, time.UTC)
	api := local.Add(10 * time.Minute)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Date", api.Format(http.TimeFormat))
		w.Header().Set("Retry-After", api.Add(90*time.Second).Format(http.TimeFormat))
		w.WriteHeader(http.StatusServiceUnavailable)
	}))
	t.Cleanup(srv.Close)
	c, err := New(srv.URL+"/api/yj", "key-123456", "secret-123456", WithClock(func() time.Time { return local }))
	require.NoError(t, err)
	_, err = c.CreateReport(context.Background(), "某公司", FormatPDF)
	assert.Equal(t, 90*time.Second, RetryAfter(err))
}

func TestClient_ClockSkew_InProcess(t *testing.T) {
	clock := qcctest.NewClock(time.Date(2025, 3, 1, 8, 0, 0, 0, time.UTC))
	srv := qcctest.NewUnstartedServer(qcctest.WithClock(clock.Now), qcctest.WithClockOffset(-time.Hour))
	c, err := New(qcctest.InProcessBaseURL, srv.Key(), srv.Secret(), WithClock(clock.Now),
		WithHTTPClient(&http.Client{Transport: srv.Transport()}))
	require.NoError(t, err)
	_, err = c.CreateReport(context.Background(), "某公司", FormatPDF)
	require.NoError(t, err)
	assert.Equal(t, -time.Hour, c.ClockOffset())
}
