package results

import (
	"flag"
	"fmt"
	"github.com/qccbatch/qccbatch/batch/msg"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/qccbatch/qccbatch/batch/input"
	"github.com/qccbatch/qccbatch/batch/outcome"
	"github.com/xuri/excelize/v2"
)

// The -update flag rewrites golden files. Another test file of the package may
// register it too; registering only when absent avoids a "flag redefined" panic.
func init() {
	if flag.Lookup("update") == nil {
		flag.Bool("update", false, "rewrite the golden files under testdata")
	}
}

// packageDir is the package's folder, where the golden files are: tests
// that change the current directory still find them.
var packageDir = func() string {
	wd, err := os.Getwd()
	if err != nil {
		panic(err)
	}
	return wd
}()

// updateGolden reports whether -update was given.
func updateGolden() bool {
	f := flag.Lookup("update")
	return f != nil && f.Value.String() == "true"
}

// sampleRow pairs an input row with its result.
type sampleRow struct {
	row input.Row
	res Result
}

// sliceSource yields rows from a slice, then io.EOF.
func sliceSource(rows []sampleRow) Source {
	i := 0
	return func() (input.Row, Result, error) {
		if i == len(rows) {
			return input.Row{}, Result{}, io.EOF
		}
		i++
		return rows[i-1].row, rows[i-1].res, nil
	}
}

func strCell(s string) input.Cell { return input.Cell{Value: s, Type: input.CellString} }
func numCell(s string) input.Cell { return input.Cell{Value: s, Type: input.CellNumber} }

// samplePortfolio is a small portfolio with every outcome, every cell type and
// the classic formula-injection payloads in the user's own columns.
func samplePortfolio() ([]string, []sampleRow, Summary) {
	// The times come in UTC, as the state file has them; the results show
	// them in sum.Location, a fixed +08:00 so the golden files are stable.
	cst := time.FixedZone("CST", 8*3600)
	t0 := time.Date(2025, 3, 1, 1, 30, 0, 0, time.UTC)
	header := []string{"企业名称", "统一社会信用代码", "客户号", "授信额度", "存量客户", "备注"}
	rows := []sampleRow{
		{input.Row{Line: 2, Cells: []input.Cell{strCell("小米科技有限责任公司"), strCell("91110108551385082Q"), numCell("1001"), numCell("5000000.5"), {Value: "TRUE", Type: input.CellBool}, strCell("")}},
			Result{SearchKey: "91110108551385082Q", Outcome: outcome.Ready, Code: "200", Message: msg.Plain("成功"),
				OrderNo: "RB202503010001", ReportStatus: "S", ReportURL: "https://report.example.com/r/RB202503010001.pdf",
				File: "reports/91110108551385082Q_RB202503010001.pdf", OrderedAt: t0, CompletedAt: t0.Add(95 * time.Second)}},
		{input.Row{Line: 3, Cells: []input.Cell{strCell("不存在的公司"), {}, numCell("1002"), numCell("-1"), {Value: "0", Type: input.CellBool}, strCell("=cmd|' /C calc'!A0")}},
			Result{SearchKey: "不存在的公司", Outcome: outcome.NotFound, Code: "201", Message: msg.Plain("查询无结果"), OrderedAt: t0}},
		{input.Row{Line: 4, Cells: []input.Cell{strCell("某某（北京）有限公司"), strCell("91110000ABCDEFGH12"), numCell("1003"), strCell("-1"), {}, strCell("+1")}},
			Result{SearchKey: "91110000ABCDEFGH12", Outcome: outcome.Invalid, Message: msg.Plain("校验位错误：应为 7")}},
		{input.Row{Line: 5, Cells: []input.Cell{strCell("生成失败公司"), {}, numCell("1004"), numCell("0"), {}, strCell("@SUM(A1:A2)")}},
			Result{SearchKey: "生成失败公司", Outcome: outcome.Failed, Code: "200", OrderNo: "RB202503010004",
				ReportStatus: "F", OrderedAt: t0, CompletedAt: t0.Add(time.Minute)}},
		{input.Row{Line: 6, Cells: []input.Cell{strCell("超时公司"), {}, numCell("1005"), numCell("1.5E+3"), {}, strCell("\tTAB")}},
			Result{SearchKey: "超时公司", Outcome: outcome.Uncertain, Message: msg.Plain("timeout after the request was sent"), OrderedAt: t0}},
		{input.Row{Line: 7, Cells: []input.Cell{strCell("处理中公司"), {}, numCell("1006"), {}, {}, strCell("\rCR")}},
			Result{SearchKey: "处理中公司", Outcome: outcome.Pending, Code: "200", OrderNo: "RB202503010006", ReportStatus: "P", OrderedAt: t0}},
		{input.Row{Line: 8, Cells: []input.Cell{strCell("冷却公司"), {}, numCell("1007")}}, // short row: padded
			Result{SearchKey: "冷却公司", Outcome: outcome.NotOrdered, Code: "110", Message: msg.Plain("2 小时内不可重复下单")}},
		{input.Row{Line: 9, Cells: []input.Cell{strCell("社会组织"), strCell("51110000500000000X"), numCell("1008"), {}, {}, strCell("-")}},
			Result{SearchKey: "51110000500000000X", Outcome: outcome.Rejected, Code: "202", Message: msg.Plain("暂不支持")}},
		{input.Row{Line: 10, Cells: []input.Cell{strCell(`Evil "Co"`), {}, numCell("1009"), {}, {}, strCell("")}},
			Result{SearchKey: `Evil "Co"`, Outcome: outcome.Ready, Code: "200", OrderNo: "RB202503010009", ReportStatus: "S",
				ReportURL: `https://report.example.com/r?x=")&cmd|'/C calc'!A0&("`, OrderedAt: t0, CompletedAt: t0.Add(2 * time.Minute)}},
	}
	sum := Summary{
		Input: "portfolio.xlsx", State: "portfolio.xlsx.qccstate",
		Start: t0, End: t0.Add(10 * time.Minute), Version: "v1.2.3",
		Rows: len(rows), Companies: 9, NewOrders: 6, APICalls: 42,
		StopReason: msg.Plain("余额不足（112）：已停止下单，充值后重新运行即可继续"), Price: 30, PollsPending: 5,
		Formats: map[string]int{"pdf": 8, "word": 1}, Location: cst,
		Counts: map[outcome.Outcome]int{outcome.Ready: 2, outcome.Invalid: 1, outcome.NotFound: 1, outcome.Rejected: 1,
			outcome.Failed: 1, outcome.Uncertain: 1, outcome.Pending: 1, outcome.NotOrdered: 1},
	}
	return header, rows, sum
}

