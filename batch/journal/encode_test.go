package journal

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"hash/crc32"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/qccbatch/qccbatch/batch/outcome"
)

// referenceLine is a line as encoding/json writes the whole record: what
// encodeRecord must write byte for byte.
func referenceLine(t testing.TB, r *record) []byte {
	c := *r
	c.CRC = ""
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	require.NoError(t, enc.Encode(&c))
	payload := bytes.TrimSuffix(b.Bytes(), []byte("\n"))
	sum := crc32.Checksum(payload, crcTable)
	out := append([]byte(nil), payload[:len(payload)-1]...)
	out = append(out, `,"crc":"`...)
	out = hex.AppendEncode(out, []byte{byte(sum >> 24), byte(sum >> 16), byte(sum >> 8), byte(sum)})
	return append(out, "\"}\n"...)
}

func encodeRecordsForTest() []*record {
	at := time.Date(2026, 11, 27, 10, 44, 20, 123e6, time.UTC)
	whole := time.Date(2026, 11, 27, 10, 44, 20, 0, time.UTC)
	return []*record{
		{Op: opIntent, Seq: 7, At: at, Key: "91110108000000001A", Format: 1, SearchKey: "91110108000000001A", Run: "r3"},
		{Op: opOrdered, Seq: 123456789, At: whole, Key: "测试企业有限公司", Format: 2, OrderNo: "RB202611270001"},
		{Op: opPolled, Seq: 9, At: at, Key: "k", Format: 1, Outcome: outcome.Ready, Status: "S", Code: 200, Message: "查询成功",
			URL: "https://r.example.com/a?x=1&y=<2>", File: "reports/k.pdf", SHA256: "ab12"},
		{Op: opRefused, Seq: 10, At: at, Key: "k", Format: 1, Code: 201, Message: "他说 \"不\"\n第二行\t制表", Outcome: outcome.NotFound},
		{Op: opCooldown, Seq: 11, At: at, Key: "k", Format: 1, Until: at.Add(time.Hour), Message: "line\u2028sep"},
		{Op: opAmbiguous, Seq: 12, At: at, Key: "bad\xffutf8", Format: 1, Message: "\x01ctl"},
		{Op: opRun, Seq: 13, At: at, Run: "r3", Kind: "run", Prog: "qccbatch 1.2", Host: "h", User: "u", PID: 42,
			Input: `C:\book.xlsx`, InputSHA: "ff", Flags: []string{"--qps", "5"}},
		{Op: opEnd, Seq: 14, At: at, Run: "r3", NewOrders: 3, Counts: map[outcome.Outcome]int{outcome.Ready: 3}, Exit: 0, Reason: "ok"},
		{Op: opOrder, Seq: 15, At: at, Key: "k", Format: 1, OrderNo: "RB1", Req: at, Ordered: at, Done: at.Add(time.Second), Res: "r2", Run: "r1"},
		{Op: opSnapshot, Seq: 16, At: at, Key: "k", Format: 1, State: &snapshot{Outcome: outcome.Ready, OrderNo: "RB1", OrderedAt: at}},
		{Op: opSnapshot, Seq: 18, At: at, Key: "k2", Format: 2, Run: "r1", Req: at, Res: "r2", State: &snapshot{Outcome: outcome.Failed,
			OrderNo: "RB2", Code: 201, Message: "失败", Status: "F", URL: "https://x/y?a=1&b=2", File: "f.pdf", SHA256: "ab",
			OrderedAt: at, CompletedAt: at.Add(time.Minute), CooldownUntil: at.Add(time.Hour), Orders: 2, Intents: 3}},
		{Op: opSnapshot, Seq: 19, Key: "k3", Format: 1, State: &snapshot{}},
		{Op: opHeader, Seq: 1, At: at, Version: 3, Endpoint: "https://pro.qcc.com/api/yj", KeyFP: "sha256:ab"},
		{Op: opDownloaded, At: at, Key: "k", Format: 1, File: "a b/c.pdf", SHA256: "00"}, // version 1: no number
		{Op: opResolved, Seq: 17, At: time.Date(2026, 1, 2, 3, 4, 5, 100e6, time.FixedZone("CST", 8*3600)).UTC(), Key: "k", Format: 1, Outcome: outcome.Uncertain},
	}
}

// TestEncodeRecord_MatchesEncodingJSON: the hand-written encoder and the
// splice of the line number write what encoding/json writes.
func TestEncodeRecord_MatchesEncodingJSON(t *testing.T) {
	for _, r := range encodeRecordsForTest() {
		got, err := encodeRecord(nil, r)
		require.NoError(t, err)
		require.Equal(t, string(referenceLine(t, r)), string(got), "%s record", r.Op)
		if r.validate() == nil { // the checksum and the JSON read back
			var back record
			require.NoError(t, decodeRecord(bytes.TrimSuffix(got, []byte("\n")), &back), "%s", got)
		}
	}
}

// TestEncodeRecord_FastPathTaken: the records of the hot path and
// compaction's snapshots do not fall back to encoding/json (the point of
// the fast encoder); strings JSON escapes, flags and counts do.
func TestEncodeRecord_FastPathTaken(t *testing.T) {
	slow := map[string]bool{opRefused: true, opCooldown: true, opAmbiguous: true, opRun: true, opEnd: true}
	for _, r := range encodeRecordsForTest() {
		_, ok := appendFast(nil, r)
		require.Equal(t, !slow[r.Op], ok, "%s record", r.Op)
	}
}

// FuzzEncodeRecord compares the encoder with encoding/json on arbitrary
// strings, numbers and times.
func FuzzEncodeRecord(f *testing.F) {
	f.Add("k", "msg", "https://x/y?a=1&b=2", 5, int64(1700000000123), 200)
	f.Add("企业", "\"q\"\\", "\u2028", 0, int64(0), -1)
	f.Add("\xff", "\x00", "</script>", 1<<40, int64(-62135596800000), 0)
	f.Fuzz(func(t *testing.T, key, msg, url string, seq int, ms int64, code int) {
		at := time.UnixMilli(ms).UTC()
		for _, op := range []string{opIntent, opPolled, opRun, opSnapshot} {
			r := &record{Op: op, Seq: seq, At: at, Key: key, Format: 1, Message: msg, URL: url, Code: code, Run: msg, Until: at}
			if op == opSnapshot {
				r.State = &snapshot{Outcome: outcome.Outcome(key), Message: msg, URL: url, Code: code, OrderedAt: at, Orders: seq}
			}
			want := &bytes.Buffer{}
			enc := json.NewEncoder(want)
			enc.SetEscapeHTML(false)
			if err := enc.Encode(r); err != nil {
				_, gerr := encodeRecord(nil, r)
				require.Error(t, gerr)
				continue
			}
			got, err := encodeRecord(nil, r)
			require.NoError(t, err)
			require.Equal(t, string(referenceLine(t, r)), string(got))
		}
	})
}

// BenchmarkEncodeRecord compares the encoder with encoding/json on the
// records of the hot path (an intent, an order, a ready poll).
//
//	go test -run '^$' -bench EncodeRecord ./batch/journal
func BenchmarkEncodeRecord(b *testing.B) {
	recs := encodeRecordsForTest()[:3]
	b.Run("fast", func(b *testing.B) {
		var buf []byte
		for i := 0; b.Loop(); i++ {
			var err error
			if buf, err = encodeRecord(buf[:0], recs[i%3]); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("encoding-json", func(b *testing.B) {
		for i := 0; b.Loop(); i++ {
			referenceLine(b, recs[i%3])
		}
	})
}
