package cli

import (
	"bytes"
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/qccbatch/qccbatch/batch"
	"github.com/qccbatch/qccbatch/batch/outcome"
	"github.com/qccbatch/qccbatch/batch/results"
)

func summaryReport(price float64) *batch.RunSummary {
	counts := outcome.NewCounts()
	counts[outcome.Ready], counts[outcome.Pending] = 3, 9
	return &batch.RunSummary{
		Summary: results.Summary{
			Start: at, End: at.Add(26 * time.Second), Rows: 12, Companies: 12, Counts: counts,
			NewOrders: 12, APICalls: 15, Price: price,
		},
		Downloaded: 3, Output: "p-results.xlsx",
	}
}

func TestSummary_LocalTimes(t *testing.T) {
	var out bytes.Buffer
	writeSummary(&out, "text", "zh", summaryReport(0), nil, beijing)
	got := out.String()
	assert.Contains(t, got, " start=2025-09-30T14:24:29+08:00 end=2025-09-30T14:24:55+08:00 duration=26s ")
	assert.Contains(t, got, "ready=3 ")
	assert.Contains(t, got, "pending=9 ")
	assert.NotContains(t, got, "cost")
	assert.NotContains(t, got, "Z ")

	out.Reset()
	writeSummary(&out, "", "zh", summaryReport(30), errors.New("interrupted"), beijing)
	assert.Contains(t, out.String(), " new_orders=12 cost_yuan=360.00 ")

	out.Reset()
	writeSummary(&out, "json", "zh", summaryReport(30), errors.New("interrupted"), beijing)
	var obj map[string]any
	require.NoError(t, json.Unmarshal(out.Bytes(), &obj))
	assert.Equal(t, "2025-09-30T14:24:29+08:00", obj["start"])
	assert.Equal(t, "2025-09-30T14:24:55+08:00", obj["end"])
	assert.Equal(t, 360.0, obj["cost_yuan"])
	assert.Equal(t, "interrupted", obj["stopped"])
	assert.Equal(t, 26.0, obj["duration_s"])
}

// TestSummary_Human: on a terminal the summary is sentences in --lang: the
// outcomes that occurred, orders with their cost, the time, the file.
func TestSummary_Human(t *testing.T) {
	var out bytes.Buffer
	writeSummary(&out, "human", "zh", summaryReport(30), nil, beijing)
	assert.Equal(t, "汇总：12 行，12 家企业：已完成 3，处理中 9\n"+
		"新下单 12（约 ¥360.00），API 调用 15（降速 0），已下载 3\n"+
		"用时 26s（2025-09-30T14:24:29+08:00 至 2025-09-30T14:24:55+08:00）\n"+
		"结果文件：p-results.xlsx\n", out.String())

	out.Reset()
	writeSummary(&out, "human", "en", summaryReport(0), nil, beijing)
	assert.Equal(t, "summary: 12 rows, 12 companies: ready 3, pending 9\n"+
		"new orders 12, API calls 15 (0 slow-downs), downloaded 3\n"+
		"took 26s (2025-09-30T14:24:29+08:00 to 2025-09-30T14:24:55+08:00)\n"+
		"results: p-results.xlsx\n", out.String())
}
