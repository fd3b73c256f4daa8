package qcctest_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/qccbatch/qccbatch/client/qcctest"
)

// TestServer_PlacedButAmbiguous checks the keys whose order is placed and
// counted although the answer does not say so.
func TestServer_PlacedButAmbiguous(t *testing.T) {
	tests := []struct {
		key      string
		wantHTTP int
		want     string
	}{
		{"已下单205有限公司", 200, `"Status":"205"`},
		{"已下单199有限公司", 200, `"Status":"199"`},
		{"已下单502有限公司", 502, "<html>"},
		{"排队有限公司", 200, `"Status":"205"`}, // then accepted: see below
		{"异常有限公司", 200, `"Status":"199"`},
	}
	for _, tt := range tests {
		t.Run(tt.key, func(t *testing.T) {
			srv := qcctest.New(t)
			for range 3 {
				code, body := get(t, srv, http.MethodPost, "CreateReport", url.Values{"searchKey": {tt.key}}, time.Now())
				assert.Equal(t, tt.wantHTTP, code)
				assert.Contains(t, body, tt.want)
				if !strings.Contains(tt.key, "已下单") {
					break // the first answer refuses without placing an order
				}
			}
			want := 3
			if !strings.Contains(tt.key, "已下单") {
				want = 0
			}
			assert.Equal(t, want, srv.Orders(tt.key), "orders placed")
		})
	}
}

func TestServer_OrderFault(t *testing.T) {
	tests := []struct {
		name       string
		status     int
		placed     bool
		wantType   string
		wantOrders int
	}{
		{"gateway 502, nothing placed", http.StatusBadGateway, false, "text/html", 0},
		{"gateway 502 after placing", http.StatusBadGateway, true, "text/html", 1},
		{"proxy page with 200", http.StatusOK, false, "text/html", 0},
		{"off", 0, false, "application/json; charset=utf-8", 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := qcctest.New(t, qcctest.WithOrderFault(tt.status, tt.placed))
			req := signedRequest(t, srv, http.MethodPost, "CreateReport", url.Values{"searchKey": {"某公司"}}, time.Now())
			resp, err := http.DefaultClient.Do(req)
			require.NoError(t, err)
			resp.Body.Close()
			wantStatus := max(tt.status, http.StatusOK)
			assert.Equal(t, wantStatus, resp.StatusCode)
			assert.Equal(t, tt.wantType, resp.Header.Get("Content-Type"))
			assert.Equal(t, tt.wantOrders, srv.TotalOrders())

			code, body := get(t, srv, http.MethodGet, "GetReportInfo",
				url.Values{"orderNo": {"SBX160000000000010000000001"}}, time.Now())
			assert.Equal(t, http.StatusOK, code, "polls are not affected")
			assert.Contains(t, body, `"ReportStatus":"S"`)

			srv.SetOrderFault(0, false)
			_, body = get(t, srv, http.MethodPost, "CreateReport", url.Values{"searchKey": {"某公司"}}, time.Now())
			assert.Contains(t, body, `"Status":"200"`, "after SetOrderFault(0, false)")
		})
	}
}

