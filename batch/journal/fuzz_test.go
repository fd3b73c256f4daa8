package journal

import (
	"bytes"
	"encoding/json"
	"fmt"
	"hash/crc32"
	"reflect"
	"testing"
	"time"

	"github.com/qccbatch/qccbatch/batch/outcome"
)

// FuzzReplay feeds arbitrary bytes to the journal reader: it must never
// panic, and whatever it accepts must survive compaction unchanged.
func FuzzReplay(f *testing.F) {
	t0 := time.Date(2025, 3, 1, 9, 0, 0, 0, time.UTC)
	var valid []byte
	n := 0
	for _, r := range []*record{
		{Op: opHeader, Version: journalVersion, At: t0},
		{Op: opRun, Run: "r1", Kind: "run", Flags: []string{"--qps=1"}, At: t0},
		{Op: opIntent, Key: "a", Format: 1, SearchKey: "某公司", At: t0, Run: "r1"},
		{Op: opOrdered, Key: "a", Format: 1, OrderNo: "o1", At: t0},
		{Op: opPolled, Key: "a", Format: 1, OrderNo: "o1", Status: "S", URL: "u", At: t0},
		{Op: opIntent, Key: "b", Format: 2, SearchKey: "b", At: t0},
		{Op: opCooldown, Key: "c", Format: 2, Until: t0, Code: 110, At: t0},
		{Op: opSnapshot, Key: "d", Format: 1, State: &snapshot{Outcome: outcome.Failed, Orders: 2}},
		{Op: opEnd, Run: "r1", Exit: 5, Counts: map[outcome.Outcome]int{outcome.Ready: 1}, At: t0},
		{Op: opRepair, Message: "repaired", At: t0},
		{Op: opAmbiguous, Key: "b", Format: 2, Message: "timeout", At: t0},
		{Op: opResolved, Key: "b", Format: 2, OrderNo: "o9", Run: "r2", User: "u", File: "l.csv", SHA256: "ff", At: t0},
		{Op: opResolved, Key: "e", Format: 1, SearchKey: "E", OrderNo: "o8", Ordered: t0, Run: "r2", At: t0},
	} {
		n++
		valid, _ = encodeRecord(valid, r.withSeq(n))
	}
	f.Add(valid)
	f.Add(valid[:len(valid)-7])
	f.Add(append(append([]byte{}, valid...), 0, 0, 0))
	f.Add([]byte{})
	f.Add([]byte("\n\n"))
	f.Add([]byte(`{"op":"header","version":1,"crc":"00000000"}` + "\n"))
	f.Add([]byte(`{"op":"polled","at":"2024-02-29T23:59:59.5Z","k":"a\u0026b\ud83d\ude00","f":1,"status":"S","url":"x\"y","code":-12,"s":{"orders":3},"s":{"intents":1}}`))
	f.Add([]byte(`{"op":"header","version":1}` + "\n" + `{"op":"state","k":"x","f":1,"s":{"outcome":"ready","completed_at":"2025-01-01T08:00:00+08:00"}}` + "\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		checkReplay(t, data)
		checkReplay(t, sealLines(data)) // reach the decoder past the checksum
		checkFastDecode(t, data)
	})
}

// checkFastDecode checks that wherever decodeFast accepts a line,
// encoding/json reads the same record.
func checkFastDecode(t *testing.T, line []byte) {
	var fast, slow record
	if !decodeFast(line, &fast) {
		return
	}
	if err := json.Unmarshal(line, &slow); err != nil {
		t.Fatalf("decodeFast accepted %q, encoding/json: %v", line, err)
	}
	norm := func(r *record) {
		r.At, r.Until = journalTime(r.At), journalTime(r.Until)
		r.Req, r.Ordered, r.Done = journalTime(r.Req), journalTime(r.Ordered), journalTime(r.Done)
		if s := r.State; s != nil {
			s.OrderedAt, s.CompletedAt, s.CooldownUntil = journalTime(s.OrderedAt), journalTime(s.CompletedAt), journalTime(s.CooldownUntil)
		}
	}
	norm(&fast)
	norm(&slow)
	if !reflect.DeepEqual(fast, slow) {
		t.Fatalf("%q:\ndecodeFast   %+v\nencoding/json %+v", line, fast, slow)
	}
}

// sealLines gives every line that looks like a JSON object a valid
// checksum, so that the fuzzer explores record contents.
func sealLines(data []byte) []byte {
	var out []byte
	for _, line := range bytes.SplitAfter(data, []byte("\n")) {
		body := bytes.TrimSuffix(line, []byte("\n"))
		if len(body) < 2 || body[0] != '{' || body[len(body)-1] != '}' || len(body) == len(line) {
			out = append(out, line...)
			continue
		}
		sum := crc32.Checksum(body, crcTable)
		out = append(out, body[:len(body)-1]...)
		out = fmt.Appendf(out, `,"crc":"%08x"}`+"\n", sum)
	}
	return out
}

// checkReplay replays data and, if it is accepted, compacts and replays
// the result, which must hold the same ledger.
func checkReplay(t *testing.T, data []byte) {
	t0 := time.Date(2025, 3, 1, 9, 0, 0, 0, time.UTC)
	{
		res, err := replay("fuzz", bytes.NewReader(data), true, true)
		if err != nil {
			return
		}
		if res.end > int64(len(data)) {
			t.Fatalf("end %d past the data (%d bytes)", res.end, len(data))
		}
		res.led.settle()
		var buf bytes.Buffer
		lw := &lineWriter{w: &buf}
		if err := lw.write(&record{Op: opHeader, Version: journalVersion, At: t0}); err != nil {
			t.Fatalf("compaction: %v", err)
		}
		if err := writeCompacted(lw, res.led); err != nil {
			t.Fatalf("compaction: %v", err)
		}
		again, err := replay("fuzz", &buf, true, true)
		if err != nil {
			t.Fatalf("compacted journal does not replay: %v", err)
		}
		if again.led.len() != res.led.len() {
			t.Fatalf("compaction kept %d of %d companies", again.led.len(), res.led.len())
		}
		if got, want := again.led.runs(""), res.led.runs(""); !reflect.DeepEqual(got, want) {
			t.Fatalf("runs: compacted %+v, want %+v", got, want)
		}
		if got, want := again.led.orders(), res.led.orders(); !reflect.DeepEqual(got, want) {
			t.Fatalf("orders: compacted\n%+v\nwant\n%+v", got, want)
		}
		for i := 0; i < res.led.len(); i++ {
			if got, want := again.led.state(again.led.at(i)), res.led.state(res.led.at(i)); !reflect.DeepEqual(got, want) {
				t.Fatalf("company %d: compacted %+v, want %+v (in the same order)", i, got, want)
			}
		}
	}
}
