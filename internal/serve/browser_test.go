package serve

import (
	"context"
	"encoding/json"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// chromium finds Debian's chromium; without it the test skips, except in
// CI (.ci/run installs it), where it fails.
func chromium(t *testing.T) string {
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("CI") != "" {
		t.Fatal("chromium is not installed, and CI is set: .ci/run installs it (apt-get install -y chromium)")
	}
	t.Skip("chromium is not installed: apt-get install -y chromium runs this test (CI does)")
	return ""
}

// TestBrowser_ConfirmIsThePlanShown: the page confirms the plan it shows,
// not its count only. The page shows 5 new orders of column A; another tab
// reads the book from column B (5 other companies); Confirm on the first
// page must order nothing and show the new plan.
func TestBrowser_ConfirmIsThePlanShown(t *testing.T) {
	exe := chromium(t)
	ts := startServer(t, Options{QPS: 50})
	sheet := filepath.Join(t.TempDir(), "p.csv")
	require.NoError(t, os.WriteFile(sheet, twoNameColumns(5), 0o600))

	deadline, cancelAll := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancelAll()
	actx, cancelAlloc := chromedp.NewExecAllocator(deadline,
		chromedp.ExecPath(exe), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.NoFirstRun, chromedp.NoDefaultBrowserCheck, chromedp.UserDataDir(t.TempDir()),
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-dev-shm-usage", true), chromedp.Flag("lang", "en-US"))
	defer cancelAlloc()
	tab, cancelTab := chromedp.NewContext(actx)
	defer cancelTab()
	waitFor := func(expr string) {
		t.Helper()
		_, err := chromedp.Run(tab, chromedp.Poll[bool](expr, chromedp.WithPollingTimeout(30*time.Second)))
		require.NoError(t, err, "waiting for %s", expr)
	}
	eval := func(expr string) string {
		t.Helper()
		s, err := chromedp.Run(tab, chromedp.Evaluate[string](expr))
		require.NoError(t, err, expr)
		return strings.TrimSpace(s)
	}

	require.NoError(t, chromedp.Do(tab, chromedp.Navigate(ts.base+"/?token="+ts.Token()), chromedp.WaitVisible(chromedp.CSS("#drop"))))
	require.NoError(t, chromedp.Do(tab, chromedp.SetUploadFiles(chromedp.CSS("#file"), []string{sheet}),
		chromedp.WaitVisible(chromedp.CSS("#fig-new"))))
	require.Equal(t, "5", eval(`document.querySelector("#fig-new").textContent`))
	id, ok := strings.CutPrefix(eval(`location.hash`), "#book=")
	require.True(t, ok, "the page names its book in the address")

	// Another tab reads the same book from column B.
	resp := ts.do(t, "POST", "/api/books/"+id+"/plan?lang=en", ts.Token(), strings.NewReader(`{"name_column": "B"}`),
		map[string]string{"Content-Type": "application/json"})
	var p2 planJSON
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&p2))
	resp.Body.Close()
	require.Equal(t, 5, p2.NewOrders, p2.Error)

	require.NoError(t, chromedp.Do(tab, chromedp.Click(chromedp.CSS("#confirm"))))
	waitFor(`!document.querySelector("#plan-changed").hidden || /run=/.test(location.hash)`)
	if _, run, started := strings.Cut(eval(`location.hash`), "run="); started { // let it end, and count its orders
		run, _, _ = strings.Cut(run, "&")
		waitDone(t, ts, ts.Token(), run, "")
	}
	assert.Zero(t, ts.fake.TotalOrders(), "companies ordered that the page did not show: %v", ts.fake.OrderCounts())
	assert.Equal(t, "false", eval(`String(document.querySelector("#plan-changed").hidden)`), "the page says the plan changed")
	assert.NotContains(t, eval(`location.hash`), "run=", "no run started")

	// The new plan is shown, and confirming it orders what it shows.
	require.Equal(t, "false", eval(`String(document.querySelector("#confirm-box").hidden)`), "the new plan can be confirmed")
	require.NoError(t, chromedp.Do(tab, chromedp.Click(chromedp.CSS("#confirm"))))
	waitFor(`/run=/.test(location.hash)`)
	_, run, _ := strings.Cut(eval(`location.hash`), "run=")
	run, _, _ = strings.Cut(run, "&")
	waitDone(t, ts, ts.Token(), run, "")
	counts := ts.fake.OrderCounts()
	assert.Len(t, counts, 5)
	for k, n := range counts {
		assert.True(t, strings.HasPrefix(k, "乙"), "%s is in column B, the plan shown", k)
		assert.Equal(t, 1, n, k)
	}
}

