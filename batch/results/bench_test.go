//go:build !windows

package results

import (
	"fmt"
	"github.com/qccbatch/qccbatch/batch/msg"
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

// syntheticCycle is how many distinct rows syntheticSource builds; it hands
// them out in turn, so the benchmark measures the writer's allocations rather
// than the source's.
const syntheticCycle = 4096

// syntheticSource yields n realistic rows without holding them in memory:
// six input columns (text, code, numbers) and a result of every outcome in
// turn, ready ones with a URL and a file. The orders are placed about 20 a
// second, as at --qps 20, so neighbouring rows share their second.
func syntheticSource(n int) Source {
	t0 := time.Date(2025, 3, 1, 1, 30, 0, 0, time.UTC)
	outcomes := outcome.All()
	type synthetic struct {
		cells []input.Cell
		res   Result
	}
	rows := make([]synthetic, syntheticCycle)
	for i := range rows {
		key := fmt.Sprintf("91110108%09dX", i)
		cells := []input.Cell{
			strCell(fmt.Sprintf("测试企业%07d有限公司", i)),
			strCell(key),
			numCell(strconv.Itoa(100000 + i)),
			numCell(strconv.FormatFloat(float64(i)*12.5, 'f', -1, 64)),
			strCell("华北"),
			strCell(""),
		}
		o := outcomes[i%len(outcomes)]
		res := Result{SearchKey: key, Outcome: o, Code: "200", Message: msg.Plain("成功"),
			OrderNo: fmt.Sprintf("RB%012d", i), ReportStatus: "S"}
		if o == outcome.Ready {
			res.ReportURL = "https://report.example.com/r/" + res.OrderNo + ".pdf"
			res.File = "reports/" + key + "_" + res.OrderNo + ".pdf"
		}
		rows[i] = synthetic{cells, res}
	}
	i := 0
	return func() (input.Row, Result, error) {
		if i == n {
			return input.Row{}, Result{}, io.EOF
		}
		r := rows[i%syntheticCycle]
		r.res.OrderedAt = t0.Add(time.Duration(i) * time.Second / 20)
		r.res.CompletedAt = r.res.OrderedAt.Add(time.Minute)
		i++
		return input.Row{Line: i + 1, Cells: r.cells}, r.res, nil
	}
}

// BenchmarkWriteResults writes the benchmark portfolio to .xlsx and .csv and
// reports the peak resident memory of the process (peak-RSS-MB).
//
//	QCCBATCH_BENCH_ROWS=100000 go test ./batch/results -run '^$' -bench BenchmarkWriteResults -benchtime 1x -benchmem
func BenchmarkWriteResults(b *testing.B) {
	n := benchRows(b)
	header := []string{"企业名称", "统一社会信用代码", "客户号", "授信额度", "区域", "备注"}
	for _, ext := range []string{"xlsx", "csv"} {
		b.Run(ext, func(b *testing.B) {
			out := filepath.Join(b.TempDir(), "results."+ext)
			for b.Loop() {
				sum := Summary{Rows: n, Location: time.FixedZone("CST", 8*3600)}
				if err := Write(out, header, syntheticSource(n), sum, "zh"); err != nil {
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
