package batch

import (
	"bytes"
	"fmt"
	"path/filepath"
	"regexp"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/xuri/excelize/v2"

	"github.com/qccbatch/qccbatch/batch/identifier"
	"github.com/qccbatch/qccbatch/batch/input"
	"github.com/qccbatch/qccbatch/batch/results"
)

// TestResults_RowColumnMatchesValidate: on a sheet with an instructions
// sheet, title lines above the header and a totals row, the results' row
// column (原行号) holds the sheet row that validate names ("第 15 行"),
// not the row's place in the results, and the Summary keeps the title
// lines.
func TestResults_RowColumnMatchesValidate(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "book.xlsx")
	f := excelize.NewFile()
	require.NoError(t, f.SetSheetName("Sheet1", "填写说明"))
	require.NoError(t, f.SetCellStr("填写说明", "A1", "统一社会信用代码为 18 位"))
	_, err := f.NewSheet("清单")
	require.NoError(t, err)
	require.NoError(t, f.SetCellStr("清单", "A1", "对公客户复核清单"))
	require.NoError(t, f.SetCellStr("清单", "A2", "制表：运营部"))
	require.NoError(t, f.SetSheetRow("清单", "A4", &[]any{"序号", "企业名称", "统一社会信用代码"}))
	codes := []string{"914403001922038216", "91110108551385082Q", "914403001922038217", "91310000MA1FL1234X"}
	for i, c := range codes {
		require.NoError(t, f.SetSheetRow("清单", fmt.Sprintf("A%d", 5+i), &[]any{i + 1, fmt.Sprint("公司", i+1), c}))
	}
	require.NoError(t, f.SetSheetRow("清单", "A9", &[]any{"合计", "", "4 户"}))
	require.NoError(t, f.SaveAs(path))
	require.NoError(t, f.Close())

	p, err := ScanPortfolio(path, input.Options{}, identifier.Options{})
	require.NoError(t, err)
	var plan bytes.Buffer
	p.WritePlan(&plan, "zh")
	p.WriteRows(&plan, "zh", 20)
	named := map[int]bool{}
	for _, m := range regexp.MustCompile(`第 (\d+) 行：`).FindAllStringSubmatch(plan.String(), -1) {
		n, _ := strconv.Atoi(m[1])
		named[n] = true
	}
	require.NotEmpty(t, named, "validate names the invalid rows:\n%s", plan.String())

	out := filepath.Join(dir, "out.xlsx")
	require.NoError(t, p.WriteLocalResults(out, results.Summary{Input: path}, "zh"))
	rf, err := excelize.OpenFile(out)
	require.NoError(t, err)
	defer func() { _ = rf.Close() }()
	rows, err := rf.GetRows("Results")
	require.NoError(t, err)
	require.Equal(t, "原行号", rows[0][3])
	seen := map[int]bool{}
	for i, r := range rows[1:] {
		n, err := strconv.Atoi(r[3])
		require.NoError(t, err, "results row %d", i+2)
		assert.Equal(t, int(p.RowLine[i]), n, "results row %d", i+2)
		if len(r) > 5 && r[5] == "输入无效" {
			seen[n] = true
		}
	}
	assert.Equal(t, named, seen, "the rows validate names are the invalid rows of the results, by the same number")
	assert.Equal(t, "5", rows[1][3], "the first customer is sheet row 5, results row 2")
	summary, err := rf.GetRows("Summary")
	require.NoError(t, err)
	assert.Equal(t, []string{"输入文件标题", "对公客户复核清单"}, summary[0])
	assert.Equal(t, []string{"", "制表：运营部"}, summary[1])
}
