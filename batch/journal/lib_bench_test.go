package journal

import (
	"bytes"
	"encoding/json"
	"fmt"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/qccbatch/qccbatch/batch/outcome"
)

// The journal's hand-written parts, each against the library it replaces:
// the record decoder (decode.go, jscan.go) against json.Unmarshal, the
// encoder (encode.go) against encoding/json's Encoder, the ledger's hash
// table (table.go) against a Go map. The numbers are in the comment above
// each component. Run them interleaved (each benchmark's two sides are
// sub-benchmarks, so -count alternates them) and compare with benchstat:
//
//	go test -run '^$' -bench 'Lib_' -count 5 -benchmem ./batch/journal | tee lib.txt
//	benchstat -col /impl lib.txt

// benchRecords returns 100,000 records of the hot path: per company an
// intent, an order, a pending and a ready poll over 25,000 companies, or
// (snapshots) one compaction snapshot per company for 100,000 companies.
func benchRecords(snapshots bool) []*record {
	const n = 100_000
	t0 := time.Date(2025, 3, 1, 9, 0, 0, 0, time.UTC)
	rs := make([]*record, 0, n)
	for i := 0; i < n; i++ {
		if snapshots {
			key := fmt.Sprintf("91110108%09dX", i)
			no := fmt.Sprintf("SBX%013d1S%09d", t0.UnixMilli()+int64(i), i)
			rs = append(rs, &record{Op: opSnapshot, Seq: i + 2, Key: key, Format: 1, SearchKey: key, State: &snapshot{
				Outcome: outcome.Ready, OrderNo: no, Status: "S", URL: "http://127.0.0.1:41234/reports/" + no + ".pdf",
				File: "reports/" + key + "_" + no + ".pdf", SHA256: fmt.Sprintf("%064x", i),
				OrderedAt: t0.Add(time.Duration(i) * time.Millisecond), CompletedAt: t0.Add(time.Minute + time.Duration(i)*time.Millisecond),
				Orders: 1, Intents: 1}})
			continue
		}
		const companies = 25_000
		c := i % companies
		key := fmt.Sprintf("91110000%010d", c)
		no := fmt.Sprintf("ORD%010d-0", c)
		r := &record{Seq: i + 2, Key: key, Format: 1, At: t0.Add(time.Duration(i) * time.Millisecond)}
		switch i / companies {
		case 0:
			r.Op, r.SearchKey, r.Run = opIntent, key, "r-20250301T090000-1a2b"
		case 1:
			r.Op, r.OrderNo = opOrdered, no
		case 2:
			r.Op, r.OrderNo, r.Status = opPolled, no, "P"
		default:
			r.Op, r.OrderNo, r.Status, r.URL = opPolled, no, "S", "https://report.qcc.com/r/"+no+".pdf"
		}
		rs = append(rs, r)
	}
	return rs
}

// benchLines returns the records of benchRecords as journal lines.
func benchLines(b *testing.B, snapshots bool) [][]byte {
	var lines [][]byte
	for _, r := range benchRecords(snapshots) {
		line, err := encodeRecord(nil, r)
		if err != nil {
			b.Fatal(err)
		}
		lines = append(lines, bytes.TrimSuffix(line, []byte("\n")))
	}
	return lines
}

// BenchmarkLib_Decode decodes 100,000 journal lines: decodeFast against
// json.Unmarshal into a record.
func BenchmarkLib_Decode(b *testing.B) {
	for _, snaps := range []bool{false, true} {
		lines := benchLines(b, snaps)
		name := map[bool]string{false: "events", true: "snapshots"}[snaps]
		b.Run("recs="+name+"/impl=ours", func(b *testing.B) {
			for b.Loop() {
				for _, l := range lines {
					var r record
					if !decodeFast(l, &r) {
						b.Fatal("decodeFast refused a line")
					}
				}
			}
		})
		b.Run("recs="+name+"/impl=json", func(b *testing.B) {
			for b.Loop() {
				for _, l := range lines {
					var r record
					if err := json.Unmarshal(l, &r); err != nil {
						b.Fatal(err)
					}
				}
			}
		})
	}
}

