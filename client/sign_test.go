package client

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/qccbatch/qccbatch/client/qcctest"
)

func TestSign(t *testing.T) {
	// md5("k1700000000s"), computed with md5sum.
	got, want := Sign("k", "1700000000", "s"), "438332D68F7CA81925B1129C10156CD2"
	if got != want {
		t.Errorf("Sign(k, 1700000000, s) = %s, want %s", got, want)
	}
}

// recorder is an API stub that records the signing headers it receives.
type recorder struct {
	mu      sync.Mutex
	headers []http.Header
	queries []string
}

func (rec *recorder) start(t *testing.T, body string) string {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec.mu.Lock()
		rec.headers = append(rec.headers, r.Header.Clone())
		rec.queries = append(rec.queries, r.URL.RawQuery)
		rec.mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(body))
	}))
	t.Cleanup(srv.Close)
	return srv.URL + "/api/yj"
}

func TestClient_FreshTimespanPerRequest(t *testing.T) {
	rec := &recorder{}
	base := rec.start(t, `{"Result":{"OrderNo":"X1"},"Status":"200","Message":"查询成功"}`)
	clock := qcctest.NewClock(time.Unix(1700000000, 0))
	c, err := New(base, "key-1", "secret-1", WithClock(clock.Now))
	if err != nil {
		t.Fatal(err)
	}
	for range 2 {
		if _, err := c.CreateReport(context.Background(), "测试公司", FormatPDF); err != nil {
			t.Fatal(err)
		}
		clock.Advance(time.Second)
	}
	if len(rec.headers) != 2 {
		t.Fatalf("server saw %d requests, want 2", len(rec.headers))
	}
	for i, h := range rec.headers {
		ts := h.Get("Timespan")
		if want := strconv.Itoa(1700000000 + i); ts != want {
			t.Errorf("request %d: Timespan %q, want %q", i, ts, want)
		}
		if got, want := h.Get("Token"), Sign("key-1", ts, "secret-1"); got != want {
			t.Errorf("request %d: Token %q, want %q", i, got, want)
		}
		if h.Get("SecretKey") != "" {
			t.Errorf("request %d sent a SecretKey header", i)
		}
	}
	if rec.headers[0].Get("Token") == rec.headers[1].Get("Token") {
		t.Error("two requests a second apart carry the same Token")
	}
	if got, want := rec.queries[0], "key=key-1&reportFormat=1&searchKey=%E6%B5%8B%E8%AF%95%E5%85%AC%E5%8F%B8"; got != want {
		t.Errorf("query %q, want %q", got, want)
	}
}
