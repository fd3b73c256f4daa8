package cli

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/qccbatch/qccbatch/batch/journal"
	"github.com/qccbatch/qccbatch/batch/outcome"
)

// writeState builds a state file: two ready reports, one pending order,
// one refusal and one order left without an answer. It returns the journal,
// still open (and locked), and its path.
func writeState(t *testing.T) (*journal.Journal, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "p.csv.qccstate")
	now := time.Date(2025, 3, 1, 9, 0, 0, 0, time.UTC)
	j, err := journal.Open(path, journal.Options{Now: func() time.Time { return now }})
	require.NoError(t, err)
	ctx := context.Background()
	for i, k := range []string{"a", "b", "c"} {
		now = now.Add(time.Duration(i) * 24 * time.Hour)
		require.NoError(t, j.Intent(ctx, journal.Key{ID: k, Format: 1}, k))
		require.NoError(t, j.Ordered(journal.Key{ID: k, Format: 1}, "o-"+k))
		if k != "c" {
			require.NoError(t, j.Polled(journal.Key{ID: k, Format: 1}, journal.Poll{OrderNo: "o-" + k, Status: "S", URL: "https://r/" + k}))
		}
	}
	require.NoError(t, j.Intent(ctx, journal.Key{ID: "d", Format: 1}, "d"))
	require.NoError(t, j.Refused(journal.Key{ID: "d", Format: 1}, journal.Refusal{Code: 201, Message: "查询无结果", Outcome: outcome.NotFound}))
	require.NoError(t, j.Intent(ctx, journal.Key{ID: "e", Format: 1}, "e"))
	return j, path
}

func TestStatus_JSON(t *testing.T) {
	j, path := writeState(t)
	defer j.Close()

	// The run still holds the lock: status reads anyway.
	code, out, errLine := runCLI(t, "status", "--json", path)
	require.Equal(t, 0, code, errLine)
	var got struct {
		Companies    int            `json:"companies"`
		OrdersPlaced int            `json:"orders_placed"`
		Outcomes     map[string]int `json:"outcomes"`
		OldestReport time.Time      `json:"oldest_report"`
		NewestReport time.Time      `json:"newest_report"`
	}
	require.NoError(t, json.Unmarshal([]byte(out), &got), out)
	assert.Equal(t, 5, got.Companies)
	assert.Equal(t, 3, got.OrdersPlaced)
	want := map[string]int{"ready": 2, "pending": 1, "not_found": 1, "uncertain": 1}
	for _, o := range outcome.All() {
		n, ok := got.Outcomes[string(o)]
		assert.True(t, ok, "outcome %s missing", o)
		assert.Equal(t, want[string(o)], n, "outcome %s", o)
	}
	assert.True(t, got.OldestReport.Equal(time.Date(2025, 3, 1, 9, 0, 0, 0, time.UTC)), "oldest %v", got.OldestReport)
	assert.True(t, got.NewestReport.Equal(time.Date(2025, 3, 2, 9, 0, 0, 0, time.UTC)), "newest %v", got.NewestReport)
}

func TestStatus_Text(t *testing.T) {
	j, path := writeState(t)
	require.NoError(t, j.Close())
	code, out, errLine := runCLI(t, "status", path)
	require.Equal(t, 0, code, errLine)
	// The counts, not only the labels: each line of the table.
	for _, want := range []*regexp.Regexp{
		regexp.MustCompile(`(?m)^企业数：\s+5$`),
		regexp.MustCompile(`(?m)^已下单数：\s+3$`),
		regexp.MustCompile(`(?m)^最早报告：\s+2025-03-01T\d\d:00:00(Z|[+-]\d\d:\d\d)$`),
		regexp.MustCompile(`(?m)^\s+ready\s+2\s+已完成$`),
		regexp.MustCompile(`(?m)^\s+not_found\s+1\s+查询无结果$`),
		regexp.MustCompile(`(?m)^\s+uncertain\s+1\s+结果不确定$`),
		regexp.MustCompile(`(?m)^\s+pending\s+1\s+处理中$`),
		regexp.MustCompile(`(?m)^\s+not_ordered\s+0\s+未下单$`),
		regexp.MustCompile(`(?m)^\s+failed\s+0\s+生成失败$`),
	} {
		assert.Regexp(t, want, out)
	}
	code, out, errLine = runCLI(t, "status", "--lang", "en", path)
	require.Equal(t, 0, code, errLine)
	for _, want := range []*regexp.Regexp{
		regexp.MustCompile(`(?m)^companies:\s+5$`),
		regexp.MustCompile(`(?m)^orders placed:\s+3$`),
		regexp.MustCompile(`(?m)^\s+ready\s+2\s+ready$`),
	} {
		assert.Regexp(t, want, out)
	}
}

