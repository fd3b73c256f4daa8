package serve

import (
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/crypto/bcrypt"
)

// fakeClock is the server's clock in these tests: time moves when the test
// says, and the sign-in delays are recorded instead of slept.
type fakeClock struct {
	mu     sync.Mutex
	t      time.Time
	sleeps []time.Duration
}

func newFakeClock() *fakeClock {
	return &fakeClock{t: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)}
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

func (c *fakeClock) Sleep(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.sleeps = append(c.sleeps, d)
}

func (c *fakeClock) Sleeps() []time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]time.Duration(nil), c.sleeps...)
}

// teamClocked is a team server (alice, bob, carol; password NAME-password)
// on the fake clock.
func teamClocked(t *testing.T, opt Options) (*testServer, *fakeClock) {
	t.Helper()
	clk := newFakeClock()
	opt.Now, opt.Sleep = clk.Now, clk.Sleep
	ts, _ := teamOf(t, opt)
	return ts, clk
}

// signIn posts the sign-in form and returns the session cookie.
func (ts *testServer) signIn(t *testing.T, user, password string) *http.Cookie {
	t.Helper()
	resp := ts.do(t, "POST", "/login", "", strings.NewReader(url.Values{"user": {user}, "password": {password}}.Encode()),
		map[string]string{"Content-Type": "application/x-www-form-urlencoded"})
	resp.Body.Close()
	require.Equal(t, http.StatusSeeOther, resp.StatusCode, "signing in as %s", user)
	for _, c := range resp.Cookies() {
		if c.Name == ts.cookieName() && c.Value != "" {
			return c
		}
	}
	t.Fatalf("no session cookie after signing in as %s", user)
	return nil
}

// withCookie sends a request with cookie c and returns the status and body.
func (ts *testServer) withCookie(t *testing.T, c *http.Cookie, method, path string, hdr map[string]string) (int, string, *http.Response) {
	t.Helper()
	req, err := http.NewRequest(method, ts.base+path, nil)
	require.NoError(t, err)
	req.AddCookie(c)
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	resp, err := noRedirect.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b), resp
}

// auditActions are the actions of the audit log, with their users.
func auditActions(t *testing.T, data string) []map[string]any {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(data, "audit.log"))
	require.NoError(t, err)
	var out []map[string]any
	for _, line := range strings.Split(strings.TrimSpace(string(b)), "\n") {
		if line == "" {
			continue
		}
		var m map[string]any
		require.NoError(t, json.Unmarshal([]byte(line), &m), line)
		out = append(out, m)
	}
	return out
}

func hasAction(acts []map[string]any, user, action string, kv ...string) bool {
	for _, a := range acts {
		if a["user"] != user || a["action"] != action {
			continue
		}
		ok := true
		for i := 0; i+1 < len(kv); i += 2 {
			if a[kv[i]] != kv[i+1] {
				ok = false
			}
		}
		if ok {
			return true
		}
	}
	return false
}

func errorOf(t *testing.T, body string) string {
	t.Helper()
	var e struct{ Error string }
	require.NoError(t, json.Unmarshal([]byte(body), &e), body)
	return e.Error
}

