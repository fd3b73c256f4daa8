package batch

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/qccbatch/qccbatch/batch/identifier"
	"github.com/qccbatch/qccbatch/batch/input"
)

// BenchmarkScanPortfolio is pass 1 (read, classify, de-duplicate) of a CSV
// portfolio of distinct companies with valid codes.
func BenchmarkScanPortfolio(b *testing.B) {
	for _, n := range []int{100_000, 1_000_000} {
		b.Run(fmt.Sprintf("rows=%d", n), func(b *testing.B) {
			p := filepath.Join(b.TempDir(), "p.csv")
			f, err := os.Create(p)
			require.NoError(b, err)
			w := bufio.NewWriter(f)
			w.WriteString("\ufeff序号,企业名称,统一社会信用代码\r\n")
			for i := range n {
				first := fmt.Sprintf("91440300%09d", i)
				c, _ := identifier.USCCCheckChar(first)
				fmt.Fprintf(w, "%d,测试企业%07d有限公司,%s%c\r\n", i+1, i, first, c)
			}
			require.NoError(b, w.Flush())
			require.NoError(b, f.Close())
			b.ResetTimer()
			start := time.Now()
			for range b.N {
				pf, err := ScanPortfolio(p, input.Options{}, identifier.Options{})
				require.NoError(b, err)
				require.Equal(b, n, pf.Rows)
			}
			b.ReportMetric(float64(n*b.N)/time.Since(start).Seconds(), "rows/s")
		})
	}
}