// BenchmarkLib_Encode encodes 100,000 records as line bodies: appendFast
// against encoding/json's Encoder (HTML escaping off, the journal's
// setting) and json.Marshal, each into a reused buffer.
func BenchmarkLib_Encode(b *testing.B) {
	for _, snaps := range []bool{false, true} {
		rs := benchRecords(snaps)
		name := map[bool]string{false: "events", true: "snapshots"}[snaps]
		b.Run("recs="+name+"/impl=ours", func(b *testing.B) {
			var buf []byte
			for b.Loop() {
				for _, r := range rs {
					var ok bool
					if buf, ok = appendFast(buf[:0], r); !ok {
						b.Fatal("appendFast refused a record")
					}
				}
			}
		})
		b.Run("recs="+name+"/impl=json", func(b *testing.B) {
			var buf bytes.Buffer
			enc := json.NewEncoder(&buf)
			enc.SetEscapeHTML(false)
			for b.Loop() {
				for _, r := range rs {
					buf.Reset()
					if err := enc.Encode(r); err != nil {
						b.Fatal(err)
					}
				}
			}
		})
		b.Run("recs="+name+"/impl=marshal", func(b *testing.B) {
			for b.Loop() {
				for _, r := range rs {
					if _, err := json.Marshal(r); err != nil {
						b.Fatal(err)
					}
				}
			}
		})
	}
}

// mapTable is the library's table for the ledger: a Go map from the
// company to its entry number, beside the same chunks of entries.
type mapTable struct {
	idx    map[Key]int32
	chunks []*[chunkLen]entry
	n      int
}

func (m *mapTable) get(k Key) *entry {
	if i, ok := m.idx[k]; ok {
		return &m.chunks[i/chunkLen][i%chunkLen]
	}
	if m.n%chunkLen == 0 {
		m.chunks = append(m.chunks, new([chunkLen]entry))
	}
	e := &m.chunks[m.n/chunkLen][m.n%chunkLen]
	*e = entry{id: strings.Clone(k.ID), format: uint8(k.Format)}
	m.idx[Key{e.id, k.Format}] = int32(m.n)
	m.n++
	return e
}

func (m *mapTable) find(k Key) *entry {
	if i, ok := m.idx[k]; ok {
		return &m.chunks[i/chunkLen][i%chunkLen]
	}
	return nil
}

// benchKeys returns n company keys.
func benchKeys(n int) []Key {
	keys := make([]Key, n)
	for i := range keys {
		keys[i] = Key{fmt.Sprintf("91110108%09dX", i), 1}
	}
	return keys
}

// tableHeap returns the live heap a table of keys keeps, per company:
// HeapAlloc after a GC with the table built, minus before.
func tableHeap(keys []Key, build func([]Key) any) float64 {
	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	t := build(keys)
	runtime.GC()
	runtime.ReadMemStats(&after)
	runtime.KeepAlive(t)
	return float64(int64(after.HeapAlloc)-int64(before.HeapAlloc)) / float64(len(keys))
}

// BenchmarkLib_Table inserts n companies into a ledger, then looks each up
// (as a replay does: every record looks its company up), with the ledger's
// open-addressing table against a map[Key]int32 beside the same entry
// chunks. B/company is the live heap of the whole ledger (entries, IDs
// and table) per company.
func BenchmarkLib_Table(b *testing.B) {
	for _, n := range []int{100_000, 1_000_000} {
		keys := benchKeys(n)
		ours := func(keys []Key) any {
			l := newLedger()
			for _, k := range keys {
				l.get(k)
			}
			for _, k := range keys {
				if l.find(k) == nil {
					panic("lost")
				}
			}
			return l
		}
		lib := func(keys []Key) any {
			m := &mapTable{idx: make(map[Key]int32)}
			for _, k := range keys {
				m.get(k)
			}
			for _, k := range keys {
				if m.find(k) == nil {
					panic("lost")
				}
			}
			return m
		}
		for _, impl := range []struct {
			name  string
			build func([]Key) any
		}{{"ours", ours}, {"map", lib}} {
			b.Run(fmt.Sprintf("n=%d/impl=%s", n, impl.name), func(b *testing.B) {
				for b.Loop() {
					impl.build(keys)
				}
				b.StopTimer()
				b.ReportMetric(tableHeap(keys, impl.build), "B/company")
			})
		}
	}
}
