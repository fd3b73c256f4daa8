package cli

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/qccbatch/qccbatch/client/qcctest"
)

// chromiumPath finds Debian's chromium. Without it the browser test skips,
// except in CI (.ci/run installs it), where it fails.
func chromiumPath(t *testing.T) string {
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

// screenshotDir is where the browser test leaves a picture of each step:
// a temporary folder, or testdata/serve-screenshots (kept in the
// repository) when QCCBATCH_SCREENSHOTS=1, so a test run leaves the
// checkout clean.
func screenshotDir(t *testing.T) string {
	if os.Getenv("QCCBATCH_SCREENSHOTS") == "1" {
		return filepath.Join("..", "..", "testdata", "serve-screenshots")
	}
	return t.TempDir()
}

// TestServe_Browser drives the page in a real browser (headless chromium):
// open the printed URL, upload the sample sheet through the file input,
// read the plan, confirm, watch the run in two tabs, reload one mid-run,
// and download the results, which equal `qccbatch run`'s.
func TestServe_Browser(t *testing.T) {
	exe := chromiumPath(t)
	shots := screenshotDir(t)
	require.NoError(t, os.MkdirAll(shots, 0o755))
	// Reports take 8 s to generate: long enough to watch the run, open a
	// second tab and reload mid-run.
	fake := qcctest.New(t, qcctest.WithGenDelay(8*time.Second))
	t.Setenv("QCC_KEY", fake.Key())
	t.Setenv("QCC_SECRET_KEY", fake.Secret())
	printed, stop := startServeCmd(t, "--data", t.TempDir(), "--base-url", fake.BaseURL(), "--poll-interval", "1s", "--price", "30")
	base, _ := splitPrinted(t, printed)

	deadline, cancelAll := context.WithTimeout(context.Background(), 150*time.Second)
	defer cancelAll()
	actx, cancelAlloc := chromedp.NewExecAllocator(deadline,
		chromedp.ExecPath(exe), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.NoFirstRun, chromedp.NoDefaultBrowserCheck, chromedp.UserDataDir(t.TempDir()),
		chromedp.Flag("disable-quic", true), chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true), chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true), chromedp.Flag("lang", "en-US"),
		chromedp.WindowSize(1200, 1000))
	defer cancelAlloc()
	tab, cancelTab := chromedp.NewContext(actx)
	defer cancelTab()

	shot := func(ctx context.Context, name string) {
		t.Helper()
		png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
		require.NoError(t, err, "screenshot %s", name)
		require.NoError(t, os.WriteFile(filepath.Join(shots, name+".png"), png, 0o644))
	}
	// text reads an element's text in one evaluation: the page redraws its
	// tables on every event, so a node found first may be gone when read.
	text := func(ctx context.Context, sel string) string {
		t.Helper()
		s, err := chromedp.Run(ctx, chromedp.Evaluate[string](fmt.Sprintf(`(document.querySelector(%q) || {}).textContent || ""`, sel)))
		require.NoError(t, err, "text of %s", sel)
		return strings.TrimSpace(s)
	}
	waitFor := func(ctx context.Context, expr string) {
		t.Helper()
		_, err := chromedp.Run(ctx, chromedp.Poll[bool](expr, chromedp.WithPollingTimeout(60*time.Second)))
		require.NoError(t, err, "waiting for %s", expr)
	}

	// 1. The printed URL: the token becomes the cookie and leaves the URL.
	require.NoError(t, chromedp.Do(tab, chromedp.Navigate(printed), chromedp.WaitVisible(chromedp.CSS("#drop"))))
	waitFor(tab, `document.querySelector("[data-msg=drop]").textContent.length > 0`)
	href, err := chromedp.Run(tab, chromedp.Evaluate[string]("location.href"))
	require.NoError(t, err)
	assert.NotContains(t, href, "token", "the token is dropped from the address bar")
	shot(tab, "01-open")

	// 2. Upload the sample sheet through the file input; the plan appears.
	sheet, err := filepath.Abs(filepath.Join("..", "..", "testdata", "sample", "portfolio.xlsx"))
	require.NoError(t, err)
	require.NoError(t, chromedp.Do(tab, chromedp.SetUploadFiles(chromedp.CSS("#file"), []string{sheet}),
		chromedp.WaitVisible(chromedp.CSS("#fig-new"))))
	assert.Equal(t, "10", text(tab, "#fig-rows"))
	assert.Equal(t, "7", text(tab, "#fig-companies"))
	assert.Equal(t, "2", text(tab, "#fig-invalid"))
	assert.Equal(t, "1", text(tab, "#fig-duplicates"))
	assert.Equal(t, "7", text(tab, "#fig-new"))
	assert.Equal(t, "210.00", text(tab, "#fig-cost"))
	require.NoError(t, chromedp.Do(tab, chromedp.Click(chromedp.CSS("#invalid-box summary")), chromedp.Click(chromedp.CSS("#dup-box summary"))))
	shot(tab, "02-plan")
	// The same plan in Chinese, from the same catalogue.
	require.NoError(t, chromedp.Do(tab, chromedp.Click(chromedp.CSS("#lang"))))
	waitFor(tab, `document.querySelector("[data-msg=plan_title]").textContent === "计划"`)
	shot(tab, "03-plan-zh")
	require.NoError(t, chromedp.Do(tab, chromedp.Click(chromedp.CSS("#lang"))))
	waitFor(tab, `document.querySelector("[data-msg=plan_title]").textContent === "The plan"`)

	// 3. Confirm; the run starts and the page follows it.
	require.NoError(t, chromedp.Do(tab, chromedp.Click(chromedp.CSS("#confirm")), chromedp.WaitVisible(chromedp.CSS("#live-final"))))
	waitFor(tab, `/run=/.test(location.hash)`)
	hash, err := chromedp.Run(tab, chromedp.Evaluate[string]("location.hash"))
	require.NoError(t, err)
	shot(tab, "04-running")

	// 4. A second tab on the same run sees the same progress.
	tab2, cancelTab2 := chromedp.NewContext(tab)
	defer cancelTab2()
	require.NoError(t, chromedp.Do(tab2, chromedp.Navigate(base+"/"+hash), chromedp.WaitVisible(chromedp.CSS("#live-final"))))
	shot(tab2, "05-second-tab")

	// 5. A reload mid-run reconnects: the new page reads the run's events
	// again (the rows kept, the latest progress) and goes on.
	state := text(tab, "#run-state")
	assert.NotEqual(t, "done", state, "the run is still going when the page reloads")
	require.NoError(t, chromedp.Do(tab, chromedp.Reload(), chromedp.WaitVisible(chromedp.CSS("#live-final"))))
	waitFor(tab, `document.getElementById("run-state").className === "state-running"`)
	// Both tabs show the same progress: the 5 orders the fake accepts of the 7 confirmed.
	waitFor(tab, `(document.getElementById("live-ordered") || {}).textContent === "5 / 7"`)
	waitFor(tab2, `(document.getElementById("live-ordered") || {}).textContent === "5 / 7"`)
	shot(tab, "06-reloaded")

	// 6. Both tabs see the end.
	waitFor(tab, `!!document.getElementById("live-exit")`)
	waitFor(tab2, `!!document.getElementById("live-exit")`)
	assert.Equal(t, "0", text(tab, "#live-exit"))
	assert.Equal(t, "0", text(tab2, "#live-exit"))
	assert.Equal(t, text(tab, "#live-final"), text(tab2, "#live-final"))
	// The rows that need a person appeared as they became final: the
	// failed, not found and rejected companies, in both tabs.
	assert.Equal(t, "3", text(tab, "#action-n"))
	assert.Equal(t, "3", text(tab2, "#action-n"))
	shot(tab, "07-done")

	// 7. Download the results through the page's link.
	dl := t.TempDir()
	_, err = chromedp.Run(tab, chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
		_, err := chromedp.Call(ctx, browser.SetDownloadBehavior, browser.SetDownloadBehaviorParams{
			Behavior: browser.SetDownloadBehaviorBehaviorAllow, DownloadPath: dl})
		return err
	}))
	require.NoError(t, err)
	require.NoError(t, chromedp.Do(tab, chromedp.Click(chromedp.CSS("#dl-csv"))))
	var served []byte
	for end := time.Now().Add(30 * time.Second); time.Now().Before(end); time.Sleep(100 * time.Millisecond) {
		if b, err := os.ReadFile(filepath.Join(dl, "portfolio-results.csv")); err == nil && len(b) > 0 {
			served = b
			break
		}
	}
	require.NotEmpty(t, served, "the results download")
	require.NoError(t, chromedp.Do(tab, chromedp.ScrollIntoView(chromedp.CSS("#books"))))
	shot(tab, "08-books")
	cancelTab2()
	cancelTab()
	stop()

	for k, n := range fake.OrderCounts() {
		assert.Equal(t, 1, n, "orders of %s", k)
	}
	want := stableRows(t, cliResults(t, sheet, "en"))
	got := stableRows(t, served)
	require.Equal(t, len(want), len(got), "rows")
	for i := range want {
		assert.Equal(t, want[i], got[i], "row %d", i+1)
	}
}