// TestSessionIdleTimeout: a session ends after --session-idle without a
// request (each request restarts the count): then /api/ answers 401 with
// the reason in the page's language, / leads to the sign-in page, which
// says why, and the audit log records the end.
func TestSessionIdleTimeout(t *testing.T) {
	ts, clk := teamClocked(t, Options{})
	c := ts.signIn(t, "alice", "alice-password")
	for range 3 { // 29 minutes apart: the session lives on
		clk.Advance(29 * time.Minute)
		status, body, _ := ts.withCookie(t, c, "GET", "/api/books", nil)
		require.Equal(t, http.StatusOK, status, body)
	}
	clk.Advance(30 * time.Minute)
	status, body, _ := ts.withCookie(t, c, "GET", "/api/books?lang=en", nil)
	assert.Equal(t, http.StatusUnauthorized, status)
	assert.Equal(t, "Your session ended after 30 minutes without a request: sign in again.", errorOf(t, body))
	status, body, _ = ts.withCookie(t, c, "GET", "/api/session?lang=zh", nil)
	assert.Equal(t, http.StatusUnauthorized, status)
	assert.Equal(t, "30 分钟无操作，会话已结束：请重新登录。", errorOf(t, body))

	status, _, resp := ts.withCookie(t, c, "GET", "/", nil)
	assert.Equal(t, http.StatusSeeOther, status)
	assert.Equal(t, "/login", resp.Header.Get("Location"))
	status, body, resp = ts.withCookie(t, c, "GET", "/login", map[string]string{"Accept-Language": "en-GB,en;q=0.9"})
	assert.Equal(t, http.StatusOK, status)
	assert.Contains(t, body, "Your session ended after 30 minutes without a request: sign in again.")
	assert.Contains(t, body, `name="password"`, "the sign-in form")
	cleared := false
	for _, k := range resp.Cookies() {
		cleared = cleared || (k.Name == ts.cookieName() && k.MaxAge < 0)
	}
	assert.True(t, cleared, "the sign-in page clears the ended session's cookie")
	_, body, _ = ts.withCookie(t, c, "GET", "/login?lang=zh", nil)
	assert.Contains(t, body, "30 分钟无操作，会话已结束：请重新登录。")

	// Signing in again works, and the audit log has both sign-ins and the end.
	c2 := ts.signIn(t, "alice", "alice-password")
	status, _, _ = ts.withCookie(t, c2, "GET", "/api/books", nil)
	assert.Equal(t, http.StatusOK, status)
	acts := auditActions(t, ts.data)
	assert.True(t, hasAction(acts, "alice", "login", "via", "form"), "%v", acts)
	assert.True(t, hasAction(acts, "alice", "session_end", "reason", "idle"), "%v", acts)
}

// TestSessionMaxLifetime: a session used every 20 minutes still ends
// --session-max after its sign-in; --session-idle and --session-max are
// the server's options.
func TestSessionMaxLifetime(t *testing.T) {
	ts, clk := teamClocked(t, Options{SessionIdle: 45 * time.Minute, SessionMax: 3 * time.Hour})
	c := ts.signIn(t, "bob", "bob-password")
	for range 8 { // 2 h 40 min of use, 20 minutes apart
		clk.Advance(20 * time.Minute)
		status, body, _ := ts.withCookie(t, c, "GET", "/api/books", nil)
		require.Equal(t, http.StatusOK, status, body)
	}
	clk.Advance(20 * time.Minute) // 3 h after the sign-in
	status, body, _ := ts.withCookie(t, c, "GET", "/api/books?lang=en", nil)
	assert.Equal(t, http.StatusUnauthorized, status)
	assert.Equal(t, "Your session ended 3 hours after sign-in: sign in again.", errorOf(t, body))
	assert.True(t, hasAction(auditActions(t, ts.data), "bob", "session_end", "reason", "max"))

	// The idle timeout is the option's, not the default's.
	c = ts.signIn(t, "bob", "bob-password")
	clk.Advance(44 * time.Minute)
	status, _, _ = ts.withCookie(t, c, "GET", "/api/books", nil)
	assert.Equal(t, http.StatusOK, status)
	clk.Advance(45 * time.Minute)
	status, body, _ = ts.withCookie(t, c, "GET", "/api/books?lang=en", nil)
	assert.Equal(t, http.StatusUnauthorized, status)
	assert.Contains(t, errorOf(t, body), "45 minutes")
}

// TestSignOutEndsTheSession: POST /api/logout ends the session on the
// server: its cookie, replayed, gets 401; a cross-site sign-out is refused
// like every cross-site POST; the audit log records the sign-out.
func TestSignOutEndsTheSession(t *testing.T) {
	ts, _ := teamClocked(t, Options{})
	c := ts.signIn(t, "carol", "carol-password")

	status, body, _ := ts.withCookie(t, c, "POST", "/api/logout", map[string]string{"Sec-Fetch-Site": "cross-site", "Origin": "https://evil.example"})
	assert.Equal(t, http.StatusForbidden, status, body)
	status, _, _ = ts.withCookie(t, c, "GET", "/api/books", nil)
	assert.Equal(t, http.StatusOK, status, "a cross-site sign-out does not end the session")

	status, body, resp := ts.withCookie(t, c, "POST", "/api/logout", map[string]string{"Sec-Fetch-Site": "same-origin"})
	require.Equal(t, http.StatusOK, status, body)
	assert.JSONEq(t, `{"signed_out": "carol"}`, body)
	cleared := false
	for _, k := range resp.Cookies() {
		cleared = cleared || (k.Name == ts.cookieName() && k.MaxAge < 0)
	}
	assert.True(t, cleared, "the cookie is cleared")

	// The cookie replayed: refused, everywhere.
	status, body, _ = ts.withCookie(t, c, "GET", "/api/books?lang=en", nil)
	assert.Equal(t, http.StatusUnauthorized, status)
	assert.Equal(t, "You signed out.", errorOf(t, body))
	status, _, _ = ts.withCookie(t, c, "POST", "/api/books", nil)
	assert.Equal(t, http.StatusUnauthorized, status)
	status, _, _ = ts.withCookie(t, c, "GET", "/", nil)
	assert.Equal(t, http.StatusSeeOther, status)
	status, body, _ = ts.withCookie(t, c, "POST", "/api/logout", nil)
	assert.Equal(t, http.StatusUnauthorized, status, body)

	acts := auditActions(t, ts.data)
	assert.True(t, hasAction(acts, "carol", "login"), "%v", acts)
	assert.True(t, hasAction(acts, "carol", "logout"), "%v", acts)
}