// checkGolden compares got with testdata/results/<name>, or rewrites it.
func checkGolden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join(packageDir, "testdata", "results", name)
	if updateGolden() {
		require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o755))
		require.NoError(t, os.WriteFile(path, got, 0o644))
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err, "run go test -run %s -update to create it", t.Name())
	assert.Equal(t, string(want), string(got), "%s differs from the golden file (rerun with -update if the change is intended)", path)
}

func TestWriteResults_Golden(t *testing.T) {
	header, rows, sum := samplePortfolio()
	tests := []struct {
		name, lang, ext string
		header          []string
	}{
		{"portfolio-zh", "zh", ".xlsx", header},
		{"portfolio-en", "en", ".xlsx", header},
		{"portfolio-csv", "zh", ".csv", header},
		{"state-only-en", "en", ".xlsx", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// The file column's links are relative to the workbook's folder;
			// the relative download paths are relative to the current one.
			t.Chdir(t.TempDir())
			out := "results" + tt.ext
			require.NoError(t, Write(out, tt.header, sliceSource(rows), sum, msg.Language(tt.lang)))
			if tt.ext == ".csv" {
				b, err := os.ReadFile(out)
				require.NoError(t, err)
				checkGolden(t, filepath.Join(tt.name, "results.csv"), b)
				return
			}
			checkGolden(t, filepath.Join(tt.name, "results.dump"), dumpWorkbook(t, out))
		})
	}
}

func TestResultsHeader(t *testing.T) {
	tests := []struct {
		lang  string
		first string
		last  string
	}{
		{"zh", "查询关键字", "完成时间"},
		{"en", "search_key", "completed_at"},
		{"", "查询关键字", "完成时间"},
		{"EN", "search_key", "completed_at"},
	}
	for _, tt := range tests {
		t.Run(tt.lang, func(t *testing.T) {
			got := resultsHeader([]string{"a", "b"}, msg.Language(tt.lang))
			require.Len(t, got, 13)
			assert.Equal(t, "a", got[0])
			assert.Equal(t, textsFor(msg.Language(tt.lang)).columns[colRow], got[2])
			assert.Equal(t, tt.first, got[3])
			assert.Equal(t, tt.last, got[12])
		})
	}
}

func TestWriteResults_BadExtension(t *testing.T) {
	_, rows, sum := samplePortfolio()
	out := filepath.Join(t.TempDir(), "results.xls")
	err := Write(out, nil, sliceSource(rows), sum, "zh")
	require.ErrorContains(t, err, "must end in .xlsx or .csv")
	_, statErr := os.Stat(out)
	assert.ErrorIs(t, statErr, os.ErrNotExist, "a refused write creates nothing")
}

