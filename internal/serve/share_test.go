package serve

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/crypto/bcrypt"

	"github.com/qccbatch/qccbatch/batch"
	"github.com/qccbatch/qccbatch/batch/journal"
	"github.com/qccbatch/qccbatch/client/qcctest"
)

// names is a portfolio of n company names starting with prefix.
func names(prefix string, n int) []byte {
	var b strings.Builder
	b.WriteString("企业名称\n")
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&b, "%s测试企业%03d有限公司\n", prefix, i)
	}
	return []byte(b.String())
}

// startRun confirms the plan's count and returns the run id.
func (ts *testServer) startRun(t *testing.T, auth func(*http.Request), book string, orders int) (int, map[string]any) {
	t.Helper()
	req, _ := http.NewRequest("POST", ts.base+"/api/books/"+book+"/runs", strings.NewReader(fmt.Sprintf(`{"orders": %d}`, orders)))
	auth(req)
	resp, err := noRedirect.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	var out map[string]any
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&out))
	return resp.StatusCode, out
}

func (ts *testServer) bearer(r *http.Request) { r.Header.Set("Authorization", "Bearer "+ts.Token()) }

// TestTwoBooksShareTheQPS runs two books at once against a fake API that
// answers code 120 past --qps: the one limiter of the process keeps both
// runs together under it.
func TestTwoBooksShareTheQPS(t *testing.T) {
	const qps = 10
	ts := startServer(t, Options{QPS: qps}, qcctest.WithRateLimit(qps))
	a := ts.upload(t, "a.csv", names("甲", 15))
	b := ts.upload(t, "b.csv", names("乙", 15))
	var runs []string
	for _, p := range []planJSON{a, b} {
		status, out := ts.startRun(t, ts.bearer, p.ID, p.NewOrders)
		require.Equal(t, http.StatusAccepted, status, out)
		runs = append(runs, out["run"].(string))
	}
	var wg sync.WaitGroup
	results := make([]runJSON, len(runs))
	for i, run := range runs {
		wg.Go(func() { results[i], _ = waitDone(t, ts, ts.Token(), run, "") })
	}
	wg.Wait()
	for _, r := range results {
		require.NotNil(t, r.Exit)
		assert.Equal(t, 0, *r.Exit, "run %s: %s", r.ID, r.Error)
	}
	assert.Zero(t, ts.fake.Throttled(), "code-120 answers: the two runs together went past --qps")
	counts := ts.fake.OrderCounts()
	assert.Len(t, counts, 30)
	for k, n := range counts {
		assert.Equal(t, 1, n, "orders of %s", k)
	}
}

// TestTeamApproval: above --approve-above a run places no order until a
// second user approves it; the starter cannot approve it; the run's record
// in the state file names both.
func TestTeamApproval(t *testing.T) {
	users := map[string][]byte{}
	for _, u := range []string{"alice", "bob"} {
		h, err := bcrypt.GenerateFromPassword([]byte(u+"-password"), bcrypt.MinCost)
		require.NoError(t, err)
		users[u] = h
	}
	ts := startServer(t, Options{Users: users, ApproveAbove: 3})
	as := func(user string) func(*http.Request) {
		return func(r *http.Request) { r.SetBasicAuth(user, user+"-password") }
	}
	// No token, no user: 401; a wrong password: 401.
	resp := ts.do(t, "GET", "/api/books", "", nil, nil)
	resp.Body.Close()
	assert.Equal(t, http.StatusUnauthorized, resp.StatusCode)
	req, _ := http.NewRequest("GET", ts.base+"/api/books", nil)
	req.SetBasicAuth("alice", "wrong")
	resp, err := noRedirect.Do(req)
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusUnauthorized, resp.StatusCode)
	// The launch token is no credential of a team server.
	resp = ts.do(t, "GET", "/api/books", ts.Token(), nil, nil)
	resp.Body.Close()
	assert.Equal(t, http.StatusUnauthorized, resp.StatusCode)

	body, ct := multipartFile(t, "p.csv", names("丙", 5), nil)
	req, _ = http.NewRequest("POST", ts.base+"/api/books", body)
	req.Header.Set("Content-Type", ct)
	as("alice")(req)
	resp, err = noRedirect.Do(req)
	require.NoError(t, err)
	var p planJSON
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&p))
	resp.Body.Close()
	require.Equal(t, 5, p.NewOrders)

	status, out := ts.startRun(t, as("alice"), p.ID, 5)
	require.Equal(t, http.StatusAccepted, status, out)
	assert.Equal(t, stateApproval, out["state"])
	run := out["run"].(string)
	snap := func() runJSON {
		req, _ := http.NewRequest("GET", ts.base+"/api/runs/"+run, nil)
		as("bob")(req)
		resp, err := noRedirect.Do(req)
		require.NoError(t, err)
		defer resp.Body.Close()
		var r runJSON
		require.NoError(t, json.NewDecoder(resp.Body).Decode(&r))
		return r
	}
	assert.Equal(t, stateApproval, snap().State)
	// alice cannot approve her own run.
	req, _ = http.NewRequest("POST", ts.base+"/api/runs/"+run+"/approve", nil)
	as("alice")(req)
	resp, err = noRedirect.Do(req)
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusForbidden, resp.StatusCode)
	assert.Equal(t, stateApproval, snap().State)
	assert.Zero(t, ts.fake.TotalOrders(), "no order before a second user approves")

	req, _ = http.NewRequest("POST", ts.base+"/api/runs/"+run+"/approve", nil)
	as("bob")(req)
	resp, err = noRedirect.Do(req)
	require.NoError(t, err)
	resp.Body.Close()
	require.Equal(t, http.StatusAccepted, resp.StatusCode)

	deadline := time.Now().Add(60 * time.Second)
	var r runJSON
	for r = snap(); r.State != stateDone && time.Now().Before(deadline); r = snap() {
		time.Sleep(50 * time.Millisecond)
	}
	require.Equal(t, stateDone, r.State)
	assert.Equal(t, "alice", r.User)
	assert.Equal(t, "bob", r.Approver)
	assert.Equal(t, 5, ts.fake.TotalOrders())

	// The run's record in the state file names both.
	j, err := journal.Open(ts.book(p.ID).state(), journal.Options{ReadOnly: true})
	require.NoError(t, err)
	defer j.Close()
	runs := j.Runs()
	require.Len(t, runs, 1)
	assert.Contains(t, runs[0].Flags, "--serve-user=alice")
	assert.Contains(t, runs[0].Flags, "--approved-by=bob")
}

