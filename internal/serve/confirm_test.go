package serve

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/crypto/bcrypt"
)

// twoNameColumns is a sheet of n rows with two columns of company names:
// A (甲…) and B (乙…). The plan of column A and the plan of column B have
// the same count and other companies.
func twoNameColumns(n int) []byte {
	var b strings.Builder
	b.WriteString("企业名称,关联企业\n")
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&b, "甲测试企业%03d有限公司,乙测试企业%03d有限公司\n", i, i)
	}
	return []byte(b.String())
}

// teamOf starts a team server of alice, bob and carol.
func teamOf(t *testing.T, opt Options) (*testServer, func(user string) func(*http.Request)) {
	t.Helper()
	opt.Users = map[string][]byte{}
	for _, u := range []string{"alice", "bob", "carol"} {
		h, err := bcrypt.GenerateFromPassword([]byte(u+"-password"), bcrypt.MinCost)
		require.NoError(t, err)
		opt.Users[u] = h
	}
	ts := startServer(t, opt)
	return ts, func(user string) func(*http.Request) {
		return func(r *http.Request) { r.SetBasicAuth(user, user+"-password") }
	}
}

// call sends a request as auth and decodes the JSON answer into out.
func (ts *testServer) call(t *testing.T, auth func(*http.Request), method, path, body string, out any) int {
	t.Helper()
	req, err := http.NewRequest(method, ts.base+path, strings.NewReader(body))
	require.NoError(t, err)
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	auth(req)
	resp, err := noRedirect.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	if out != nil {
		require.NoError(t, json.NewDecoder(resp.Body).Decode(out))
	}
	return resp.StatusCode
}

// TestApprovedRunOrdersTheConfirmedPlan: a run waiting for its approval is
// not a blank cheque. The book's reading options change while it waits
// (another column: the same count of other companies); the approval then
// starts nothing: the plan confirmed is not the plan found, and no company
// is ordered.
func TestApprovedRunOrdersTheConfirmedPlan(t *testing.T) {
	ts, as := teamOf(t, Options{ApproveAbove: 3, QPS: 50})
	body, ct := multipartFile(t, "p.csv", twoNameColumns(5), map[string]string{"name_column": "A"})
	req, _ := http.NewRequest("POST", ts.base+"/api/books?lang=en", body)
	req.Header.Set("Content-Type", ct)
	as("alice")(req)
	resp, err := noRedirect.Do(req)
	require.NoError(t, err)
	var p planJSON
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&p))
	resp.Body.Close()
	require.Equal(t, http.StatusCreated, resp.StatusCode, p.Error)
	require.Equal(t, 5, p.NewOrders)

	var out map[string]any
	status := ts.call(t, as("alice"), "POST", "/api/books/"+p.ID+"/runs?lang=en",
		fmt.Sprintf(`{"orders": %d, "digest": %q}`, p.NewOrders, p.Digest), &out)
	require.Equal(t, http.StatusAccepted, status, out)
	run := out["run"].(string)

	// While the run waits, the book is read from column B: 5 other companies.
	var p2 planJSON
	status = ts.call(t, as("alice"), "POST", "/api/books/"+p.ID+"/plan?lang=en", `{"name_column": "B"}`, &p2)
	require.Equal(t, http.StatusOK, status, p2.Error)
	require.Equal(t, 5, p2.NewOrders)
	require.NotEqual(t, p.Digest, p2.Digest, "other companies")

	status = ts.call(t, as("bob"), "POST", "/api/runs/"+run+"/approve", "", nil)
	require.Equal(t, http.StatusAccepted, status)
	var r runJSON
	deadline := time.Now().Add(60 * time.Second)
	for {
		require.Equal(t, http.StatusOK, ts.call(t, as("bob"), "GET", "/api/runs/"+run+"?lang=en", "", &r))
		if r.State == stateDone {
			break
		}
		require.True(t, time.Now().Before(deadline), "the run did not end")
		time.Sleep(20 * time.Millisecond)
	}
	assert.Zero(t, ts.fake.TotalOrders(), "companies ordered that nobody confirmed: %v", ts.fake.OrderCounts())
	assert.Contains(t, r.Error, "plan", "the run says the plan changed")
}

// TestPlanChangedAnswerIsConfirmable: the new plan of a 409 is the plan to
// confirm next: it names no run (the refused one is gone), so the page
// shows its Confirm button, and confirming it starts the run.
func TestPlanChangedAnswerIsConfirmable(t *testing.T) {
	ts := startServer(t, Options{QPS: 50})
	p := ts.upload(t, "p.csv", sampleCSV(t))
	var out struct {
		Error string
		Plan  planJSON
	}
	status := ts.call(t, ts.bearer, "POST", "/api/books/"+p.ID+"/runs?lang=en", `{"orders": 3}`, &out)
	require.Equal(t, http.StatusConflict, status)
	assert.Empty(t, out.Plan.Running, "the new plan names the refused run as running: the page follows a run that does not exist")
	var again planJSON
	require.Equal(t, http.StatusOK, ts.call(t, ts.bearer, "GET", "/api/books/"+p.ID+"?lang=en", "", &again))
	assert.Empty(t, again.Running)
	var started map[string]any
	status = ts.call(t, ts.bearer, "POST", "/api/books/"+p.ID+"/runs?lang=en",
		fmt.Sprintf(`{"orders": %d, "digest": %q}`, out.Plan.NewOrders, out.Plan.Digest), &started)
	require.Equal(t, http.StatusAccepted, status, started)
	waitDone(t, ts, ts.Token(), started["run"].(string), "")
	for k, n := range ts.fake.OrderCounts() {
		assert.Equal(t, 1, n, "orders of %s", k)
	}
	assert.Equal(t, 5, ts.fake.TotalOrders(), "the 5 orders the fake accepts of the 7 confirmed")
}

// TestForeignHostIs403WithUsersOnLoopback: a team server's users on a
// loopback address (--users without a public --addr) keep the DNS
// rebinding rule: a foreign Host is refused whatever the credentials, and
// its login form is not served to a rebound page.
func TestForeignHostIs403WithUsersOnLoopback(t *testing.T) {
	ts, as := teamOf(t, Options{})
	port := ts.Port()
	for _, host := range []string{"evil.example:" + port, "127.0.0.1:1", "192.168.1.5:" + port} {
		req, _ := http.NewRequest("GET", ts.base+"/api/books", nil)
		req.Host = host
		as("alice")(req)
		resp, err := noRedirect.Do(req)
		require.NoError(t, err)
		resp.Body.Close()
		assert.Equal(t, http.StatusForbidden, resp.StatusCode, "basic credentials with Host %s", host)
		resp = ts.do(t, "POST", "/login", "", strings.NewReader("user=alice&password=alice-password"),
			map[string]string{"Host": host, "Content-Type": "application/x-www-form-urlencoded"})
		resp.Body.Close()
		assert.Equal(t, http.StatusForbidden, resp.StatusCode, "sign-in with Host %s", host)
		assert.Empty(t, resp.Cookies(), "no session for Host %s", host)
	}
	for _, host := range []string{"127.0.0.1:" + port, "localhost:" + port} {
		req, _ := http.NewRequest("GET", ts.base+"/api/books", nil)
		req.Host = host
		as("alice")(req)
		resp, err := noRedirect.Do(req)
		require.NoError(t, err)
		resp.Body.Close()
		assert.Equal(t, http.StatusOK, resp.StatusCode, host)
	}
}