// TestSignOutEndsOpenStreams: the session's event stream still open when
// it signs out ends with it.
func TestSignOutEndsOpenStreams(t *testing.T) {
	ts, _ := teamClocked(t, Options{ApproveAbove: 1})
	c := ts.signIn(t, "alice", "alice-password")
	body, ct := multipartFile(t, "p.csv", names("庚", 2), nil)
	req, _ := http.NewRequest("POST", ts.base+"/api/books", body)
	req.Header.Set("Content-Type", ct)
	req.AddCookie(c)
	resp, err := noRedirect.Do(req)
	require.NoError(t, err)
	var p planJSON
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&p))
	resp.Body.Close()
	req, _ = http.NewRequest("POST", ts.base+"/api/books/"+p.ID+"/runs", strings.NewReader(`{"orders": 2}`))
	req.AddCookie(c)
	resp, err = noRedirect.Do(req)
	require.NoError(t, err)
	var out map[string]any
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&out))
	resp.Body.Close()
	run := out["run"].(string) // waits for an approval: the stream stays open

	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	req, _ = http.NewRequestWithContext(ctx, "GET", ts.base+"/api/runs/"+run+"/events", nil)
	req.AddCookie(c)
	stream, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer stream.Body.Close()
	require.Equal(t, http.StatusOK, stream.StatusCode)
	ended := make(chan error, 1)
	go func() { _, err := io.Copy(io.Discard, stream.Body); ended <- err }()

	status, _, _ := ts.withCookie(t, c, "POST", "/api/logout", nil)
	require.Equal(t, http.StatusOK, status)
	select {
	case err := <-ended:
		assert.NoError(t, err, "the stream ends cleanly")
	case <-ctx.Done():
		t.Fatal("the signed-out session's event stream is still open")
	}
	assert.Zero(t, ts.fake.TotalOrders())
}

// TestRestartEndsSessions: sessions live in the server's memory: a new
// server on the same --data refuses the old session's cookie, and says
// the session is no longer valid.
func TestRestartEndsSessions(t *testing.T) {
	ts, _ := teamClocked(t, Options{})
	c := ts.signIn(t, "alice", "alice-password")
	status, _, _ := ts.withCookie(t, c, "GET", "/api/books", nil)
	require.Equal(t, http.StatusOK, status)

	ts2, _ := teamClocked(t, Options{Data: ts.data})
	replay := &http.Cookie{Name: ts2.cookieName(), Value: c.Value}
	status, body, _ := ts2.withCookie(t, replay, "GET", "/api/books?lang=en", nil)
	assert.Equal(t, http.StatusUnauthorized, status)
	assert.Contains(t, errorOf(t, body), "the server restarted")
	_, page, _ := ts2.withCookie(t, replay, "GET", "/login?lang=en", nil)
	assert.Contains(t, page, "the server restarted")
}

// fromAddr is a client whose connections come from the loopback address
// local (127.0.0.2, say: Linux answers the whole of 127/8).
func fromAddr(local string) *http.Client {
	d := &net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(local)}, Timeout: 10 * time.Second}
	return &http.Client{Transport: &http.Transport{DialContext: d.DialContext}, Timeout: 30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

func basicStatus(t *testing.T, c *http.Client, ts *testServer, user, password string) (int, string, http.Header) {
	t.Helper()
	req, _ := http.NewRequest("GET", ts.base+"/api/books?lang=en", nil)
	req.SetBasicAuth(user, password)
	resp, err := c.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b), resp.Header
}