// TestTeamApprovalStopped: a run waiting for approval that is stopped
// orders nothing.
func TestTeamApprovalStopped(t *testing.T) {
	h, err := bcrypt.GenerateFromPassword([]byte("pw-alice"), bcrypt.MinCost)
	require.NoError(t, err)
	ts := startServer(t, Options{Users: map[string][]byte{"alice": h}, ApproveAbove: 1})
	as := func(r *http.Request) { r.SetBasicAuth("alice", "pw-alice") }
	body, ct := multipartFile(t, "p.csv", names("丁", 3), nil)
	req, _ := http.NewRequest("POST", ts.base+"/api/books", body)
	req.Header.Set("Content-Type", ct)
	as(req)
	resp, err := noRedirect.Do(req)
	require.NoError(t, err)
	var p planJSON
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&p))
	resp.Body.Close()
	status, out := ts.startRun(t, as, p.ID, p.NewOrders)
	require.Equal(t, http.StatusAccepted, status)
	req, _ = http.NewRequest("POST", ts.base+"/api/runs/"+out["run"].(string)+"/stop", nil)
	as(req)
	resp, err = noRedirect.Do(req)
	require.NoError(t, err)
	resp.Body.Close()
	ts.StopAll()
	assert.Zero(t, ts.fake.TotalOrders())
}

// TestStopIsCtrlC: Stop ends a run as Ctrl-C does: no new order after it,
// the results written, exit 4; the next plan polls what was ordered and
// orders nothing again.
func TestStopIsCtrlC(t *testing.T) {
	// The command line's mapping lives in internal/cli (which imports this
	// package); here the stop kind the run ended with is checked.
	exit := func(err error) int {
		var se *batch.StopError
		switch {
		case err == nil:
			return 0
		case errors.As(err, &se) && se.Stop == batch.StopIncomplete:
			return 4
		}
		return 1
	}
	ts := startServer(t, Options{QPS: 20, ExitCode: exit}, qcctest.WithGenDelay(time.Hour))
	p := ts.upload(t, "p.csv", names("戊", 5))
	status, out := ts.startRun(t, ts.bearer, p.ID, 5)
	require.Equal(t, http.StatusAccepted, status, out)
	run := out["run"].(string)
	get := func() runJSON {
		resp := ts.do(t, "GET", "/api/runs/"+run, ts.Token(), nil, nil)
		defer resp.Body.Close()
		var r runJSON
		require.NoError(t, json.NewDecoder(resp.Body).Decode(&r))
		return r
	}
	deadline := time.Now().Add(30 * time.Second)
	for get().Progress.Ordered < 5 {
		require.True(t, time.Now().Before(deadline), "the orders were not placed")
		time.Sleep(20 * time.Millisecond)
	}
	resp := ts.do(t, "POST", "/api/runs/"+run+"/stop", ts.Token(), nil, nil)
	resp.Body.Close()
	require.Equal(t, http.StatusAccepted, resp.StatusCode)
	last, _ := waitDone(t, ts, ts.Token(), run, "")
	require.NotNil(t, last.Exit)
	assert.Equal(t, 4, *last.Exit, "stopped: incomplete, rerun to resume")
	assert.Equal(t, 5, ts.fake.TotalOrders())
	resp = ts.do(t, "GET", "/api/runs/"+run+"/results.xlsx", ts.Token(), nil, nil)
	resp.Body.Close()
	assert.Equal(t, http.StatusOK, resp.StatusCode, "the results are written")
	again := ts.upload(t, "p.csv", names("戊", 5)) // a new book of the same companies has its own ledger
	assert.Equal(t, 5, again.NewOrders)
	resp = ts.do(t, "GET", "/api/books/"+p.ID+"?lang=en", ts.Token(), nil, nil)
	var pj planJSON
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&pj))
	resp.Body.Close()
	assert.Equal(t, 0, pj.NewOrders, "resume orders nothing again")
	assert.Equal(t, 5, pj.Polls, "resume polls the 5 orders")
}