// TestWriteResults_SourceReusesCells: a source may hand out the same Cells
// slice for every row; the rows read ahead to measure widths must not change.
func TestWriteResults_SourceReusesCells(t *testing.T) {
	for _, ext := range []string{".xlsx", ".csv"} {
		t.Run(ext, func(t *testing.T) {
			cells := make([]input.Cell, 1)
			i := 0
			next := func() (input.Row, Result, error) {
				if i == 3 {
					return input.Row{}, Result{}, io.EOF
				}
				i++
				cells[0] = strCell(fmt.Sprint("row ", i))
				return input.Row{Line: i + 1, Cells: cells}, Result{Outcome: outcome.Ready}, nil
			}
			out := filepath.Join(t.TempDir(), "r"+ext)
			require.NoError(t, Write(out, []string{"name"}, next, Summary{}, "en"))
			var got []string
			if ext == ".csv" {
				b, _ := os.ReadFile(out)
				for _, line := range strings.Split(string(b), "\r\n")[1:4] {
					got = append(got, strings.Split(line, ",")[0])
				}
			} else {
				f, err := excelize.OpenFile(out)
				require.NoError(t, err)
				defer func() { _ = f.Close() }()
				for r := 2; r <= 4; r++ {
					v, _ := f.GetCellValue(resultsSheet, fmt.Sprint("A", r))
					got = append(got, v)
				}
			}
			assert.Equal(t, []string{"row 1", "row 2", "row 3"}, got, "first column")
		})
	}
}

// TestWriteResults_TimeZone: times are written in RFC 3339 in the Summary's
// Location with its offset, and in time.Local (TZ) without one.
func TestWriteResults_TimeZone(t *testing.T) {
	instant := time.Date(2025, 3, 1, 6, 24, 29, 0, time.UTC)
	rows := []sampleRow{{input.Row{Line: 2}, Result{Outcome: outcome.Pending, OrderedAt: instant}}}
	tests := []struct {
		name string
		loc  *time.Location
		want string
	}{
		{"Beijing", time.FixedZone("CST", 8*3600), "2025-03-01T14:24:29+08:00"},
		{"UTC", time.UTC, "2025-03-01T06:24:29Z"},
		{"west of Greenwich", time.FixedZone("", -(4*3600 + 30*60)), "2025-03-01T01:54:29-04:30"},
		{"nil is time.Local", nil, instant.In(time.Local).Format(time.RFC3339)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			sum := Summary{Start: instant, Location: tt.loc}
			csvOut := filepath.Join(dir, "r.csv")
			require.NoError(t, Write(csvOut, nil, sliceSource(rows), sum, "en"))
			b, err := os.ReadFile(csvOut)
			require.NoError(t, err)
			assert.Contains(t, string(b), ","+tt.want+",\r\n", "ordered_at in the csv")

			xlsxOut := filepath.Join(dir, "r.xlsx")
			require.NoError(t, Write(xlsxOut, nil, sliceSource(rows), sum, "en"))
			f, err := excelize.OpenFile(xlsxOut)
			require.NoError(t, err)
			defer func() { _ = f.Close() }()
			cell, err := excelize.CoordinatesToCellName(colOrderedAt+1, 2)
			require.NoError(t, err)
			got, err := f.GetCellValue(resultsSheet, cell)
			require.NoError(t, err)
			assert.Equal(t, tt.want, got, "ordered_at in the workbook")
			assert.Equal(t, tt.want, summaryLabels(t, xlsxOut)[textsFor("en").start], "run start in the Summary")
		})
	}
}

// TestWriteResults_TZ: without a Location, the times follow the TZ of the
// process, as a run started by cron or systemd with TZ=Asia/Shanghai has it.
func TestWriteResults_TZ(t *testing.T) {
	if out := os.Getenv("QCCBATCH_TZ_OUT"); out != "" {
		rows := []sampleRow{{input.Row{Line: 2}, Result{Outcome: outcome.Pending,
			OrderedAt: time.Date(2025, 3, 1, 6, 24, 29, 0, time.UTC)}}}
		require.NoError(t, Write(out, nil, sliceSource(rows), Summary{}, "en"))
		return
	}
	if _, err := time.LoadLocation("Asia/Shanghai"); err != nil {
		t.Skip("no time zone database:", err)
	}
	out := filepath.Join(t.TempDir(), "r.csv")
	cmd := exec.Command(os.Args[0], "-test.run=^TestWriteResults_TZ$")
	cmd.Env = append(os.Environ(), "QCCBATCH_TZ_OUT="+out, "TZ=Asia/Shanghai")
	b, err := cmd.CombinedOutput()
	require.NoError(t, err, "%s", b)
	b, err = os.ReadFile(out)
	require.NoError(t, err)
	assert.Contains(t, string(b), ",2025-03-01T14:24:29+08:00,")
}
