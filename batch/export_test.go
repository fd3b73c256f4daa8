package batch_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/qccbatch/qccbatch/batch"
	"github.com/qccbatch/qccbatch/batch/journal"
)

// TestExport rebuilds the results from the state file alone: with the input,
// the same table the run wrote; without it, one row per company. It works
// while another process holds the state file's lock.
func TestExport(t *testing.T) {
	e := newEnv(t, []string{"导出测试公司甲", "这家公司不存在", "导出测试公司甲", "X"})
	e.cfg.Concurrency = 1 // the state file first sees the companies in input order
	_, err := e.run(context.Background(), nil)
	require.NoError(t, err)
	want := e.results()
	creates, polls, _ := e.srv.Requests()

	// Hold the lock as a running process would.
	j, err := journal.Open(e.cfg.State, journal.Options{})
	require.NoError(t, err)
	defer j.Close()

	full := filepath.Join(e.dir, "export-full.csv")
	rep, err := batch.Export(batch.ExportConfig{State: e.cfg.State, Input: e.cfg.Input, Output: full, ResultsLang: "en"})
	require.NoError(t, err)
	assert.Equal(t, 4, rep.Rows)
	e.cfg.Output = full
	assert.Equal(t, want, e.results(), "export with the input reproduces the run's table")

	short := filepath.Join(e.dir, "export-companies.csv")
	rep, err = batch.Export(batch.ExportConfig{State: e.cfg.State, Output: short, ResultsLang: "en"})
	require.NoError(t, err)
	assert.Equal(t, 2, rep.Companies, "one row per company the state file knows")
	e.cfg.Output = short
	// One row per company, in the order the state file first saw them,
	// the same order every time (not map order).
	for range 5 {
		_, err = batch.Export(batch.ExportConfig{State: e.cfg.State, Output: short, ResultsLang: "en"})
		require.NoError(t, err)
		var got [][2]string
		for _, r := range e.results() {
			got = append(got, [2]string{r["search_key"], r["outcome"]})
		}
		assert.Equal(t, [][2]string{{"导出测试公司甲", "ready"}, {"这家公司不存在", "not_found"}}, got)
	}

	c2, p2, _ := e.srv.Requests()
	assert.Equal(t, creates+polls, c2+p2, "export calls nothing")
}
