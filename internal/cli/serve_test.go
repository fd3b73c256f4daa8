package cli

import (
	"bufio"
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/qccbatch/qccbatch/client/qcctest"
)

// startServeCmd runs `qccbatch serve --addr 127.0.0.1:0 ARGS` in-process
// and returns the URL it printed (with the token) and a stop function
// (Ctrl-C) that waits for the command's end.
func startServeCmd(t *testing.T, args ...string) (printed string, stop func()) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	var stderr strings.Builder
	root := newRootCmd()
	root.SetArgs(append([]string{"serve", "--addr", "127.0.0.1:0"}, args...))
	root.SetOut(pw)
	root.SetErr(&stderr)
	done := make(chan error, 1)
	go func() { done <- root.ExecuteContext(ctx); pw.Close() }()
	line, err := bufio.NewReader(pr).ReadString('\n')
	require.NoError(t, err, "reading the banner; stderr: %s", stderr.String())
	go func() { _, _ = io.Copy(io.Discard, pr) }()
	fields := strings.Fields(line)
	require.GreaterOrEqual(t, len(fields), 4, "banner %q", line)
	require.Equal(t, "open", fields[2], "banner %q", line)
	stopped := false
	stop = func() {
		if stopped {
			return
		}
		stopped = true
		cancel()
		select {
		case err := <-done:
			assert.NoError(t, err)
		case <-time.After(30 * time.Second):
			t.Error("serve did not stop after Ctrl-C")
		}
	}
	t.Cleanup(stop)
	return fields[3], stop
}

// splitPrinted returns the base URL and the token of the printed address.
func splitPrinted(t *testing.T, printed string) (base, token string) {
	u, err := url.Parse(printed)
	require.NoError(t, err)
	token = u.Query().Get("token")
	require.NotEmpty(t, token, "the printed URL holds the token")
	return u.Scheme + "://" + u.Host, token
}

// volatileColumns differ between two runs on two fake APIs: order numbers,
// report addresses, local paths and times.
var volatileColumns = map[string]bool{"订单号": true, "order_no": true, "报告地址": true, "report_url": true,
	"本地文件": true, "file": true, "下单时间": true, "ordered_at": true, "完成时间": true, "completed_at": true}

// stableRows reads a results CSV and blanks its volatile columns.
func stableRows(t *testing.T, data []byte) [][]string {
	t.Helper()
	data = bytes.TrimPrefix(data, []byte("\xEF\xBB\xBF"))
	rows, err := csv.NewReader(bytes.NewReader(data)).ReadAll()
	require.NoError(t, err)
	require.NotEmpty(t, rows)
	for c, h := range rows[0] {
		if volatileColumns[h] {
			for _, r := range rows[1:] {
				if c < len(r) && r[c] != "" {
					r[c] = "<set>"
				}
			}
		}
	}
	return rows
}

// cliResults runs `qccbatch run` on a copy of the sample sheet against its
// own fake API and returns its results CSV.
func cliResults(t *testing.T, sheet, lang string) []byte {
	t.Helper()
	fake := qcctest.New(t, qcctest.WithGenDelay(50*time.Millisecond))
	dir := t.TempDir()
	in := filepath.Join(dir, filepath.Base(sheet))
	data, err := os.ReadFile(sheet)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(in, data, 0o600))
	out := filepath.Join(dir, "cli-results.csv")
	code, stdout, errLine := runCLI(t, "run", "--base-url", fake.BaseURL(), "--poll-interval", "100ms", "--lang", lang,
		"--download", filepath.Join(dir, "reports"), "-o", out, in)
	require.Equal(t, 0, code, "%s %s", stdout, errLine)
	res, err := os.ReadFile(out)
	require.NoError(t, err)
	return res
}

