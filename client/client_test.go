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

// newTestClient returns a client for srv with its credentials.
func newTestClient(t *testing.T, srv *qcctest.Server, opts ...Option) *Client {
	t.Helper()
	c, err := New(srv.BaseURL(), srv.Key(), srv.Secret(), opts...)
	require.NoError(t, err)
	return c
}

func TestClient_Success(t *testing.T) {
	for _, format := range []Format{FormatPDF, FormatWord} {
		t.Run(format.String(), func(t *testing.T) {
			clock := qcctest.NewClock(time.Unix(1700000000, 0))
			srv := qcctest.New(t, qcctest.WithClock(clock.Now), qcctest.WithGenDelay(10*time.Second))
			c := newTestClient(t, srv, WithClock(clock.Now))
			ctx := context.Background()

			no, err := c.CreateReport(ctx, "北京测试科技有限公司", format)
			require.NoError(t, err)
			info, err := c.GetReportInfo(ctx, no)
			require.NoError(t, err)
			require.Equal(t, ReportInfo{Status: ReportProcessing, Message: "查询成功"}, info, "first poll")
			assert.False(t, info.Done())
			clock.Advance(10 * time.Second)
			info, err = c.GetReportInfo(ctx, no)
			require.NoError(t, err)
			require.Equal(t, ReportSucceeded, info.Status, "second poll")
			require.NotEmpty(t, info.URL)
			assert.Equal(t, "查询成功", info.Message)
			var buf bytes.Buffer
			n, err := c.Download(ctx, info.URL, &buf, 1<<20)
			require.NoError(t, err)
			assert.Equal(t, int64(buf.Len()), n)
			magic := map[Format]string{FormatPDF: "%PDF-", FormatWord: "PK\x03\x04"}[format]
			assert.True(t, bytes.HasPrefix(buf.Bytes(), []byte(magic)), "download starts %q, want %q", buf.Bytes()[:8], magic)
			assert.Equal(t, 1, srv.Orders("北京测试科技有限公司"), "orders the server counted")
		})
	}
}

func TestClient_CreateReportAnswers(t *testing.T) {
	tests := []struct {
		name         string
		searchKey    string
		setup        func(*qcctest.Server)
		wantCode     int
		wantClass    Class
		wantDecision Decision
		wantOrders   int // placed on the server
	}{
		{"not found", "不存在的公司", nil, 201, ClassNotFound, DecisionRowFinal, 0},
		{"one character", "甲", nil, 213, ClassRejected, DecisionRowFinal, 0},
		{"social organisation", "某某社会组织", nil, 208, ClassRejected, DecisionRowFinal, 0},
		{"unsupported key", "不支持公司", nil, 215, ClassRejected, DecisionRowFinal, 0},
		{"wait, nothing placed", "排队公司", nil, 205, ClassWait, DecisionAmbiguous, 0},
		{"wait, order placed", "已下单205公司", nil, 205, ClassWait, DecisionAmbiguous, 1},
		{"slow down", "繁忙公司", nil, 120, ClassSlowDown, DecisionRetry, 0},
		{"transient, nothing placed", "异常公司", nil, 199, ClassTransient, DecisionAmbiguous, 0},
		{"transient, order placed", "已下单199公司", nil, 199, ClassTransient, DecisionAmbiguous, 1},
		{"cooldown", "冷却公司", nil, 110, ClassCooldown, DecisionCooldown, 0},
		{"quota by key", "余额公司", nil, 112, ClassQuota, DecisionQuota, 0},
		{"quota used up", "某公司", func(s *qcctest.Server) { s.SetQuota(0) }, 112, ClassQuota, DecisionQuota, 0},
		{"account fatal", "某公司", func(s *qcctest.Server) { s.SetFatal(103) }, 103, ClassFatal, DecisionFatal, 0},
		{"unknown code", "某公司", func(s *qcctest.Server) { s.SetFatal(777) }, 777, ClassFatal, DecisionFatal, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := qcctest.New(t)
			if tt.setup != nil {
				tt.setup(srv)
			}
			c := newTestClient(t, srv)
			_, err := c.CreateReport(context.Background(), tt.searchKey, FormatPDF)
			var ae *APIError
			require.ErrorAs(t, err, &ae)
			assert.Equal(t, tt.wantCode, ae.Code)
			assert.Equal(t, tt.wantClass, ae.Class)
			assert.Equal(t, tt.wantClass, ClassOf(err))
			assert.Equal(t, tt.wantDecision, OrderDecision(err))
			assert.Equal(t, tt.wantDecision == DecisionAmbiguous, IsAmbiguous(err))
			if tt.wantDecision == DecisionAmbiguous {
				assert.Contains(t, err.Error(), "an order may have been placed")
			}
			assert.Equal(t, tt.wantOrders, srv.Orders(tt.searchKey), "orders the server accepted")
		})
	}
}

