package client

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/qccbatch/qccbatch/client/qcctest"
)

func TestSign(t *testing.T) {
	// md5("k1700000000s"), computed with md5sum.
	assert.Equal(t, "438332D68F7CA81925B1129C10156CD2", Sign("k", "1700000000", "s"))
}

// recorder is an API stub that records the signing headers it receives.
type recorder struct {
	mu      sync.Mutex
	headers []http.Header
	queries []string
}

// start serves body to every request; the answers carry no Date header,
// so the client keeps its own clock.
func (rec *recorder) start(t *testing.T, body string) string {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec.mu.Lock()
		rec.headers = append(rec.headers, r.Header.Clone())
		rec.queries = append(rec.queries, r.URL.RawQuery)
		rec.mu.Unlock()
		w.Header()["Date"] = nil
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
	require.NoError(t, err)
	for range 2 {
		_, err := c.CreateReport(context.Background(), "测试公司", FormatPDF)
		require.NoError(t, err)
		clock.Advance(time.Second)
	}
	rec.mu.Lock()
	defer rec.mu.Unlock()
	require.Len(t, rec.headers, 2)
	for i, h := range rec.headers {
		ts := h.Get("Timespan")
		assert.Equal(t, strconv.Itoa(1700000000+i), ts, "request %d: Timespan", i)
		assert.Equal(t, Sign("key-1", ts, "secret-1"), h.Get("Token"), "request %d: Token", i)
		assert.Empty(t, h.Get("SecretKey"), "request %d sent a SecretKey header", i)
	}
	assert.NotEqual(t, rec.headers[0].Get("Token"), rec.headers[1].Get("Token"),
		"two requests a second apart carry the same Token")
	assert.Equal(t, "key=key-1&reportFormat=1&searchKey=%E6%B5%8B%E8%AF%95%E5%85%AC%E5%8F%B8", rec.queries[0])
}