func TestServer_ClockOffset(t *testing.T) {
	clock := qcctest.NewClock(time.Date(2025, 3, 1, 8, 0, 0, 0, time.UTC))
	const offset = 10 * time.Minute
	srv := qcctest.New(t, qcctest.WithClock(clock.Now), qcctest.WithClockOffset(offset))
	tests := []struct {
		name     string
		signedAt time.Time
		want     string
	}{
		{"signed with the client's clock", clock.Now(), `"Status":"115"`},
		{"signed with the API's clock", clock.Now().Add(offset), `"Status":"200"`},
		{"signed 299 s behind the API", clock.Now().Add(offset - 299*time.Second), `"Status":"200"`},
		{"signed 301 s behind the API", clock.Now().Add(offset - 301*time.Second), `"Status":"115"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := signedRequest(t, srv, http.MethodPost, "CreateReport", url.Values{"searchKey": {"某公司"}}, tt.signedAt)
			resp, err := http.DefaultClient.Do(req)
			require.NoError(t, err)
			body, err := io.ReadAll(resp.Body)
			resp.Body.Close()
			require.NoError(t, err)
			assert.Contains(t, string(body), tt.want)
			date, err := http.ParseTime(resp.Header.Get("Date"))
			require.NoError(t, err, "Date header %q", resp.Header.Get("Date"))
			assert.Equal(t, clock.Now().Add(offset), date, "Date header")
		})
	}
}

// signedRequest returns a request for key/secret sandbox signed at now.
func signedRequest(t *testing.T, srv *qcctest.Server, method, op string, q url.Values, now time.Time) *http.Request {
	t.Helper()
	q.Set("key", "sandbox")
	req, err := http.NewRequest(method, srv.BaseURL()+"/ReportBaseId/"+op+"?"+q.Encode(), nil)
	require.NoError(t, err)
	ts := fmt.Sprint(now.Unix())
	req.Header.Set("Timespan", ts)
	req.Header.Set("Token", fmt.Sprintf("%X", md5sum("sandbox"+ts+"sandbox")))
	return req
}

// orderNoOf returns the OrderNo of a CreateReport answer body.
func orderNoOf(t *testing.T, body string) string {
	t.Helper()
	var a struct{ Result struct{ OrderNo string } }
	require.NoError(t, json.Unmarshal([]byte(body), &a), body)
	require.NotEmpty(t, a.Result.OrderNo, body)
	return a.Result.OrderNo
}

func TestServer_Stats(t *testing.T) {
	start := time.Date(2025, 3, 1, 8, 0, 0, 0, time.UTC)
	clock := qcctest.NewClock(start)
	srv := qcctest.New(t, qcctest.WithClock(clock.Now), qcctest.WithGenDist(qcctest.GenLognormal),
		qcctest.WithGenMedian(20*time.Second), qcctest.WithGenSigma(0.75), qcctest.WithGenMax(3*time.Minute))
	assert.Equal(t, qcctest.Stats{}, srv.Stats(), "before any request")

	var orders []string
	for i := range 40 {
		_, body := get(t, srv, http.MethodPost, "CreateReport", url.Values{"searchKey": {fmt.Sprint("公司", i)}}, clock.Now())
		orders = append(orders, orderNoOf(t, body))
	}
	_, _ = get(t, srv, http.MethodPost, "CreateReport", url.Values{"searchKey": {"处理中公司"}}, clock.Now()) // never ready
	last := srv.LastReady()
	require.True(t, last.After(start), "LastReady %v", last)
	require.True(t, !last.After(start.Add(3*time.Minute)), "LastReady %v past the cap", last)

	poll := func() (pending int) {
		for _, no := range orders {
			_, body := get(t, srv, http.MethodGet, "GetReportInfo", url.Values{"orderNo": {no}}, clock.Now())
			if strings.Contains(body, `"ReportStatus":"P"`) {
				pending++
			}
		}
		return pending
	}
	clock.Advance(20 * time.Second)
	atMedian := poll()
	assert.Greater(t, atMedian, 5, "reports pending at the median")
	assert.Less(t, atMedian, 35, "reports pending at the median")
	clock.Advance(last.Sub(clock.Now()) - time.Millisecond)
	assert.Equal(t, 1, poll(), "pending just before LastReady: the last report")
	clock.Advance(time.Millisecond)
	assert.Zero(t, poll(), "pending at LastReady")

	want := qcctest.Stats{Orders: 41, Creates: 41, Polls: 120, APICalls: 161, PollsPending: atMedian + 1, LastReady: last}
	assert.Equal(t, want, srv.Stats())
	assert.Equal(t, atMedian+1, srv.PollsPending())
	assert.Equal(t, 161, srv.APICalls())
}