func TestClient_Credentials(t *testing.T) {
	tests := []struct {
		name        string
		key, secret string
		clockOffset time.Duration
		wantCode    int
	}{
		{"unknown key", "other", qcctest.DefaultSecret, 0, 101},
		{"wrong secret", qcctest.DefaultKey, "wrong", 0, 115},
		{"clock an hour slow: signs with the API's time", qcctest.DefaultKey, qcctest.DefaultSecret, -time.Hour, 200},
		{"clock 299 s fast", qcctest.DefaultKey, qcctest.DefaultSecret, 299 * time.Second, 200},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := qcctest.New(t)
			c, err := New(srv.BaseURL(), tt.key, tt.secret,
				WithClock(func() time.Time { return time.Now().Add(tt.clockOffset) }))
			require.NoError(t, err)
			_, err = c.GetReportInfo(context.Background(), "SBX000000000000010000000001")
			if tt.wantCode == 200 {
				require.NoError(t, err)
				return
			}
			var ae *APIError
			require.ErrorAs(t, err, &ae)
			assert.Equal(t, tt.wantCode, ae.Code)
			assert.Equal(t, ClassFatal, ClassOf(err))
			assert.Equal(t, DecisionFatal, OrderDecision(err))
			assert.Zero(t, ae.ClockOffset, "the clock was right")
		})
	}
}

func TestClient_RateLimit(t *testing.T) {
	clock := qcctest.NewClock(time.Unix(1700000000, 0))
	srv := qcctest.New(t, qcctest.WithClock(clock.Now), qcctest.WithRateLimit(2))
	c := newTestClient(t, srv, WithClock(clock.Now))
	var classes []Class
	for range 3 {
		_, err := c.CreateReport(context.Background(), "某公司", FormatPDF)
		classes = append(classes, ClassOf(err))
	}
	clock.Advance(time.Second)
	_, err := c.CreateReport(context.Background(), "某公司", FormatPDF)
	classes = append(classes, ClassOf(err))
	assert.Equal(t, []Class{ClassOK, ClassOK, ClassSlowDown, ClassOK}, classes)
	assert.Equal(t, 1, srv.Throttled())
}

func TestClient_GetReportInfo(t *testing.T) {
	clock := qcctest.NewClock(time.Unix(1700000000, 0))
	srv := qcctest.New(t, qcctest.WithClock(clock.Now))
	c := newTestClient(t, srv, WithClock(clock.Now))
	ctx := context.Background()
	failed, err := c.CreateReport(ctx, "生成失败公司", FormatPDF)
	require.NoError(t, err)
	clock.Advance(qcctest.DefaultGenDelay)
	info, err := c.GetReportInfo(ctx, failed)
	require.NoError(t, err)
	assert.Equal(t, ReportFailed, info.Status)
	assert.True(t, info.Done())

	_, err = c.GetReportInfo(ctx, "no-such-order")
	assert.Equal(t, ClassNotFound, ClassOf(err), "unknown order (201): %v", err)
	_, err = c.GetReportInfo(ctx, " ")
	assert.Error(t, err, "empty order number accepted")
}

func TestClient_HTTPFaults(t *testing.T) {
	tests := []struct {
		name          string
		status        int
		retryAfter    time.Duration
		wantClass     Class
		wantAmbiguous bool
	}{
		{"502 HTML page", http.StatusBadGateway, 0, ClassTransient, true},
		{"500 HTML page", http.StatusInternalServerError, 0, ClassTransient, true},
		{"504 HTML page", http.StatusGatewayTimeout, 0, ClassTransient, true},
		{"503 with Retry-After", http.StatusServiceUnavailable, 7 * time.Second, ClassSlowDown, false},
		{"429 with Retry-After", http.StatusTooManyRequests, 3 * time.Second, ClassSlowDown, false},
		{"404 wrong base URL", http.StatusNotFound, 0, ClassFatal, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := qcctest.New(t)
			srv.SetHTTPFault(tt.status, tt.retryAfter)
			c := newTestClient(t, srv)
			_, err := c.CreateReport(context.Background(), "某公司", FormatPDF)
			var te *TransportError
			require.ErrorAs(t, err, &te)
			assert.Equal(t, tt.status, te.HTTPStatus)
			assert.True(t, te.MaybeSent)
			assert.Equal(t, tt.wantClass, ClassOf(err))
			assert.Equal(t, tt.wantAmbiguous, IsAmbiguous(err), "IsAmbiguous(%v)", err)
			assert.Equal(t, tt.retryAfter, RetryAfter(err))
		})
	}
}
