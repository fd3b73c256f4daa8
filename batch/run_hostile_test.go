package batch_test

import (
	"context"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/qccbatch/qccbatch/batch"
	"github.com/qccbatch/qccbatch/client"
	"github.com/qccbatch/qccbatch/client/qcctest"
)

// Hostile or broken API answers (issue 18 item 8), against the fake API.

// orderNoOf returns the number the fake API placed for searchKey.
func orderNoOf(t *testing.T, srv *qcctest.Server, searchKey string) string {
	t.Helper()
	for _, o := range srv.OrderList() {
		if o.SearchKey == searchKey {
			return o.OrderNo
		}
	}
	t.Fatalf("no order placed for %s", searchKey)
	return ""
}

// TestRun_DuplicateOrderNo: when the API answers a company with an order
// number the ledger already holds for another company, in this run or an
// earlier one, that company is uncertain with that reason: two companies
// never share one report, and neither is ordered again.
func TestRun_DuplicateOrderNo(t *testing.T) {
	const a, b = "甲科技有限公司", "乙科技有限公司"
	for _, earlier := range []bool{false, true} {
		name := "same run"
		if earlier {
			name = "earlier run"
		}
		t.Run(name, func(t *testing.T) {
			e := newEnv(t, []string{a, b})
			e.cfg.Concurrency = 1 // a is answered first
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			if earlier { // the ledger holds a's order from a run on a's row alone
				keep := e.cfg.Input
				e.cfg.Input = filepath.Join(e.dir, "a.csv")
				require.NoError(t, os.WriteFile(e.cfg.Input, []byte("企业名称\r\n"+a+"\r\n"), 0o600))
				_, err := e.run(ctx, nil)
				require.NoError(t, err)
				e.cfg.Input = keep
			}
			e.srv.SetRewrite(qcctest.Rewrite{OrderNo: func(searchKey, no string) string {
				if searchKey == b {
					return orderNoOf(t, e.srv, a) // b is answered with a's number
				}
				return no
			}})
			_, err := e.run(ctx, nil)
			var se *batch.StopError
			require.ErrorAs(t, err, &se)
			assert.Equal(t, batch.StopUncertain, se.Stop, "every row final, one needs a person")
			rows := e.results()
			require.Len(t, rows, 2)
			aNo := orderNoOf(t, e.srv, a)
			assert.Equal(t, "ready", rows[0]["outcome"])
			assert.Equal(t, aNo, rows[0]["order_no"])
			assert.Equal(t, "uncertain", rows[1]["outcome"], "b was answered with a's number")
			assert.Empty(t, rows[1]["order_no"], "b does not share a's order")
			assert.Empty(t, rows[1]["report_url"], "b does not share a's report")
			assert.Contains(t, rows[1]["message"], aNo, "the reason names the number")
			if earlier {
				assert.Contains(t, rows[1]["message"], a, "and the company that holds it")
			}
			assert.Contains(t, rows[1]["message"], "resolve")
			assert.Equal(t, 1, e.srv.Orders(a))
			assert.Equal(t, 1, e.srv.Orders(b))

			// A rerun orders neither again.
			e.srv.SetRewrite(qcctest.Rewrite{})
			_, err = e.run(ctx, nil)
			require.ErrorAs(t, err, &se)
			assert.Equal(t, batch.StopUncertain, se.Stop)
			assert.Equal(t, 1, e.srv.Orders(a), "a ordered once")
			assert.Equal(t, 1, e.srv.Orders(b), "b ordered once")
		})
	}
}

// TestRun_OrderNoWithControlCharacters: an OrderNo holding a tab, a space
// or an invisible character is an ambiguous answer: the row is uncertain,
// ordered once, never polled under a mangled number.
func TestRun_OrderNoWithControlCharacters(t *testing.T) {
	names := []string{"丙科技有限公司", "丁科技有限公司", "戊科技有限公司"}
	mangle := map[string]func(string) string{
		names[0]: func(no string) string { return no[:5] + "\t" + no[5:] },
		names[1]: func(no string) string { return " " + no },
		names[2]: func(no string) string { return no + "\u200b" },
	}
	e := newEnv(t, names)
	e.cfg.Timeout = 2 * time.Second
	e.srv.SetRewrite(qcctest.Rewrite{OrderNo: func(searchKey, no string) string { return mangle[searchKey](no) }})
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	_, err := e.run(ctx, nil)
	var se *batch.StopError
	require.ErrorAs(t, err, &se)
	assert.Equal(t, batch.StopUncertain, se.Stop)
	for i, r := range e.results() {
		assert.Equal(t, "uncertain", r["outcome"], names[i])
		assert.Empty(t, r["order_no"], names[i])
		assert.Contains(t, r["message"], "OrderNo", names[i])
		assert.Equal(t, 1, e.srv.Orders(names[i]), names[i])
	}
	_, creates, _ := func() (int, int, int) { c, p, d := e.srv.Requests(); return p, c, d }()
	assert.Equal(t, 3, creates, "no order request was repeated")
}

