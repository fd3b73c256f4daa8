package results

import (
	"github.com/qccbatch/qccbatch/batch/msg"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/xuri/excelize/v2"

	"github.com/qccbatch/qccbatch/batch/outcome"
)

// summaryLabels maps the labels in column A of the Summary sheet of the
// workbook at path to column B, the first row of each label winning.
func summaryLabels(t *testing.T, path string) map[string]string {
	t.Helper()
	f, err := excelize.OpenFile(path)
	require.NoError(t, err)
	defer func() { _ = f.Close() }()
	rows, err := f.GetRows(summarySheet, excelize.Options{RawCellValue: true})
	require.NoError(t, err)
	got := map[string]string{}
	for _, r := range rows {
		if len(r) < 2 {
			continue
		}
		if _, seen := got[r[0]]; !seen {
			got[r[0]] = r[1]
		}
	}
	return got
}

// TestSummary_OptionalFacts: price, spend, stop reason, polls and formats
// show only when the pipeline filled them.
func TestSummary_OptionalFacts(t *testing.T) {
	tx := textsFor("en")
	optional := []string{tx.stopReason, tx.price, tx.spend, tx.pollsPending, tx.formats, tx.callsPerOrder}

	out := filepath.Join(t.TempDir(), "r.xlsx")
	require.NoError(t, Write(out, nil, sliceSource(nil), Summary{Counts: outcome.NewCounts()}, "en"))
	got := summaryLabels(t, out)
	for _, label := range optional {
		assert.NotContains(t, got, label)
	}
	assert.Equal(t, "0", got[tx.newOrders])

	sum := Summary{NewOrders: 3, APICalls: 7, Price: 29.9, StopReason: msg.Plain("quota"), PollsPending: 2,
		Formats: map[string]int{"word": 1, "pdf": 2}, Counts: outcome.NewCounts()}
	require.NoError(t, Write(out, nil, sliceSource(nil), sum, "en"))
	got = summaryLabels(t, out)
	assert.Equal(t, "quota", got[tx.stopReason])
	assert.Equal(t, "29.9", got[tx.price])
	spend, err := strconv.ParseFloat(got[tx.spend], 64)
	require.NoError(t, err)
	assert.InDelta(t, 89.7, spend, 1e-9)
	assert.Equal(t, "2", got[tx.pollsPending])
	assert.Equal(t, "pdf 2, word 1", got[tx.formats])
	calls, err := strconv.ParseFloat(got[tx.callsPerOrder], 64)
	require.NoError(t, err)
	assert.InDelta(t, 7.0/3, calls, 1e-9)
}

// TestSummary_NeedsAction: each kind counts the rows of its outcomes.
func TestSummary_NeedsAction(t *testing.T) {
	counts := outcome.NewCounts()
	counts[outcome.Uncertain], counts[outcome.Failed] = 4, 1
	counts[outcome.NotFound], counts[outcome.Rejected], counts[outcome.Invalid] = 1, 2, 3
	counts[outcome.Pending], counts[outcome.NotOrdered] = 5, 6
	out := filepath.Join(t.TempDir(), "r.xlsx")
	require.NoError(t, Write(out, nil, sliceSource(nil), Summary{Counts: counts}, "zh"))
	got := summaryLabels(t, out)
	assert.Equal(t, "4", got["结果不确定"])
	assert.Equal(t, "6", got["查询无结果 / 不支持 / 输入无效"])
	assert.Equal(t, "11", got["处理中 / 未下单"])
}