// TestServe_ResultsEqualRun: upload → plan → confirm → done over the JSON
// API of `qccbatch serve`; the results equal `qccbatch run`'s on the same
// sheet row by row, and the fake API counted one order per company.
func TestServe_ResultsEqualRun(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	fake := qcctest.New(t, qcctest.WithGenDelay(50*time.Millisecond))
	t.Setenv("QCC_KEY", fake.Key())
	t.Setenv("QCC_SECRET_KEY", fake.Secret())
	printed, stop := startServeCmd(t, "--data", t.TempDir(), "--base-url", fake.BaseURL(), "--poll-interval", "100ms")
	base, token := splitPrinted(t, printed)
	call := func(method, path string, body io.Reader, ct string) (int, []byte) {
		req, err := http.NewRequestWithContext(ctx, method, base+path, body)
		require.NoError(t, err)
		req.Header.Set("Authorization", "Bearer "+token)
		if ct != "" {
			req.Header.Set("Content-Type", ct)
		}
		resp, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		defer resp.Body.Close()
		data, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, data
	}
	sheet := filepath.Join("..", "..", "testdata", "sample", "portfolio.xlsx")
	content, err := os.ReadFile(sheet)
	require.NoError(t, err)
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	fw, _ := mw.CreateFormFile("file", "portfolio.xlsx")
	_, _ = fw.Write(content)
	require.NoError(t, mw.Close())
	status, data := call("POST", "/api/books?lang=zh", &buf, mw.FormDataContentType())
	require.Equal(t, http.StatusCreated, status, string(data))
	var plan struct {
		ID        string
		Rows      int
		Companies int
		NewOrders int `json:"new_orders"`
	}
	require.NoError(t, json.Unmarshal(data, &plan))
	assert.Equal(t, 10, plan.Rows)
	status, data = call("POST", "/api/books/"+plan.ID+"/runs?lang=zh", strings.NewReader(fmt.Sprintf(`{"orders": %d}`, plan.NewOrders)), "application/json")
	require.Equal(t, http.StatusAccepted, status, string(data))
	var started struct{ Run string }
	require.NoError(t, json.Unmarshal(data, &started))
	var snap struct {
		State string
		Exit  *int
		Error string
	}
	for snap.State != "done" {
		require.NoError(t, ctx.Err(), "the run did not end")
		status, data = call("GET", "/api/runs/"+started.Run, nil, "")
		require.Equal(t, http.StatusOK, status)
		require.NoError(t, json.Unmarshal(data, &snap))
		if snap.State != "done" {
			time.Sleep(50 * time.Millisecond)
		}
	}
	require.NotNil(t, snap.Exit)
	assert.Equal(t, 0, *snap.Exit, snap.Error)
	status, served := call("GET", "/api/runs/"+started.Run+"/results.csv", nil, "")
	require.Equal(t, http.StatusOK, status)
	status, ledger := call("GET", "/api/books/"+plan.ID+"/ledger.xlsx", nil, "")
	require.Equal(t, http.StatusOK, status, string(ledger))
	assert.True(t, bytes.HasPrefix(ledger, []byte("PK")), "the ledger is an xlsx workbook")
	stop()

	for k, n := range fake.OrderCounts() {
		assert.Equal(t, 1, n, "orders of %s", k)
	}
	assert.Equal(t, plan.Companies-2, fake.TotalOrders(), "one order per company but the two the fake refuses before ordering")
	want := stableRows(t, cliResults(t, sheet, "zh"))
	got := stableRows(t, served)
	require.Equal(t, len(want), len(got), "rows")
	for i := range want {
		assert.Equal(t, want[i], got[i], "row %d", i+1)
	}
}

func TestServe_DoubleClickRunsServeOpen(t *testing.T) {
	assert.Equal(t, []string{"serve", "--open"}, defaultArgs(nil, true), "double-clicked: the page")
	assert.Empty(t, defaultArgs(nil, false), "from a terminal: the help, as before")
	assert.Equal(t, []string{"run", "x.csv"}, defaultArgs([]string{"run", "x.csv"}, true), "arguments win")
}