// TestRun_ReadyNeedsReportURL: an S answer without a usable ReportUrl
// (empty, invisible, not an http(s) address) is no ready report: the row
// stays pending and says why.
func TestRun_ReadyNeedsReportURL(t *testing.T) {
	bad := map[string]string{"己科技有限公司": "", "庚科技有限公司": "\u200b", "辛科技有限公司": "javascript:alert(1)"}
	var names []string
	for n := range bad {
		names = append(names, n)
	}
	e := newEnv(t, names)
	e.cfg.Timeout = 500 * time.Millisecond
	e.cfg.Backoff.Attempts = 1 // a poll's one attempt is never cut short: the row says what it got
	byNo := sync.Map{}
	e.srv.SetRewrite(qcctest.Rewrite{
		OrderNo: func(searchKey, no string) string { byNo.Store(no, searchKey); return no },
		ReportURL: func(no, _ string) string {
			sk, _ := byNo.Load(no)
			return bad[sk.(string)]
		},
	})
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	_, err := e.run(ctx, nil)
	var se *batch.StopError
	require.ErrorAs(t, err, &se)
	assert.Equal(t, batch.StopIncomplete, se.Stop, "pending rows: rerun to resume")
	for i, r := range e.results() {
		assert.Equal(t, "pending", r["outcome"], "%s: S with ReportUrl %q", names[i], bad[names[i]])
		assert.Empty(t, r["report_url"], names[i])
		assert.Contains(t, r["message"], "ReportUrl", names[i])
		assert.Equal(t, 1, e.srv.Orders(names[i]))
	}
}

// pendingOrders places an order for every company of e in a run that
// ends before any report is ready (the fake generates them in an hour):
// every row is pending, and the next run only polls.
func pendingOrders(t *testing.T, ctx context.Context, e *env) {
	t.Helper()
	timeout := e.cfg.Timeout
	e.cfg.Timeout = time.Millisecond
	_, err := e.run(ctx, nil)
	e.cfg.Timeout = timeout
	var se *batch.StopError
	require.ErrorAs(t, err, &se)
	require.Equal(t, batch.StopIncomplete, se.Stop)
	for _, r := range e.results() {
		require.Equal(t, "pending", r["outcome"])
	}
}

// TestRun_RetryAfterBeyondCapStops: one 429 with Retry-After: 86400 does
// not hold the run for a day (it held a --timeout 20s run for over two
// minutes): the run stops at once with exit 3's kind and names the
// Retry-After, whether the answer came to an order or to a poll.
func TestRun_RetryAfterBeyondCapStops(t *testing.T) {
	for _, onPoll := range []bool{false, true} {
		name := "order"
		if onPoll {
			name = "poll"
		}
		t.Run(name, func(t *testing.T) {
			names := companyNames(20)
			e := newEnv(t, names, qcctest.WithGenDelay(time.Hour))
			e.cfg.Timeout = 20 * time.Second
			e.cfg.Backoff = batch.Backoff{Base: time.Millisecond, Max: 2 * time.Millisecond} // real sleeps: Retry-After counts
			ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
			defer cancel()
			if onPoll {
				pendingOrders(t, ctx, e)
			}
			e.srv.SetHTTPFault(http.StatusTooManyRequests, 86400*time.Second)
			start := time.Now()
			_, err := e.run(ctx, nil)
			took := time.Since(start)
			require.NoError(t, ctx.Err(), "the run ended before the test deadline")
			assert.Less(t, took, 10*time.Second, "the run stops within seconds")
			var se *batch.StopError
			require.ErrorAs(t, err, &se)
			assert.Equal(t, batch.StopQuota, se.Stop, "exit 3: rerun later")
			assert.Contains(t, en(se), "Retry-After")
			assert.Contains(t, en(se), "24h0m0s")
			want := "not_ordered"
			if onPoll {
				want = "pending"
			}
			for _, r := range e.results() {
				assert.Equal(t, want, r["outcome"])
			}
			creates, polls, _ := e.srv.Requests()
			if onPoll {
				assert.Equal(t, 20, creates, "no order request after the first run's")
				assert.LessOrEqual(t, polls, 20+8, "one request in flight per slot, then nothing")
				assert.Equal(t, 20, e.srv.TotalOrders())
			} else {
				assert.Zero(t, e.srv.TotalOrders(), "nothing ordered")
				assert.LessOrEqual(t, creates, 8, "one request in flight per slot, then nothing")
			}
			orderedAtMostOnce(t, e.srv, names)
		})
	}
}