// TestBrowser_SignOut: on a team server a person signs in on the form,
// sees the Sign out button, signs out with it and sees the sign-in form
// again; the session's cookie, replayed, is refused. Screenshots of the
// page with the button and of the form after it go to the test's
// temporary folder (or to $SERVE_SCREENSHOTS, to look at them).
func TestBrowser_SignOut(t *testing.T) {
	exe := chromium(t)
	ts, _ := teamOf(t, Options{})
	shots := os.Getenv("SERVE_SCREENSHOTS")
	if shots == "" {
		shots = t.TempDir()
	}

	deadline, cancelAll := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancelAll()
	actx, cancelAlloc := chromedp.NewExecAllocator(deadline,
		chromedp.ExecPath(exe), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.NoFirstRun, chromedp.NoDefaultBrowserCheck, chromedp.UserDataDir(t.TempDir()),
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-dev-shm-usage", true), chromedp.Flag("lang", "en-US"), chromedp.WindowSize(1100, 700))
	defer cancelAlloc()
	tab, cancelTab := chromedp.NewContext(actx)
	defer cancelTab()
	shoot := func(name string) {
		t.Helper()
		png, err := chromedp.Run(tab, chromedp.FullScreenshot(100))
		require.NoError(t, err)
		require.NoError(t, os.WriteFile(filepath.Join(shots, name), png, 0o600))
	}
	eval := func(expr string) string {
		t.Helper()
		s, err := chromedp.Run(tab, chromedp.Evaluate[string](expr))
		require.NoError(t, err, expr)
		return strings.TrimSpace(s)
	}

	// / leads to the sign-in form; sign in.
	require.NoError(t, chromedp.Do(tab, chromedp.Navigate(ts.base+"/"), chromedp.WaitVisible(chromedp.CSS(`input[name="user"]`))))
	require.NoError(t, chromedp.Do(tab,
		chromedp.SetValue(chromedp.CSS(`input[name="user"]`), "alice"),
		chromedp.SetValue(chromedp.CSS(`input[name="password"]`), "alice-password"),
		chromedp.Click(chromedp.CSS(`button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS("#signout")), chromedp.WaitVisible(chromedp.CSS("#drop"))))
	_, err := chromedp.Run(tab, chromedp.Poll[bool](`document.querySelector("#signout").textContent.trim() !== "sign_out" && document.querySelector("#user").textContent === "alice"`,
		chromedp.WithPollingTimeout(30*time.Second)))
	require.NoError(t, err, "the button's text and the user's name")
	label := eval(`document.querySelector("#signout").textContent`)
	assert.Contains(t, []string{"Sign out", "退出登录"}, label)
	shoot("signed-in.png")

	// The session the browser holds (its cookie is HttpOnly: read it on the server).
	ts.mu.Lock()
	var sid string
	for id, ss := range ts.sessions {
		if ss.ended == "" && ss.user == "alice" {
			sid = id
		}
	}
	ts.mu.Unlock()
	require.NotEmpty(t, sid)
	cookie := &http.Cookie{Name: ts.cookieName(), Value: sid}
	status, _, _ := ts.withCookie(t, cookie, "GET", "/api/books", nil)
	require.Equal(t, http.StatusOK, status)

	require.NoError(t, chromedp.Do(tab, chromedp.Click(chromedp.CSS("#signout")),
		chromedp.WaitVisible(chromedp.CSS(`input[name="password"]`))))
	assert.Equal(t, "/login", eval(`location.pathname`))
	shoot("signed-out.png")

	// The cookie, replayed, no longer works; the page itself leads to the form.
	status, body, _ := ts.withCookie(t, cookie, "GET", "/api/books?lang=en", nil)
	assert.Equal(t, http.StatusUnauthorized, status)
	assert.Equal(t, "You signed out.", errorOf(t, body))
	require.NoError(t, chromedp.Do(tab, chromedp.Navigate(ts.base+"/"), chromedp.WaitVisible(chromedp.CSS(`input[name="user"]`))))
	assert.Equal(t, "/login", eval(`location.pathname`))
	assert.True(t, hasAction(auditActions(t, ts.data), "alice", "logout"))
}
