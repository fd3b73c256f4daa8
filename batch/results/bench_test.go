//go:build !windows

package results

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/qccbatch/qccbatch/batch/input"
	"github.com/qccbatch/qccbatch/batch/outcome"
)

// benchRows is the size of the benchmark portfolio; QCCBATCH_BENCH_ROWS
// overrides the default of 1,000,000 (the most an .xlsx sheet holds is
// 1,048,575 data rows).
func benchRows(b *testing.B) int {
	if s := os.Getenv("QCCBATCH_BENCH_ROWS"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil {
			b.Fatal(err)
		}
		return n
	}
	return 1_000_000
}

// syntheticSource yields n realistic rows without holding them in memory:
// six input columns (text, code, numbers) and a ready result.
func syntheticSource(n int) Source {
	t0 := time.Date(2025, 3, 1, 9, 30, 0, 0, time.FixedZone("CST", 8*3600))
	outcomes := outcome.All()
	i := 0
	cells := make([]input.Cell, 6)
	return func() (input.Row, Result, error) {
		if i == n {
			return input.Row{}, Result{}, io.EOF
		}
		i++
		key := fmt.Sprintf("91110108%09dX", i)
		cells[0] = strCell(fmt.Sprintf("测试企业%07d有限公司", i))
		cells[1] = strCell(key)
		cells[2] = numCell(strconv.Itoa(100000 + i))
		cells[3] = numCell(strconv.FormatFloat(float64(i)*12.5, 'f', -1, 64))
		cells[4] = strCell("华北")
		cells[5] = strCell("")
		o := outcomes[i%len(outcomes)]
		res := Result{SearchKey: key, Outcome: o, Code: "200", Message: "成功",
			OrderNo: fmt.Sprintf("RB%012d", i), ReportStatus: "S", OrderedAt: t0, CompletedAt: t0.Add(time.Minute)}
		if o == outcome.Ready {
			res.ReportURL = "https://report.example.com/r/" + res.OrderNo + ".pdf"
			res.File = "reports/" + key + "_" + res.OrderNo + ".pdf"
		}
		return input.Row{Line: i + 1, Cells: cells}, res, nil
	}
}

// BenchmarkWriteResults writes the benchmark portfolio to .xlsx and .csv and
// reports the peak resident memory of the process (peak-RSS-MB).
//
//	go test ./batch -run '^$' -bench Write/xlsx -benchtime 1x -benchmem
func BenchmarkWriteResults(b *testing.B) {
	n := benchRows(b)
	header := []string{"企业名称", "统一社会信用代码", "客户号", "授信额度", "区域", "备注"}
	for _, ext := range []string{"xlsx", "csv"} {
		b.Run(ext, func(b *testing.B) {
			out := filepath.Join(b.TempDir(), "results."+ext)
			for b.Loop() {
				if err := Write(out, header, syntheticSource(n), Summary{Rows: n}, "zh"); err != nil {
					b.Fatal(err)
				}
			}
			if st, err := os.Stat(out); err == nil {
				b.ReportMetric(float64(st.Size())/(1<<20), "file-MB")
			}
			var ru syscall.Rusage
			if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err == nil {
				b.ReportMetric(float64(ru.Maxrss)/1024, "peak-RSS-MB") // Linux: KiB
			}
			b.ReportMetric(float64(n), "rows")
		})
	}
}
