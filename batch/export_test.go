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
	_, err := e.run(context.Background(), nil)
	require.NoError(t, err)
	want := e.results()
	creates, polls, _ := e.srv.Requests()

	// Hold the lock as a running process would.
	j, err := journal.Open(e.cfg.State, journal.Options{})
	require.NoError(t, err)
	defer j.Close()

	full := filepath.Join(e.dir, "export-full.csv")
	rep, err := batch.Export(batch.ExportConfig{State: e.cfg.State, Input: e.cfg.Input, Output: full, Lang: "en"})
	require.NoError(t, err)
	assert.Equal(t, 4, rep.Rows)
	e.cfg.Output = full
	assert.Equal(t, want, e.results(), "export with the input reproduces the run's table")

	short := filepath.Join(e.dir, "export-companies.csv")
	rep, err = batch.Export(batch.ExportConfig{State: e.cfg.State, Output: short, Lang: "en"})
	require.NoError(t, err)
	assert.Equal(t, 2, rep.Companies, "one row per company the state file knows")
	e.cfg.Output = short
	got := map[string]string{}
	for _, r := range e.results() {
		got[r["search_key"]] = r["outcome"]
	}
	assert.Equal(t, map[string]string{"导出测试公司甲": "ready", "这家公司不存在": "not_found"}, got)

	c2, p2, _ := e.srv.Requests()
	assert.Equal(t, creates+polls, c2+p2, "export calls nothing")
}
