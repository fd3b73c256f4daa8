package client

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/qccbatch/qccbatch/client/qcctest"
)

// newTestClient returns a client for srv that shares clock (if not nil).
func newTestClient(t *testing.T, srv *qcctest.Server, opts ...Option) *Client {
	t.Helper()
	c, err := New(srv.BaseURL(), srv.Key(), srv.Secret(), opts...)
	if err != nil {
		t.Fatal(err)
	}
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
			if err != nil {
				t.Fatal(err)
			}
			info, err := c.GetReportInfo(ctx, no)
			if err != nil {
				t.Fatal(err)
			}
			if info.Status != ReportProcessing || info.URL != "" || info.Done() {
				t.Fatalf("first poll: %+v, want P without URL", info)
			}
			clock.Advance(10 * time.Second)
			info, err = c.GetReportInfo(ctx, no)
			if err != nil {
				t.Fatal(err)
			}
			if info.Status != ReportSucceeded || info.URL == "" || info.Message != "查询成功" {
				t.Fatalf("second poll: %+v, want S with URL", info)
			}
			var buf bytes.Buffer
			n, err := c.Download(ctx, info.URL, &buf, 1<<20)
			if err != nil {
				t.Fatal(err)
			}
			magic := map[Format]string{FormatPDF: "%PDF-", FormatWord: "PK\x03\x04"}[format]
			if n != int64(buf.Len()) || !bytes.HasPrefix(buf.Bytes(), []byte(magic)) {
				t.Errorf("download: n=%d len=%d, starts %q, want %q", n, buf.Len(), buf.Bytes()[:8], magic)
			}
			if got := srv.Orders("北京测试科技有限公司"); got != 1 {
				t.Errorf("server counted %d orders, want 1", got)
			}
		})
	}
}

func TestClient_CreateReportClasses(t *testing.T) {
	tests := []struct {
		name      string
		searchKey string
		setup     func(*qcctest.Server)
		wantCode  int
		wantClass Class
	}{
		{"not found", "不存在的公司", nil, 201, ClassNotFound},
		{"one character", "甲", nil, 213, ClassRejected},
		{"social organisation", "某某社会组织", nil, 208, ClassRejected},
		{"unsupported key", "不支持公司", nil, 215, ClassRejected},
		{"wait", "排队公司", nil, 205, ClassWait},
		{"slow down", "繁忙公司", nil, 120, ClassSlowDown},
		{"transient", "异常公司", nil, 199, ClassTransient},
		{"cooldown", "冷却公司", nil, 110, ClassCooldown},
		{"quota by key", "余额公司", nil, 112, ClassQuota},
		{"quota used up", "某公司", func(s *qcctest.Server) { s.SetQuota(0) }, 112, ClassQuota},
		{"account fatal", "某公司", func(s *qcctest.Server) { s.SetFatal(103) }, 103, ClassFatal},
		{"unknown code", "某公司", func(s *qcctest.Server) { s.SetFatal(777) }, 777, ClassFatal},
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
			if !errors.As(err, &ae) {
				t.Fatalf("err = %v, want *APIError", err)
			}
			if ae.Code != tt.wantCode || ae.Class != tt.wantClass || ClassOf(err) != tt.wantClass {
				t.Errorf("got code %d class %v (ClassOf %v), want %d %v", ae.Code, ae.Class, ClassOf(err), tt.wantCode, tt.wantClass)
			}
			if IsAmbiguous(err) {
				t.Error("an API answer must not be ambiguous")
			}
			if got := srv.Orders(tt.searchKey); got != 0 {
				t.Errorf("server accepted %d orders, want 0", got)
			}
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
		{"clock an hour slow", qcctest.DefaultKey, qcctest.DefaultSecret, -time.Hour, 115},
		{"clock 299 s fast", qcctest.DefaultKey, qcctest.DefaultSecret, 299 * time.Second, 200},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := qcctest.New(t)
			c, err := New(srv.BaseURL(), tt.key, tt.secret,
				WithClock(func() time.Time { return time.Now().Add(tt.clockOffset) }))
			if err != nil {
				t.Fatal(err)
			}
			_, err = c.GetReportInfo(context.Background(), "SBX000000000000010000000001")
			var ae *APIError
			switch {
			case tt.wantCode == 200 && err != nil:
				t.Fatalf("err = %v, want success", err)
			case tt.wantCode != 200 && (!errors.As(err, &ae) || ae.Code != tt.wantCode):
				t.Fatalf("err = %v, want status %d", err, tt.wantCode)
			case tt.wantCode != 200 && ClassOf(err) != ClassFatal:
				t.Errorf("class %v, want fatal", ClassOf(err))
			}
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
	want := []Class{ClassOK, ClassOK, ClassSlowDown, ClassOK}
	for i := range want {
		if classes[i] != want[i] {
			t.Fatalf("classes %v, want %v", classes, want)
		}
	}
	if got := srv.Throttled(); got != 1 {
		t.Errorf("Throttled() = %d, want 1", got)
	}
}

func TestClient_GetReportInfo(t *testing.T) {
	clock := qcctest.NewClock(time.Unix(1700000000, 0))
	srv := qcctest.New(t, qcctest.WithClock(clock.Now))
	c := newTestClient(t, srv, WithClock(clock.Now))
	ctx := context.Background()
	failed, err := c.CreateReport(ctx, "生成失败公司", FormatPDF)
	if err != nil {
		t.Fatal(err)
	}
	clock.Advance(qcctest.DefaultGenDelay)
	info, err := c.GetReportInfo(ctx, failed)
	if err != nil || info.Status != ReportFailed || !info.Done() {
		t.Errorf("GetReportInfo = %+v, %v; want F", info, err)
	}
	_, err = c.GetReportInfo(ctx, "no-such-order")
	if ClassOf(err) != ClassRejected {
		t.Errorf("unknown order: %v (class %v), want rejected", err, ClassOf(err))
	}
	if _, err := c.GetReportInfo(ctx, " "); err == nil {
		t.Error("empty order number accepted")
	}
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
			if !errors.As(err, &te) || te.HTTPStatus != tt.status || !te.MaybeSent {
				t.Fatalf("err = %#v, want *TransportError with HTTP %d", err, tt.status)
			}
			if got := ClassOf(err); got != tt.wantClass {
				t.Errorf("ClassOf = %v, want %v", got, tt.wantClass)
			}
			if got := IsAmbiguous(err); got != tt.wantAmbiguous {
				t.Errorf("IsAmbiguous = %v, want %v (%v)", got, tt.wantAmbiguous, err)
			}
			if got := RetryAfter(err); got != tt.retryAfter {
				t.Errorf("RetryAfter = %v, want %v", got, tt.retryAfter)
			}
		})
	}
}