func TestStatus_Errors(t *testing.T) {
	dir := t.TempDir()
	corrupt := filepath.Join(dir, "corrupt.qccstate")
	{
		j, path := writeState(t)
		require.NoError(t, j.Close())
		data, err := os.ReadFile(path)
		require.NoError(t, err)
		lines := strings.SplitAfter(string(data), "\n")
		lines[2] = strings.Replace(lines[2], `"k":"a"`, `"k":"z"`, 1)
		require.NoError(t, os.WriteFile(corrupt, []byte(strings.Join(lines, "")), 0o600))
	}
	foreign := filepath.Join(dir, "p.csv")
	require.NoError(t, os.WriteFile(foreign, []byte("企业名称\n某公司\n"), 0o600))

	tests := []struct {
		name, path, want string
	}{
		{"missing", filepath.Join(dir, "nope.qccstate"), "does not exist"},
		{"corrupt", corrupt, "line 3"},
		{"not a state file", foreign, "is a portfolio, not a state file: a run on it keeps its state in " + foreign + ".qccstate"},
		{"directory", dir, "directory"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, errLine := runCLI(t, "status", "--lang", "en", tt.path)
			assert.Equal(t, 2, code)
			assert.Contains(t, errLine, tt.want)
			assert.NotContains(t, errLine, "\n")
		})
	}
}

// TestStatus_ErrorsZh: without --lang, a state-file error is a Chinese
// sentence that names the file as given.
func TestStatus_ErrorsZh(t *testing.T) {
	path := filepath.Join(t.TempDir(), "nope.qccstate")
	code, _, errLine := runCLI(t, "status", path)
	assert.Equal(t, 2, code)
	assert.Equal(t, "qccbatch: 状态文件 "+path+" 不存在", errLine)
}

// TestStatus_Damaged: status of a damaged state file prints what it can
// read, under a warning naming repair, and exits 2 (zh and en); after a
// repair that found records lost, it says new orders wait for resolve.
func TestStatus_Damaged(t *testing.T) {
	j, path := writeState(t)
	require.NoError(t, j.Close())
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	lines := strings.SplitAfter(string(data), "\n")
	lines[2] = strings.Replace(lines[2], `"k":"a"`, `"k":"z"`, 1) // a's intent
	lines = append(lines[:5], lines[6:]...)                       // b's intent deleted
	require.NoError(t, os.WriteFile(path, []byte(strings.Join(lines, "")), 0o600))

	code, out, errLine := runCLI(t, "status", "--lang", "en", path)
	assert.Equal(t, 2, code)
	assert.Contains(t, errLine, "line 3")
	assert.Contains(t, errLine, "qccbatch repair "+path)
	assert.NotContains(t, errLine, "move it aside")
	assert.Contains(t, out, "warning: the state file is damaged (lines that cannot be read: 3, 6)")
	assert.Regexp(t, regexp.MustCompile(`(?m)^companies:\s+5$`), out, "what can be read is shown")

	code, out, errLine = runCLI(t, "status", path)
	assert.Equal(t, 2, code)
	assert.Contains(t, errLine, "请运行 `qccbatch repair "+path+"`")
	assert.Contains(t, out, "警告：状态文件已损坏")

	code, out, errLine = runCLI(t, "repair", "--apply", "--lang", "en", path)
	require.Equal(t, 0, code, errLine)
	assert.Contains(t, out, "complete records were lost")
	assert.Contains(t, out, "qccbatch resolve --orders LIST --apply "+path)
	code, out, errLine = runCLI(t, "status", "--lang", "en", path)
	require.Equal(t, 0, code, errLine)
	assert.Contains(t, out, "records lost:")
}
