package journal

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sync/atomic"
	"testing"
	"time"

	"github.com/qccbatch/qccbatch/batch/outcome"
)

// BenchmarkJournal_Intents measures durable intents per second with 16
// concurrent writers sharing fsyncs (group commit).
//
//	go test -run '^$' -bench Journal_Intents -benchtime 20000x ./batch/journal
//
// Measured on the 2-core build machine (ext4, other jobs running):
// 14,000-17,400 durable intents/s.
func BenchmarkJournal_Intents(b *testing.B) {
	j, err := Open(filepath.Join(b.TempDir(), "s.qccstate"), Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer j.Close()
	var n atomic.Int64
	b.SetParallelism((16 + runtime.GOMAXPROCS(0) - 1) / runtime.GOMAXPROCS(0))
	b.ResetTimer()
	start := time.Now()
	b.RunParallel(func(pb *testing.PB) {
		ctx := context.Background()
		for pb.Next() {
			key := fmt.Sprintf("91110000%010d", n.Add(1))
			if err := j.Intent(ctx, Key{key, 1}, key); err != nil {
				b.Error(err)
				return
			}
		}
	})
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "intents/s")
}

// writeBenchJournal writes a journal of records over companies: an intent,
// an order, polls and a ready answer per company, round after round.
func writeBenchJournal(b *testing.B, path string, records, companies int) {
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	w := bufio.NewWriterSize(f, 1<<20)
	t0 := time.Date(2025, 3, 1, 9, 0, 0, 0, time.UTC)
	line, _ := encodeRecord(nil, &record{Op: opHeader, Seq: 1, Version: journalVersion, At: t0})
	w.Write(line)
	for i := 0; i < records; i++ {
		c := i % companies
		key := fmt.Sprintf("91110000%010d", c)
		no := fmt.Sprintf("ORD%010d-%d", c, i/companies/4)
		r := &record{Seq: i + 2, Key: key, Format: 1, At: t0.Add(time.Duration(i) * time.Millisecond)}
		switch (i / companies) % 4 {
		case 0:
			r.Op, r.SearchKey = opIntent, key
		case 1:
			r.Op, r.OrderNo = opOrdered, no
		case 2:
			r.Op, r.OrderNo, r.Status = opPolled, no, "P"
		default:
			r.Op, r.OrderNo, r.Status, r.URL = opPolled, no, "S", "https://report.qcc.com/r/"+no+".pdf"
		}
		line, _ = encodeRecord(line[:0], r)
		w.Write(line)
	}
	if err := w.Flush(); err != nil {
		b.Fatal(err)
	}
	f.Close()
}

// BenchmarkJournal_Replay measures opening a journal of 1,000,000 records
// read-only, and the heap the ledger keeps, for many and for few companies.
//
//	go test -run '^$' -bench Journal_Replay -benchtime 3x ./batch/journal
//
// Measured on the 2-core build machine (other jobs running): 0.68 s
// (0.69 s CPU) and 31 MB of heap for 250,000 companies; 0.45 s and 3.4 MB
// for 25,000 companies (before the packed entry: 1.27 s, 114 MB; 0.54 s,
// 11 MB).
func BenchmarkJournal_Replay(b *testing.B) {
	for _, companies := range []int{250_000, 25_000} {
		b.Run(fmt.Sprintf("records=1M/companies=%d", companies), func(b *testing.B) {
			path := filepath.Join(b.TempDir(), "s.qccstate")
			writeBenchJournal(b, path, 1_000_000, companies)
			runtime.GC()
			cpu0 := processCPU()
			var j *Journal
			for b.Loop() {
				var err error
				if j, err = Open(path, Options{ReadOnly: true}); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric((processCPU()-cpu0).Seconds()/float64(b.N), "cpu-s/op")
			runtime.GC()
			var ms runtime.MemStats
			runtime.ReadMemStats(&ms)
			if st := j.Stats(); st.Companies != companies || st.Outcomes[outcome.Ready] != companies {
				b.Fatalf("replayed %+v", st)
			}
			b.ReportMetric(float64(ms.HeapAlloc)/(1<<20), "MB-heap")
			b.ReportMetric(float64(ms.HeapAlloc)/float64(companies), "B/company")
			runtime.KeepAlive(j)
		})
	}
}

// writeLedgerJournal writes a compacted state file of n companies, each
// ready with a sandbox-like order number and report URL (and, with files,
// a downloaded report): the ledger of a finished million-row book.
func writeLedgerJournal(b *testing.B, path string, n int, files bool) {
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	w := bufio.NewWriterSize(f, 1<<20)
	t0 := time.Date(2025, 3, 1, 9, 0, 0, 0, time.UTC)
	line, _ := encodeRecord(nil, &record{Op: opHeader, Seq: 1, Version: journalVersion, At: t0})
	w.Write(line)
	for i := 0; i < n; i++ {
		key := fmt.Sprintf("91110108%09dX", i)
		no := fmt.Sprintf("SBX%013d1S%09d", t0.UnixMilli()+int64(i), i)
		s := &snapshot{Outcome: outcome.Ready, OrderNo: no, Status: "S",
			URL:       "http://127.0.0.1:41234/reports/" + no + ".pdf",
			OrderedAt: t0.Add(time.Duration(i) * time.Millisecond), CompletedAt: t0.Add(time.Minute + time.Duration(i)*time.Millisecond),
			Orders: 1, Intents: 1}
		if files {
			s.File, s.SHA256 = "reports/"+key+"_"+no+".pdf", fmt.Sprintf("%064x", i)
		}
		line, _ = encodeRecord(line[:0], &record{Op: opSnapshot, Seq: i + 2, Key: key, Format: 1, SearchKey: key, State: s})
		w.Write(line)
	}
	if err := w.Flush(); err != nil {
		b.Fatal(err)
	}
	f.Close()
}

// BenchmarkJournal_LedgerMemory measures the live heap a ledger of
// 1,000,000 ready companies keeps, per company: HeapAlloc after a GC,
// with the journal open, minus HeapAlloc before.
//
//	go test -run '^$' -bench Journal_LedgerMemory -benchtime 1x ./batch/journal
//
// Measured on the 2-core build machine: 152 B per company without files,
// 193 B with (before the packed entry: 508 B and 636 B).
func BenchmarkJournal_LedgerMemory(b *testing.B) {
	const n = 1_000_000
	for _, files := range []bool{false, true} {
		b.Run(fmt.Sprintf("companies=1M/files=%v", files), func(b *testing.B) {
			path := filepath.Join(b.TempDir(), "s.qccstate")
			writeLedgerJournal(b, path, n, files)
			var perCompany float64
			for b.Loop() {
				runtime.GC()
				var before, after runtime.MemStats
				runtime.ReadMemStats(&before)
				j, err := Open(path, Options{ReadOnly: true})
				if err != nil {
					b.Fatal(err)
				}
				runtime.GC()
				runtime.ReadMemStats(&after)
				if st := j.Stats(); st.Companies != n {
					b.Fatalf("replayed %+v", st)
				}
				perCompany = float64(int64(after.HeapAlloc)-int64(before.HeapAlloc)) / n
				runtime.KeepAlive(j)
			}
			b.ReportMetric(perCompany, "B/company")
		})
	}
}
