package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/qccbatch/qccbatch/batch/journal"
	"github.com/qccbatch/qccbatch/batch/outcome"
	"github.com/qccbatch/qccbatch/client/qcctest"
)

// TestServe_CtrlCWithRunsInFlight: Ctrl-C on `qccbatch serve` while two
// books are ordering (requests in flight, a slow API) stops both as Ctrl-C
// stops `run`: every order placed is journaled (none uncertain), both
// results workbooks are written, the runs' records are ended (not killed),
// and a server started again on the same --data orders none of them again.
func TestServe_CtrlCWithRunsInFlight(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	fake := qcctest.New(t, qcctest.WithLatency(150*time.Millisecond), qcctest.WithGenDelay(time.Hour))
	t.Setenv("QCC_KEY", fake.Key())
	t.Setenv("QCC_SECRET_KEY", fake.Secret())
	data := t.TempDir()
	args := []string{"--data", data, "--base-url", fake.BaseURL(), "--poll-interval", "1s", "--qps", "20", "--concurrency", "4"}
	printed, stop := startServeCmd(t, args...)
	base, token := splitPrinted(t, printed)
	call := func(base, method, path string, body io.Reader, ct string, out any) int {
		req, err := http.NewRequestWithContext(ctx, method, base+path, body)
		require.NoError(t, err)
		req.Header.Set("Authorization", "Bearer "+token)
		if ct != "" {
			req.Header.Set("Content-Type", ct)
		}
		resp, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		defer resp.Body.Close()
		if out != nil {
			require.NoError(t, json.NewDecoder(resp.Body).Decode(out))
		}
		return resp.StatusCode
	}
	type plan struct {
		ID        string
		NewOrders int `json:"new_orders"`
		Polls     int
	}
	var books []plan
	for _, prefix := range []string{"甲", "乙"} {
		var sheet strings.Builder
		sheet.WriteString("企业名称\n")
		for i := 1; i <= 40; i++ {
			fmt.Fprintf(&sheet, "%s停止测试企业%03d有限公司\n", prefix, i)
		}
		var buf bytes.Buffer
		mw := multipart.NewWriter(&buf)
		fw, _ := mw.CreateFormFile("file", prefix+".csv")
		_, _ = fw.Write([]byte(sheet.String()))
		require.NoError(t, mw.Close())
		var p plan
		require.Equal(t, http.StatusCreated, call(base, "POST", "/api/books", &buf, mw.FormDataContentType(), &p))
		require.Equal(t, 40, p.NewOrders)
		books = append(books, p)
	}
	for _, p := range books {
		var out struct{ Run string }
		require.Equal(t, http.StatusAccepted, call(base, "POST", "/api/books/"+p.ID+"/runs", strings.NewReader(fmt.Sprintf(`{"orders": %d}`, p.NewOrders)), "application/json", &out))
		require.NotEmpty(t, out.Run)
	}
	// Ctrl-C while both order: some orders placed, some in flight, most not yet.
	for fake.TotalOrders() < 10 {
		require.NoError(t, ctx.Err(), "the runs did not order")
		time.Sleep(10 * time.Millisecond)
	}
	stop()
	placed := fake.OrderCounts()
	require.Less(t, len(placed), 80, "the runs were stopped before their end")

	for _, p := range books {
		dir := filepath.Join(data, "books", p.ID)
		_, err := os.Stat(filepath.Join(dir, "results.xlsx"))
		assert.NoError(t, err, "the results of book %s are written", p.ID)
		j, err := journal.Open(filepath.Join(dir, "state.qccstate"), journal.Options{ReadOnly: true})
		require.NoError(t, err)
		rs := j.Runs()
		require.Len(t, rs, 1)
		assert.False(t, rs[0].Killed, "the run's record is ended")
		j.Each(func(c journal.State) bool {
			assert.NotEqual(t, outcome.Uncertain, c.Outcome, "%s: an order in flight at Ctrl-C is journaled", c.SearchKey)
			return true
		})
		require.NoError(t, j.Close())
	}

	// Started again on the same --data: what was ordered is polled, never ordered again.
	printed, stop = startServeCmd(t, args...)
	base, token = splitPrinted(t, printed)
	total := 0
	for _, p := range books {
		var again plan
		require.Equal(t, http.StatusOK, call(base, "GET", "/api/books/"+p.ID, nil, "", &again))
		assert.Equal(t, 40, again.NewOrders+again.Polls, "every company either ordered (polled) or still to order")
		total += again.Polls
		if again.NewOrders > 0 {
			var out struct{ Run string }
			require.Equal(t, http.StatusAccepted, call(base, "POST", "/api/books/"+p.ID+"/runs", strings.NewReader(fmt.Sprintf(`{"orders": %d}`, again.NewOrders)), "application/json", &out))
		}
	}
	assert.Equal(t, len(placed), total, "the orders placed before Ctrl-C are the ones polled")
	for fake.TotalOrders() < 80 {
		require.NoError(t, ctx.Err(), "the resumed runs did not order the rest")
		time.Sleep(10 * time.Millisecond)
	}
	stop()
	for k, n := range fake.OrderCounts() {
		assert.Equal(t, 1, n, "orders of %s", k)
	}
	assert.Len(t, fake.OrderCounts(), 80)
}