func formStatus(t *testing.T, c *http.Client, ts *testServer, user, password string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest("POST", ts.base+"/login?lang=en", strings.NewReader(url.Values{"user": {user}, "password": {password}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := c.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// TestSignInThrottled: failed sign-ins with basic credentials wait as the
// form's do, and both are throttled alike, by user name and by client
// address. An attacker (127.0.0.2) guessing alice's password locks alice
// (127.0.0.1) out for one minute only, and locks itself out for longer
// and longer.
func TestSignInThrottled(t *testing.T) {
	ts, clk := teamClocked(t, Options{})
	attacker, alice := fromAddr("127.0.0.2"), fromAddr("127.0.0.1")
	if _, err := attacker.Get(ts.base + "/assets/app.css"); err != nil {
		t.Skipf("no second loopback address here: %v", err)
	}

	// Four basic, one form failure: each waits the sign-in delay.
	for i := range 4 {
		status, body, _ := basicStatus(t, attacker, ts, "alice", "guess")
		require.Equal(t, http.StatusUnauthorized, status, "guess %d: %s", i, body)
		assert.Equal(t, "Wrong user name or password.", errorOf(t, body))
	}
	status, body := formStatus(t, attacker, ts, "alice", "guess")
	require.Equal(t, http.StatusUnauthorized, status)
	assert.Contains(t, body, "Wrong user name or password.")
	assert.Equal(t, []time.Duration{DefaultFailDelay, DefaultFailDelay, DefaultFailDelay, DefaultFailDelay, DefaultFailDelay},
		clk.Sleeps(), "every failure, basic or form, waits the delay")

	// Five in a row: the name waits a minute, on the form and with basic,
	// even with the right password (nothing is checked meanwhile).
	status, _, hdr := basicStatus(t, alice, ts, "alice", "alice-password")
	assert.Equal(t, http.StatusTooManyRequests, status)
	assert.Equal(t, "60", hdr.Get("Retry-After"))
	status, body = formStatus(t, alice, ts, "alice", "alice-password")
	assert.Equal(t, http.StatusTooManyRequests, status)
	assert.Contains(t, body, "Too many failed sign-ins: try again in 60 s.")
	// The attacker's address waits too, whatever the name.
	status, _, _ = basicStatus(t, attacker, ts, "bob", "guess")
	assert.Equal(t, http.StatusTooManyRequests, status)
	// Another person from another address is not concerned.
	status, _, _ = basicStatus(t, alice, ts, "bob", "bob-password")
	assert.Equal(t, http.StatusOK, status)
	assert.Len(t, clk.Sleeps(), 5, "a refused attempt checks nothing")

	clk.Advance(61 * time.Second)
	// The attacker tries again: its address now waits 2 minutes; alice's
	// name is free again once she signed in.
	status, _, _ = basicStatus(t, attacker, ts, "alice", "guess")
	assert.Equal(t, http.StatusUnauthorized, status)
	status, _, hdr = basicStatus(t, attacker, ts, "alice", "guess")
	assert.Equal(t, http.StatusTooManyRequests, status)
	assert.Equal(t, "120", hdr.Get("Retry-After"), "the address's wait doubles")
	status, _, hdr = basicStatus(t, alice, ts, "alice", "alice-password")
	assert.Equal(t, http.StatusTooManyRequests, status, "the sixth failure locked the name one minute again")
	assert.Equal(t, "60", hdr.Get("Retry-After"), "never longer than a minute for the name")
	clk.Advance(61 * time.Second)
	status, _, _ = basicStatus(t, alice, ts, "alice", "alice-password")
	assert.Equal(t, http.StatusOK, status, "alice signs in while the attacker still waits")
	status, _, _ = basicStatus(t, attacker, ts, "alice", "guess")
	assert.Equal(t, http.StatusTooManyRequests, status)

	acts := auditActions(t, ts.data)
	n := 0
	for _, a := range acts {
		if a["action"] == "login_failed" {
			n++
			assert.Equal(t, "alice", a["tried"])
			assert.Equal(t, "127.0.0.2", a["addr"])
		}
	}
	assert.Equal(t, 6, n, "each failed sign-in is in the audit log")
}

// TestUnknownNameLooksLikeAKnownOne: a sign-in with a user name that does
// not exist gets the same answer, the same delay and the same throttling as
// a wrong password of a user that does; and checking it costs as much
// bcrypt work, measured, even when the users' hashes have another cost
// than bcrypt's default (htpasswd -B writes cost 5).
func TestUnknownNameLooksLikeAKnownOne(t *testing.T) {
	users := map[string][]byte{}
	for _, u := range []string{"alice", "bob"} {
		h, err := bcrypt.GenerateFromPassword([]byte(u+"-password"), 6)
		require.NoError(t, err)
		users[u] = h
	}
	clk := newFakeClock()
	ts := startServer(t, Options{Users: users, Now: clk.Now, Sleep: clk.Sleep})
	answers := map[string][]string{}
	for _, name := range []string{"alice", "mallory"} {
		for range 6 {
			status, body, hdr := basicStatus(t, noRedirect, ts, name, "wrong")
			answers[name] = append(answers[name], http.StatusText(status)+" "+body+" "+hdr.Get("Retry-After"))
		}
		clk.Advance(time.Hour + time.Minute) // the address forgets
	}
	assert.Equal(t, answers["alice"], answers["mallory"], "the same answers for a known and an unknown name")
	assert.Contains(t, answers["mallory"][5], "Too Many Requests", "an unknown name is throttled like a known one")
	assert.Len(t, clk.Sleeps(), 10, "the same delay after each failure")

	// The work: interleaved, median of each (the cost check above is the
	// exact one; the timing bound is loose, for a loaded CI machine: the
	// old decoy took 15× longer).
	cost, err := bcrypt.Cost(ts.decoy)
	require.NoError(t, err)
	assert.Equal(t, 6, cost, "the decoy hash has the users' cost")
	var known, unknown []time.Duration
	for range 15 {
		t0 := time.Now()
		ts.checkPassword("alice", "wrong")
		known = append(known, time.Since(t0))
		t0 = time.Now()
		ts.checkPassword("mallory", "wrong")
		unknown = append(unknown, time.Since(t0))
	}
	median := func(d []time.Duration) time.Duration {
		sort.Slice(d, func(i, j int) bool { return d[i] < d[j] })
		return d[len(d)/2]
	}
	mk, mu := median(known), median(unknown)
	t.Logf("median check: known name %v, unknown name %v", mk, mu)
	assert.Less(t, float64(mu), 5*float64(mk), "an unknown name takes much longer: the name's existence shows")
	assert.Less(t, float64(mk), 5*float64(mu), "a known name takes much longer: the name's existence shows")
}

// TestUnknownAPIRouteIsJSON: an unknown /api/ route answers 404 JSON, a
// method a route does not take 405 JSON with Allow, like every API error;
// on a loopback server and on a team server.
func TestUnknownAPIRouteIsJSON(t *testing.T) {
	ts := startServer(t, Options{})
	team, as := teamOf(t, Options{})
	for _, c := range []struct {
		ts   *testServer
		auth func(*http.Request)
	}{{ts, ts.bearer}, {team, as("alice")}} {
		for _, tc := range []struct {
			method, path string
			status       int
			allow        string
		}{
			{"GET", "/api/nope", http.StatusNotFound, ""},
			{"POST", "/api/books/x/y/z", http.StatusNotFound, ""},
			{"GET", "/api/runs/r1/stop", http.StatusMethodNotAllowed, "POST"},
			{"GET", "/api/logout", http.StatusMethodNotAllowed, "POST"},
		} {
			req, _ := http.NewRequest(tc.method, c.ts.base+tc.path, nil)
			c.auth(req)
			resp, err := noRedirect.Do(req)
			require.NoError(t, err)
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			assert.Equal(t, tc.status, resp.StatusCode, "%s %s", tc.method, tc.path)
			assert.Equal(t, "application/json; charset=utf-8", resp.Header.Get("Content-Type"), "%s %s: %s", tc.method, tc.path, b)
			assert.NotEmpty(t, errorOf(t, string(b)))
			assert.Equal(t, tc.allow, resp.Header.Get("Allow"))
		}
	}
	// A page's unknown path keeps the plain 404.
	resp := ts.do(t, "GET", "/nope", ts.Token(), nil, nil)
	resp.Body.Close()
	assert.Equal(t, http.StatusNotFound, resp.StatusCode)
	// Sign-out on a loopback server: nothing to sign out of.
	resp = ts.do(t, "POST", "/api/logout", ts.Token(), nil, nil)
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	assert.Equal(t, http.StatusNotFound, resp.StatusCode)
	assert.NotEmpty(t, errorOf(t, string(b)))
}
