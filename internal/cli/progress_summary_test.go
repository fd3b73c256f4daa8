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
	assert.Equal(t, "汇总：12 行（12 家企业）：已完成 3 行，处理中 9 行\n"+
		"新下单 12（约 ¥360.00），API 调用 15（降速 0），已下载 3\n"+
		"用时 26s（2025-09-30T14:24:29+08:00 至 2025-09-30T14:24:55+08:00）\n"+
		"结果文件：p-results.xlsx\n", out.String())

	out.Reset()
	writeSummary(&out, "human", "en", summaryReport(0), nil, beijing)
	assert.Equal(t, "summary: 12 rows (12 companies): ready 3 rows, pending 9 rows\n"+
		"new orders 12, API calls 15 (0 slow-downs), downloaded 3\n"+
		"took 26s (2025-09-30T14:24:29+08:00 to 2025-09-30T14:24:55+08:00)\n"+
		"results: p-results.xlsx\n", out.String())
}

// TestSummary_RowsAndCompanies: rows and companies are counted apart, in
// the total and per outcome ("22 行（15 家企业）：已完成 16 行（11 家）"), and
// the companies planned for ordering are set against the new orders when
// the run ordered fewer.
func TestSummary_RowsAndCompanies(t *testing.T) {
	rep := summaryReport(0)
	rep.Rows, rep.Companies = 22, 15
	rep.Counts = outcome.NewCounts()
	rep.Counts[outcome.Ready], rep.Counts[outcome.NotOrdered], rep.Counts[outcome.Invalid] = 16, 4, 2
	rep.CompanyCounts = outcome.NewCounts()
	rep.CompanyCounts[outcome.Ready], rep.CompanyCounts[outcome.NotOrdered] = 11, 4
	rep.NewOrders, rep.ToOrder = 11, 15
	var out bytes.Buffer
	writeSummary(&out, "human", "zh", rep, nil, beijing)
	assert.Contains(t, out.String(), "汇总：22 行（15 家企业）：已完成 16 行（11 家），输入无效 2 行，未下单 4 行（4 家）\n")
	assert.Contains(t, out.String(), "计划下单 15 家，本次新下单 11 家；其余 4 家未下单")
	out.Reset()
	writeSummary(&out, "human", "en", rep, nil, beijing)
	assert.Contains(t, out.String(), "summary: 22 rows (15 companies): ready 16 rows (11 companies), invalid 2 rows, not_ordered 4 rows (4 companies)\n")
}