// orderedAtMostOnce checks that the fake API placed no second order for
// any of names.
func orderedAtMostOnce(t *testing.T, srv *qcctest.Server, names []string) {
	t.Helper()
	for _, n := range names {
		assert.LessOrEqual(t, srv.Orders(n), 1, "%s ordered twice", n)
	}
}

// TestRun_RetryAfterNeverPastDeadline: a Retry-After within the cap is
// honoured, but never past a poll's --timeout: pending orders whose polls
// are answered 429 with Retry-After: 240 end when --timeout does, not four
// minutes later.
func TestRun_RetryAfterNeverPastDeadline(t *testing.T) {
	names := companyNames(3)
	e := newEnv(t, names, qcctest.WithGenDelay(time.Hour))
	e.cfg.Timeout = 2 * time.Second
	e.cfg.Concurrency = 1 // one poll at a time: the later ones wait for their turn after the 429
	e.cfg.Backoff = batch.Backoff{Base: time.Millisecond, Max: 2 * time.Millisecond}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	pendingOrders(t, ctx, e)
	e.srv.SetHTTPFault(http.StatusTooManyRequests, 240*time.Second)
	start := time.Now()
	_, err := e.run(ctx, nil)
	took := time.Since(start)
	require.NoError(t, ctx.Err(), "the run ended before the test deadline")
	assert.Less(t, took, 15*time.Second, "no wait past the orders' --timeout")
	var se *batch.StopError
	require.ErrorAs(t, err, &se)
	assert.Equal(t, batch.StopIncomplete, se.Stop, "polling timed out: rerun to resume")
	for _, r := range e.results() {
		assert.Equal(t, "pending", r["outcome"])
	}
	assert.Equal(t, 3, e.srv.TotalOrders())
	orderedAtMostOnce(t, e.srv, names)
}

// TestRun_PlainHTTPReportLink: a ReportUrl in plain http to a host other
// than loopback is a bearer link in clear: not downloaded (the row says
// why and names --allow-http-downloads) unless the client allows it.
func TestRun_PlainHTTPReportLink(t *testing.T) {
	for _, allow := range []bool{false, true} {
		name := "refused"
		if allow {
			name = "allowed"
		}
		t.Run(name, func(t *testing.T) {
			names := companyNames(2)
			e := newEnv(t, names)
			e.cfg.DownloadDir = filepath.Join(e.dir, "reports")
			base, err := url.Parse(e.srv.BaseURL())
			require.NoError(t, err)
			port := base.Port()
			e.srv.SetRewrite(qcctest.Rewrite{ReportURL: func(no, u string) string {
				return strings.Replace(u, "127.0.0.1", "reports.example.com", 1)
			}})
			addr := net.JoinHostPort("127.0.0.1", port)
			dial := &net.Dialer{}
			hc := &http.Client{Transport: &http.Transport{DialContext: func(ctx context.Context, network, _ string) (net.Conn, error) {
				return dial.DialContext(ctx, network, addr) // every host is the fake API, as DNS would resolve the report host
			}}}
			c, err := client.New(e.srv.BaseURL(), "sandbox", "sandbox", client.WithTimeout(2*time.Second),
				client.WithHTTPClient(hc), client.WithPlainHTTPDownloads(allow))
			require.NoError(t, err)
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			_, err = e.run(ctx, c)
			_, _, downloads := e.srv.Requests()
			rows := e.results()
			if allow {
				require.NoError(t, err)
				assert.Equal(t, 2, downloads)
				for _, r := range rows {
					assert.NotEmpty(t, r["file"])
				}
				return
			}
			var se *batch.StopError
			require.ErrorAs(t, err, &se)
			assert.Equal(t, batch.StopIncomplete, se.Stop, "a report not downloaded: exit 4")
			assert.Zero(t, downloads, "the bearer link never went out in clear")
			for _, r := range rows {
				assert.Equal(t, "ready", r["outcome"])
				assert.Empty(t, r["file"])
				assert.Contains(t, r["message"], "--allow-http-downloads")
				assert.Contains(t, r["message"], "reports.example.com")
			}
			entries, err := os.ReadDir(e.cfg.DownloadDir)
			require.NoError(t, err)
			assert.Empty(t, entries)
			orderedAtMostOnce(t, e.srv, names)
		})
	}
}
