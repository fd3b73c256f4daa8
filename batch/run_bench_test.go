package batch_test

import (
	"context"
	"flag"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/qccbatch/qccbatch/batch"
	"github.com/qccbatch/qccbatch/client"
	"github.com/qccbatch/qccbatch/client/qcctest"
	"github.com/qccbatch/qccbatch/ratelimit"
)

var (
	benchRows    = flag.Int("bench.rows", 100_000, "rows of BenchmarkRun's portfolio")
	benchHeapOut = flag.String("bench.heap", "", "BenchmarkRun writes a heap profile here when every row is final (before the results are written)")
)

// BenchmarkRun runs the whole pipeline on -bench.rows companies against the
// sandbox served in-process (no sockets), with --qps 0, and reports the
// peak number of goroutines and the heap in use after the run's work. Use
// -memprofile to see what holds the memory:
//
//	go test ./batch -run '^$' -bench BenchmarkRun -benchtime 1x -bench.rows 1000000 -memprofile mem.out
func BenchmarkRun(b *testing.B) {
	dir := b.TempDir()
	in := filepath.Join(dir, "p.csv")
	var sb strings.Builder
	sb.WriteString("企业名称\n")
	for i := 0; i < *benchRows; i++ {
		fmt.Fprintf(&sb, "基准测试企业%07d有限公司\n", i)
	}
	if err := os.WriteFile(in, []byte(sb.String()), 0o600); err != nil {
		b.Fatal(err)
	}
	sb = strings.Builder{}
	for i := 0; i < b.N; i++ {
		srv := qcctest.NewUnstartedServer(qcctest.WithGenDelay(0))
		c, err := client.New(qcctest.InProcessBaseURL, "sandbox", "sandbox",
			client.WithHTTPClient(&http.Client{Transport: srv.Transport()}))
		if err != nil {
			b.Fatal(err)
		}
		state := filepath.Join(dir, fmt.Sprintf("s%d.qccstate", i))
		var peakG atomic.Int64
		prog := &batch.Progress{}
		stop := make(chan struct{})
		go func() {
			t := time.NewTicker(50 * time.Millisecond)
			defer t.Stop()
			for {
				select {
				case <-stop:
					return
				case <-t.C:
					if g := int64(runtime.NumGoroutine()); g > peakG.Load() {
						peakG.Store(g)
					}
					s := prog.Counters()
					if *benchHeapOut != "" && s.TotalRows > 0 && s.FinalRows == s.TotalRows {
						writeHeap(b, *benchHeapOut)
						*benchHeapOut = ""
					}
				}
			}
		}()
		start := time.Now()
		rep, err := batch.Run(context.Background(), c, batch.Config{
			Input: in, State: state, Output: filepath.Join(dir, "r.xlsx"),
			Concurrency: 16, PollInterval: 100 * time.Millisecond,
			Limiter: ratelimit.New(0), Progress: prog,
		})
		close(stop)
		if err != nil {
			b.Fatal(err)
		}
		secs := time.Since(start).Seconds()
		b.ReportMetric(float64(rep.Rows)/secs, "rows/s")
		b.ReportMetric(float64(rep.APICalls)/secs, "calls/s")
		b.ReportMetric(float64(peakG.Load()), "peak-goroutines")
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		b.ReportMetric(float64(ms.HeapSys)/(1<<20), "heap-sys-MB")
	}
}

func writeHeap(b *testing.B, path string) {
	runtime.GC()
	f, err := os.Create(path)
	if err != nil {
		b.Error(err)
		return
	}
	defer f.Close()
	if err := pprof.WriteHeapProfile(f); err != nil {
		b.Error(err)
	}
}
