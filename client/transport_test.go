package client

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/qccbatch/qccbatch/client/qcctest"
)

func TestClient_SlowAnswerPastTimeout(t *testing.T) {
	srv := qcctest.New(t)
	c := newTestClient(t, srv, WithTimeout(100*time.Millisecond))
	const key = "超时公司" // accepted, answer held back
	_, err := c.CreateReport(context.Background(), key, FormatPDF)
	var te *TransportError
	if !errors.As(err, &te) || !te.Timeout() || !te.MaybeSent {
		t.Fatalf("err = %v, want a timeout after sending", err)
	}
	if !IsAmbiguous(err) || ClassOf(err) != ClassTransient {
		t.Errorf("IsAmbiguous = %v, ClassOf = %v; want true, transient", IsAmbiguous(err), ClassOf(err))
	}
	if !strings.Contains(err.Error(), "order may have been placed") {
		t.Errorf("error %q does not warn that an order may exist", err)
	}
	if got := srv.Orders(key); got != 1 {
		t.Errorf("server accepted %d orders, want 1", got)
	}
}

func TestClient_DroppedAfterOrder(t *testing.T) {
	srv := qcctest.New(t)
	c := newTestClient(t, srv)
	const key = "掉线公司"
	_, err := c.CreateReport(context.Background(), key, FormatPDF)
	if !IsAmbiguous(err) || ClassOf(err) != ClassTransient {
		t.Fatalf("err = %v: IsAmbiguous %v, class %v; want ambiguous transient", err, IsAmbiguous(err), ClassOf(err))
	}
	if got := srv.Orders(key); got != 1 {
		t.Errorf("server accepted %d orders, want 1", got)
	}
}

func TestClient_ConnectionRefused(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close() // nothing listens there now
	c, err := New("http://"+addr+"/api/yj", "key-123456", "secret-123456")
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.CreateReport(context.Background(), "某公司", FormatPDF)
	var te *TransportError
	if !errors.As(err, &te) || te.MaybeSent || te.HTTPStatus != 0 {
		t.Fatalf("err = %#v, want an unsent *TransportError", err)
	}
	if IsAmbiguous(err) || ClassOf(err) != ClassTransient {
		t.Errorf("IsAmbiguous = %v, ClassOf = %v; want false, transient", IsAmbiguous(err), ClassOf(err))
	}
}

func TestClient_CallerCancels(t *testing.T) {
	srv := qcctest.New(t)
	c := newTestClient(t, srv)
	t.Run("before sending", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		_, err := c.CreateReport(ctx, "某公司", FormatPDF)
		if !errors.Is(err, context.Canceled) || IsAmbiguous(err) || ClassOf(err) != ClassTransient {
			t.Errorf("err = %v, want unambiguous context.Canceled", err)
		}
	})
	t.Run("while waiting for the answer", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
		defer cancel()
		_, err := c.CreateReport(ctx, "超时公司", FormatPDF)
		if !errors.Is(err, context.DeadlineExceeded) || !IsAmbiguous(err) {
			t.Errorf("err = %v, want ambiguous context.DeadlineExceeded", err)
		}
	})
}

// stub serves one fixed handler as the API.
func stub(t *testing.T, h http.HandlerFunc) *Client {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	c, err := New(srv.URL+"/api/yj", "key-123456", "secret-123456",
		WithMaxBody(1024), WithClock(func() time.Time { return time.Unix(1700000000, 0) }))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func body(status int, s string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
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
		{"code in an HTTP 500", body(500, `{"Status":"199","Message":"x"}`), "", 199, -1, false, 0},
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
			if got != tt.wantOrder {
				t.Errorf("order %q, want %q", got, tt.wantOrder)
			}
			var ae *APIError
			if gotCode := 0; errors.As(err, &ae) {
				gotCode = ae.Code
				if gotCode != tt.wantCode {
					t.Errorf("code %d, want %d", gotCode, tt.wantCode)
				}
			} else if tt.wantCode != 0 {
				t.Errorf("err = %v, want code %d", err, tt.wantCode)
			}
			var te *TransportError
			switch {
			case errors.As(err, &te) && te.HTTPStatus != tt.wantHTTP:
				t.Errorf("HTTP status %d, want %d (%v)", te.HTTPStatus, tt.wantHTTP, err)
			case te == nil && tt.wantHTTP != -1:
				t.Errorf("err = %v, want a TransportError", err)
			}
			if IsAmbiguous(err) != tt.wantAmbiguous {
				t.Errorf("IsAmbiguous = %v, want %v (%v)", IsAmbiguous(err), tt.wantAmbiguous, err)
			}
			if RetryAfter(err) != tt.wantRetry {
				t.Errorf("RetryAfter = %v, want %v", RetryAfter(err), tt.wantRetry)
			}
		})
	}
}
