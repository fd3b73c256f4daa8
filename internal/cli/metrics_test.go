package cli

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/qccbatch/qccbatch/client/qcctest"
)

// readMetrics parses a textfile as node_exporter does.
func readMetrics(t *testing.T, path string) map[string]*dto.MetricFamily {
	t.Helper()
	f, err := os.Open(path)
	require.NoError(t, err)
	defer f.Close()
	p := expfmt.NewTextParser(model.LegacyValidation)
	mfs, err := p.TextToMetricFamilies(f)
	require.NoError(t, err)
	return mfs
}

// gauge returns the value of the metric of family name whose labels
// include want.
func gauge(t *testing.T, mfs map[string]*dto.MetricFamily, name string, want map[string]string) float64 {
	t.Helper()
	mf := mfs[name]
	require.NotNil(t, mf, name)
next:
	for _, m := range mf.Metric {
		got := map[string]string{}
		for _, l := range m.Label {
			got[l.GetName()] = l.GetValue()
		}
		for k, v := range want {
			if got[k] != v {
				continue next
			}
		}
		return m.GetGauge().GetValue()
	}
	t.Fatalf("%s%v: no such metric", name, want)
	return 0
}

// TestRun_MetricsFile: --metrics-file writes a textfile that expfmt parses,
// labelled with the book; a later failed run (exit 6 from the API, exit 2
// before anything) keeps the last success time from the state file.
func TestRun_MetricsFile(t *testing.T) {
	srv := qcctest.New(t, qcctest.WithGenDelay(0))
	dir := t.TempDir()
	in := filepath.Join(dir, "book.csv")
	require.NoError(t, os.WriteFile(in, []byte("企业名称,风险等级\n甲科技有限公司,高\n乙科技有限公司,低\n,高\n"), 0o600))
	t.Setenv("QCC_KEY", "sandbox")
	t.Setenv("QCC_SECRET_KEY", "sandbox")
	prom := filepath.Join(dir, "qccbatch.prom")
	args := []string{"run", in, "--lang", "en", "--base-url", srv.BaseURL(), "--quiet", "--poll-interval", "1ms",
		"-o", filepath.Join(dir, "r.csv"), "--metrics-file", prom}
	before := time.Now().Unix()
	code, out := runCLIFor(t, 60*time.Second, append(args, "--refresh-after", "高=1y,低=3y")...)
	require.Equal(t, exitOK, code, out)
	m := readMetrics(t, prom)
	book := map[string]string{"book": "book"}
	success := gauge(t, m, "qccbatch_last_success_timestamp_seconds", book)
	assert.GreaterOrEqual(t, success, float64(before))
	assert.Equal(t, success, gauge(t, m, "qccbatch_last_run_timestamp_seconds", book))
	assert.Zero(t, gauge(t, m, "qccbatch_exit_code", book))
	assert.Equal(t, 2.0, gauge(t, m, "qccbatch_rows", map[string]string{"book": "book", "outcome": "ready"}))
	assert.Equal(t, 1.0, gauge(t, m, "qccbatch_rows", map[string]string{"outcome": "invalid"}))
	assert.Zero(t, gauge(t, m, "qccbatch_rows", map[string]string{"outcome": "uncertain"}))
	assert.Equal(t, 2.0, gauge(t, m, "qccbatch_new_orders", book))
	assert.GreaterOrEqual(t, gauge(t, m, "qccbatch_api_calls", book), 4.0)
	assert.Equal(t, 1.0, gauge(t, m, "qccbatch_due_rows", map[string]string{"rating": "高"}))
	assert.GreaterOrEqual(t, gauge(t, m, "qccbatch_run_duration_seconds", book), 0.0)

	// A new customer, and the key revoked: exit 6; the last success stays.
	require.NoError(t, os.WriteFile(in, []byte("企业名称,风险等级\n甲科技有限公司,高\n乙科技有限公司,低\n丙科技有限公司,低\n"), 0o600))
	srv.SetFatal(103)
	require.NoError(t, os.Remove(prom)) // the last success must come from the state file
	code, out = runCLIFor(t, 60*time.Second, append(args, "--metrics-label", "book=retail", "--metrics-label", "site=sh")...)
	require.Equal(t, exitAccount, code, out)
	m = readMetrics(t, prom)
	retail := map[string]string{"book": "retail", "site": "sh"}
	assert.Equal(t, 6.0, gauge(t, m, "qccbatch_exit_code", retail))
	assert.Equal(t, success, gauge(t, m, "qccbatch_last_success_timestamp_seconds", retail), "kept from the state file")
	assert.GreaterOrEqual(t, gauge(t, m, "qccbatch_last_run_timestamp_seconds", retail), success)

	// An input error (exit 2) before any order: the file is still written.
	code, out = runCLIFor(t, 60*time.Second, append(args, "--refresh-after", "高=1y")...)
	require.Equal(t, exitUsage, code, out)
	assert.Contains(t, out, `"低" in 2 rows (first in row 3)`)
	m = readMetrics(t, prom)
	assert.Equal(t, 2.0, gauge(t, m, "qccbatch_exit_code", book))
	assert.Equal(t, success, gauge(t, m, "qccbatch_last_success_timestamp_seconds", book))
	_, ok := m["qccbatch_rows"]
	assert.False(t, ok, "no row counts from a run that read nothing")
}
