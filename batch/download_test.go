package batch_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/qccbatch/qccbatch/batch"
	"github.com/qccbatch/qccbatch/client"
)

// urlRewriter hands out report URLs on another server, to test downloads
// that go wrong.
type urlRewriter struct {
	batch.API
	base string
}

func (u urlRewriter) GetReportInfo(ctx context.Context, orderNo string) (client.ReportInfo, error) {
	info, err := u.API.GetReportInfo(ctx, orderNo)
	if info.URL != "" {
		info.URL = u.base + "/" + orderNo + ".pdf"
	}
	return info, err
}

func dirEntries(t *testing.T, dir string) []string {
	t.Helper()
	ents, err := os.ReadDir(dir)
	require.NoError(t, err)
	var names []string
	for _, e := range ents {
		names = append(names, e.Name())
	}
	return names
}

func TestRun_DownloadAndSkipOnRerun(t *testing.T) {
	e := newEnv(t, []string{"下载测试公司甲", "下载/测试..公司乙"})
	e.cfg.DownloadDir = filepath.Join(e.dir, "reports")
	require.NoError(t, os.Mkdir(e.cfg.DownloadDir, 0o700))
	_, err := e.run(context.Background(), nil)
	require.NoError(t, err)
	rows := e.results()
	for _, r := range rows {
		require.Equal(t, "ready", r["outcome"])
		require.NotEmpty(t, r["file"])
		assert.Equal(t, e.cfg.DownloadDir, filepath.Dir(r["file"]), "stays inside the download directory")
		data, err := os.ReadFile(r["file"])
		require.NoError(t, err)
		assert.True(t, strings.HasPrefix(string(data), "%PDF-"))
	}
	assert.Len(t, dirEntries(t, e.cfg.DownloadDir), 2, "no temp files left")
	_, _, downloads := e.srv.Requests()

	_, err = e.run(context.Background(), nil)
	require.NoError(t, err)
	_, _, again := e.srv.Requests()
	assert.Equal(t, downloads, again, "files with a matching sha256 are not fetched again")

	// A file deleted by hand is fetched again by the next run.
	require.NoError(t, os.Remove(rows[0]["file"]))
	_, err = e.run(context.Background(), nil)
	require.NoError(t, err)
	_, _, third := e.srv.Requests()
	assert.Equal(t, downloads+1, third)
	assert.FileExists(t, rows[0]["file"])
}

func TestRun_DownloadNotAPDF(t *testing.T) {
	var bad atomic.Bool
	bad.Store(true)
	files := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if bad.Load() {
			w.Header().Set("Content-Type", "text/html")
			_, _ = w.Write([]byte("<html><body>登录已过期</body></html>"))
			return
		}
		_, _ = w.Write([]byte("%PDF-1.4\n%%EOF\n"))
	}))
	defer files.Close()
	e := newEnv(t, []string{"下载测试公司丙"})
	e.cfg.DownloadDir = filepath.Join(e.dir, "reports")
	require.NoError(t, os.Mkdir(e.cfg.DownloadDir, 0o700))
	api := urlRewriter{API: e.client("sandbox", "sandbox"), base: files.URL}

	_, err := e.run(context.Background(), api)
	var se *batch.StopError
	require.ErrorAs(t, err, &se)
	assert.Equal(t, batch.StopIncomplete, se.Stop, "a failed download asks for a rerun")
	row := e.results()[0]
	assert.Equal(t, "ready", row["outcome"])
	assert.Contains(t, row["message"], "not a PDF")
	assert.Empty(t, row["file"])
	assert.Empty(t, dirEntries(t, e.cfg.DownloadDir), "nothing kept, no temp file")

	bad.Store(false)
	_, err = e.run(context.Background(), api)
	require.NoError(t, err)
	row = e.results()[0]
	assert.NotEmpty(t, row["file"])
	assert.Empty(t, row["message"])
	assert.Equal(t, 1, e.srv.Orders("下载测试公司丙"), "retrying a download never re-orders")
}

func TestRun_DownloadInterruptedMidway(t *testing.T) {
	files := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", "100000")
		_, _ = w.Write([]byte("%PDF-1.4\n" + strings.Repeat("x", 1000)))
		w.(http.Flusher).Flush()
		conn, _, err := w.(http.Hijacker).Hijack()
		if err == nil {
			conn.Close()
		}
	}))
	defer files.Close()
	e := newEnv(t, []string{"下载测试公司丁"})
	e.cfg.DownloadDir = filepath.Join(e.dir, "reports")
	require.NoError(t, os.Mkdir(e.cfg.DownloadDir, 0o700))
	e.cfg.Backoff.Attempts = 2
	_, err := e.run(context.Background(), urlRewriter{API: e.client("sandbox", "sandbox"), base: files.URL})
	require.Error(t, err)
	row := e.results()[0]
	assert.Equal(t, "ready", row["outcome"])
	assert.Contains(t, row["message"], "download failed")
	assert.Empty(t, dirEntries(t, e.cfg.DownloadDir), "no half-written report left behind")
}