// TestResolveFromUploadedOrderList: a row left uncertain (the order was
// accepted, the answer lost) is settled from the vendor's order list
// uploaded on the page: preview changes nothing, apply makes the next run
// poll that order instead of ordering the company again.
func TestResolveFromUploadedOrderList(t *testing.T) {
	ts := startServer(t, Options{QPS: 20})
	p := ts.upload(t, "p.csv", []byte("企业名称\n掉线科技有限公司\n正常科技有限公司\n"))
	status, out := ts.startRun(t, ts.bearer, p.ID, 2)
	require.Equal(t, http.StatusAccepted, status, out)
	waitDone(t, ts, ts.Token(), out["run"].(string), "")
	require.Equal(t, 2, ts.fake.TotalOrders())

	info := func() bookJSON {
		resp := ts.do(t, "GET", "/api/books/"+p.ID+"/info", ts.Token(), nil, nil)
		defer resp.Body.Close()
		var b bookJSON
		require.NoError(t, json.NewDecoder(resp.Body).Decode(&b))
		return b
	}
	require.Len(t, info().Uncert, 1)
	assert.Equal(t, "掉线科技有限公司", info().Uncert[0].SearchKey)

	var b strings.Builder
	b.WriteString("订单号,查询关键字,下单时间\n")
	for _, o := range ts.fake.OrderList() {
		fmt.Fprintf(&b, "%s,%s,%s\n", o.OrderNo, o.SearchKey, o.At.In(time.FixedZone("UTC+8", 8*3600)).Format("2006-01-02 15:04:05"))
	}
	body, ct := multipartFile(t, "orders.csv", []byte(b.String()), nil)
	resp := ts.do(t, "POST", "/api/books/"+p.ID+"/resolve", ts.Token(), body, map[string]string{"Content-Type": ct})
	var preview resolveJSON
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&preview))
	resp.Body.Close()
	require.Equal(t, http.StatusOK, resp.StatusCode, preview.Error)
	require.Len(t, preview.Actions, 1)
	assert.False(t, preview.Applied)
	assert.Len(t, info().Uncert, 1, "the preview changes nothing")

	resp = ts.do(t, "POST", "/api/books/"+p.ID+"/resolve/"+preview.List+"/apply", ts.Token(), nil, nil)
	var applied resolveJSON
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&applied))
	resp.Body.Close()
	require.Equal(t, http.StatusOK, resp.StatusCode, applied.Error)
	assert.True(t, applied.Applied)
	assert.Empty(t, info().Uncert)

	resp = ts.do(t, "GET", "/api/books/"+p.ID, ts.Token(), nil, nil)
	var pj planJSON
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&pj))
	resp.Body.Close()
	assert.Equal(t, 0, pj.NewOrders, "the resolved company is not ordered again")
	assert.Equal(t, 1, pj.Polls, "its order is polled")
}

// TestCLIRunOnTheSameStateRefused: while the page runs a book, a command-
// line run on the book's state file is refused by the state file's lock,
// and orders nothing.
func TestCLIRunOnTheSameStateRefused(t *testing.T) {
	ts := startServer(t, Options{QPS: 20}, qcctest.WithGenDelay(time.Hour))
	p := ts.upload(t, "p.csv", names("己", 3))
	status, out := ts.startRun(t, ts.bearer, p.ID, 3)
	require.Equal(t, http.StatusAccepted, status, out)
	run := out["run"].(string)
	deadline := time.Now().Add(30 * time.Second)
	for ts.fake.TotalOrders() < 3 {
		require.True(t, time.Now().Before(deadline), "the orders were not placed")
		time.Sleep(20 * time.Millisecond)
	}
	b := ts.book(p.ID)
	cfg := ts.runConfig(b, "en")
	cfg.Output = filepath.Join(t.TempDir(), "cli.xlsx")
	cfg.DownloadDir = ""
	cfg.Limiter = nil
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	_, err := batch.Run(ctx, ts.opt.API, cfg)
	var le *journal.LockedError
	require.ErrorAs(t, err, &le, "a second run on the book's state file")
	assert.Equal(t, 3, ts.fake.TotalOrders(), "the refused run ordered nothing")
	resp := ts.do(t, "POST", "/api/runs/"+run+"/stop", ts.Token(), nil, nil)
	resp.Body.Close()
	waitDone(t, ts, ts.Token(), run, "")
}
