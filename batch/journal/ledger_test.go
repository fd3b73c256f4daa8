package journal

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/qccbatch/qccbatch/batch/msg"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/qccbatch/qccbatch/batch/outcome"
)

// ledgerEvent is one journal call, for table-driven ledger tests.
type ledgerEvent func(j *Journal) error

func evIntent(k string) ledgerEvent {
	return func(j *Journal) error { return j.Intent(context.Background(), Key{k, 1}, "sk:"+k) }
}
func evOrdered(k, no string) ledgerEvent {
	return func(j *Journal) error { return j.Ordered(Key{k, 1}, no) }
}
func evRefused(k string, code int, o outcome.Outcome) ledgerEvent {
	return func(j *Journal) error {
		return j.Refused(Key{k, 1}, Refusal{Code: code, Message: "refused", Outcome: o})
	}
}
func evCancelled(k string) ledgerEvent {
	return func(j *Journal) error { return j.Cancelled(Key{k, 1}, "conn refused") }
}
func evAmbiguous(k string) ledgerEvent {
	return func(j *Journal) error { return j.Ambiguous(Key{k, 1}, "timeout") }
}
func evPolled(k, no, s, url string) ledgerEvent {
	return func(j *Journal) error { return j.Polled(Key{k, 1}, Poll{OrderNo: no, Status: s, URL: url}) }
}
func evDownloaded(k string) ledgerEvent {
	return func(j *Journal) error { return j.Downloaded(Key{k, 1}, File{Path: "dl/" + k + ".pdf", SHA256: "feed"}) }
}
func evCooldown(k string, until time.Time) ledgerEvent {
	return func(j *Journal) error { return j.Cooldown(Key{k, 1}, until, 110, "cooling") }
}

func TestLedger_ReplayRules(t *testing.T) {
	t0 := newJournalClock().t
	tests := []struct {
		name   string
		events []ledgerEvent
		want   State // Key, Format, SearchKey are filled in
	}{
		{"bare intent is uncertain", []ledgerEvent{evIntent("a")},
			State{Outcome: outcome.Uncertain, Note: msg.M(msg.NoAnswer), OrderedAt: t0, Intents: 1}},
		{"ordered is pending", []ledgerEvent{evIntent("a"), evOrdered("a", "o1")},
			State{Outcome: outcome.Pending, OrderNo: "o1", OrderedAt: t0, Orders: 1, Intents: 1}},
		{"poll P stays pending", []ledgerEvent{evIntent("a"), evOrdered("a", "o1"), evPolled("a", "o1", "P", "")},
			State{Outcome: outcome.Pending, OrderNo: "o1", ReportStatus: "P", OrderedAt: t0, Orders: 1, Intents: 1}},
		{"poll S is ready", []ledgerEvent{evIntent("a"), evOrdered("a", "o1"), evPolled("a", "o1", "S", "u1"), evDownloaded("a")},
			State{Outcome: outcome.Ready, OrderNo: "o1", ReportStatus: "S", ReportURL: "u1", File: "dl/a.pdf", SHA256: "feed",
				OrderedAt: t0, CompletedAt: t0, Orders: 1, Intents: 1}},
		{"poll F is failed", []ledgerEvent{evIntent("a"), evOrdered("a", "o1"), evPolled("a", "o1", "F", "")},
			State{Outcome: outcome.Failed, OrderNo: "o1", ReportStatus: "F", OrderedAt: t0, CompletedAt: t0, Orders: 1, Intents: 1}},
		{"poll of another order is ignored", []ledgerEvent{evIntent("a"), evOrdered("a", "o1"), evPolled("a", "o0", "S", "u0")},
			State{Outcome: outcome.Pending, OrderNo: "o1", OrderedAt: t0, Orders: 1, Intents: 1}},
		{"refused not_found", []ledgerEvent{evIntent("a"), evRefused("a", 201, outcome.NotFound)},
			State{Outcome: outcome.NotFound, Code: "201", Message: "refused", CompletedAt: t0, Intents: 1}},
		{"refused rejected", []ledgerEvent{evIntent("a"), evRefused("a", 208, outcome.Rejected)},
			State{Outcome: outcome.Rejected, Code: "208", Message: "refused", CompletedAt: t0, Intents: 1}},
		{"cancelled first intent is not_ordered", []ledgerEvent{evIntent("a"), evCancelled("a")},
			State{Outcome: outcome.NotOrdered, Intents: 1}},
		{"cancelled refresh keeps the ready report", []ledgerEvent{evIntent("a"), evOrdered("a", "o1"), evPolled("a", "o1", "S", "u1"), evIntent("a"), evCancelled("a")},
			State{Outcome: outcome.Ready, OrderNo: "o1", ReportStatus: "S", ReportURL: "u1", OrderedAt: t0, CompletedAt: t0, Orders: 1, Intents: 2}},
		{"ambiguous is uncertain", []ledgerEvent{evIntent("a"), evAmbiguous("a")},
			State{Outcome: outcome.Uncertain, Note: msg.M(msg.CauseResolveAdvice, "timeout"), OrderedAt: t0, Intents: 1}},
		{"unanswered intent then a new order", []ledgerEvent{evIntent("a"), evIntent("a"), evOrdered("a", "o2")},
			State{Outcome: outcome.Pending, OrderNo: "o2", OrderedAt: t0, Orders: 1, Intents: 2}},
		{"unanswered intent then a cancelled one", []ledgerEvent{evIntent("a"), evIntent("a"), evCancelled("a")},
			State{Outcome: outcome.Uncertain, Note: msg.M(msg.NoAnswer), OrderedAt: t0, Intents: 2}},
		{"cooldown is not_ordered", []ledgerEvent{evIntent("a"), evCooldown("a", t0.Add(2*time.Hour))},
			State{Outcome: outcome.NotOrdered, Code: "110", Message: "cooling", CooldownUntil: t0.Add(2 * time.Hour), Intents: 1}},
		{"refresh replaces the order", []ledgerEvent{evIntent("a"), evOrdered("a", "o1"), evPolled("a", "o1", "S", "u1"), evDownloaded("a"), evIntent("a"), evOrdered("a", "o2")},
			State{Outcome: outcome.Pending, OrderNo: "o2", OrderedAt: t0, Orders: 2, Intents: 2}},
		{"order after cooldown clears it", []ledgerEvent{evIntent("a"), evCooldown("a", t0.Add(time.Hour)), evIntent("a"), evOrdered("a", "o1")},
			State{Outcome: outcome.Pending, OrderNo: "o1", OrderedAt: t0, Orders: 1, Intents: 2}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "s.qccstate")
			clk := newJournalClock()
			j := openTestJournal(t, path, clk)
			for i, ev := range tt.events {
				require.NoError(t, ev(j), "ledgerEvent %d", i)
			}
			want := tt.want
			want.Key, want.SearchKey = Key{"a", 1}, "sk:a"
			live, _ := j.Lookup(Key{"a", 1})
			require.NoError(t, j.Close())
			for _, ro := range []bool{true, false} {
				r, err := Open(path, Options{ReadOnly: ro})
				require.NoError(t, err)
				got, ok := r.Lookup(Key{"a", 1})
				require.NoError(t, r.Close())
				assert.True(t, ok, "replayed (readOnly=%v): not found", ro)
				assert.Equal(t, want, got, "replayed (readOnly=%v)", ro)
			}
			// Live and replayed differ only for an intent still open, which
			// is uncertain either way.
			assert.Equal(t, want.Outcome, live.Outcome, "live outcome")
		})
	}
}

func TestLedger_RefusedNeedsFinalOutcome(t *testing.T) {
	j := openTestJournal(t, filepath.Join(t.TempDir(), "s"), newJournalClock())
	defer j.Close()
	assert.Error(t, j.Refused(Key{"a", 1}, Refusal{Code: 201, Message: "x", Outcome: outcome.Ready}), "Refused with outcome ready")
	assert.Error(t, j.Ordered(Key{"", 1}, "o"), "Ordered with empty key")
	assert.Error(t, j.Ordered(Key{"a", 3}, "o"), "Ordered with format 3")
}

func TestJournal_Stats(t *testing.T) {
	clk := newJournalClock()
	path := filepath.Join(t.TempDir(), "s")
	j := openTestJournal(t, path, clk)
	ctx := context.Background()
	for i, k := range []string{"a", "b", "c"} {
		clk.t = clk.t.Add(time.Duration(i) * time.Hour)
		require.NoError(t, j.Intent(ctx, Key{k, 1}, k))
		require.NoError(t, j.Ordered(Key{k, 1}, "o"+k))
		if k != "c" {
			require.NoError(t, j.Polled(Key{k, 1}, Poll{OrderNo: "o" + k, Status: "S", URL: "u"}))
		}
	}
	require.NoError(t, j.Intent(ctx, Key{"d", 2}, "d"))
	got := j.Stats()
	require.NoError(t, j.Close())
	t0 := newJournalClock().t
	assert.Equal(t, 4, got.Companies, "Companies")
	assert.Equal(t, 3, got.OrdersPlaced, "OrdersPlaced")
	assert.Equal(t, 9, got.Records, "Records")
	wantOut := outcome.NewCounts()
	wantOut[outcome.Ready], wantOut[outcome.Pending], wantOut[outcome.Uncertain] = 2, 1, 1
	assert.Equal(t, wantOut, got.Outcomes, "Outcomes (every outcome present)")
	assert.True(t, got.OldestReport.Equal(t0), "OldestReport = %v, want %v", got.OldestReport, t0)
	assert.True(t, got.NewestReport.Equal(t0.Add(time.Hour)), "NewestReport = %v, want %v", got.NewestReport, t0.Add(time.Hour))
}

// TestLedger_UncertainMessage: every uncertain company's note ends with
// the advice, once, also for the English sentences an older qccbatch wrote
// into the state file, which still read the same.
func TestLedger_UncertainMessage(t *testing.T) {
	for old, want := range map[string]msg.Message{
		"":                                       msg.M(msg.ResolveAdvice),
		"timeout":                                msg.M(msg.CauseResolveAdvice, "timeout"),
		"timeout: an order may have been placed": msg.M(msg.CauseResolveAdvice, "timeout"),
		"timeout: " + legacyAdvice:               msg.M(msg.CauseResolveAdvice, "timeout"),
		legacyAdvice:                             msg.M(msg.ResolveAdvice),
		"order request sent but no answer recorded (program stopped): an order may have been placed": msg.M(msg.NoAnswer),
		legacyNoAnswer: msg.M(msg.NoAnswer),
		legacyRepaired: msg.M(msg.RepairedUncertain),
		"something else; then `qccbatch resolve`": msg.Plain("something else; then `qccbatch resolve`"),
	} {
		n, text := legacyNote(old)
		got := n.message(text)
		assert.Equal(t, want, got, "legacyNote(%q)", old)
		if old == legacyNoAnswer || old == legacyRepaired || strings.HasSuffix(old, legacyAdvice) {
			assert.Equal(t, old, got.In("en"), "an old sentence reads the same")
		}
	}
}

// TestJournal_EachFirstSeenOrder: Each visits companies in the order the
// state file first saw them, also after reopening and compaction.
func TestJournal_EachFirstSeenOrder(t *testing.T) {
	path := filepath.Join(t.TempDir(), "s")
	clk := newJournalClock()
	j := openTestJournal(t, path, clk)
	var want []Key
	for i := 0; i < 2500; i++ { // more than one chunk
		k := Key{fmt.Sprintf("k%04d", (i*7919)%2500), 1 + i%2}
		want = append(want, k)
		require.NoError(t, j.Ordered(k, "o"))
		require.NoError(t, j.Polled(want[i/2], Poll{OrderNo: "o", Status: "P"})) // an older company again
		require.NoError(t, j.Polled(want[i/2], Poll{OrderNo: "o", Status: "S", URL: "u"}))
	}
	keys := func(j *Journal) []Key {
		var got []Key
		j.Each(func(s State) bool { got = append(got, s.Key); return true })
		return got
	}
	require.True(t, slices.Equal(keys(j), want), "live: order differs")
	require.NoError(t, j.Close())
	for _, opt := range []Options{{ReadOnly: true}, {compactMin: 10}, {ReadOnly: true}} {
		r, err := Open(path, opt)
		require.NoError(t, err)
		assert.True(t, slices.Equal(keys(r), want), "%+v: order differs", opt)
		if st := r.Stats(); opt.compactMin > 0 {
			assert.Equal(t, st.Companies, st.Records, "not compacted: %+v", st)
		}
		require.NoError(t, r.Close())
	}
}

// TestLedger_PackedEntry: the packed entry gives back every field as it
// was recorded, at the journal's precision, also after compaction: times
// before 1970, at the Unix epoch and far ahead, report URLs with and
// without the order number in them, unusual statuses and search keys.
func TestLedger_PackedEntry(t *testing.T) {
	at := func(s string) time.Time {
		tm, err := time.Parse(time.RFC3339Nano, s)
		require.NoError(t, err)
		return journalTime(tm)
	}
	const sum = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
	snap := func(k string, s snapshot, sk string) *record {
		return &record{Op: opSnapshot, Key: k, Format: 2, SearchKey: sk, State: &s}
	}
	recs := []*record{
		snap("a", snapshot{Outcome: outcome.Ready, OrderNo: "o1", Status: "S", URL: "https://h/r/o1.pdf?x=1",
			File: "dl/a_o1.pdf", SHA256: sum, OrderedAt: at("1969-12-31T23:59:59.999Z"), CompletedAt: at("1970-01-01T00:00:00Z"), Orders: 3, Intents: 4}, "a"),
		snap("b", snapshot{Outcome: outcome.Ready, OrderNo: "o2", Status: "S", URL: "https://elsewhere/report",
			File: "o2/b", SHA256: strings.ToUpper(sum), OrderedAt: at("0001-01-01T00:00:00.001Z"), CompletedAt: at("9999-12-31T23:59:59.999Z")}, "other"),
		snap("c", snapshot{Outcome: outcome.Pending, OrderNo: "o3", Status: "Q", Code: 201, Message: "m",
			File: "f", SHA256: "s", CooldownUntil: at("2030-05-06T07:08:09.123Z")}, ""),
		snap("d", snapshot{Outcome: outcome.Failed, OrderNo: "o4", Status: "F", URL: "o4"}, "d"),
		{Op: opIntent, Key: "e", Format: 1, SearchKey: "x", At: at("2025-03-01T09:00:00.5Z")},
		{Op: opOrdered, Key: "e", Format: 1, OrderNo: "o5", At: at("2025-03-01T09:00:01.25Z")},
		{Op: opPolled, Key: "e", Format: 1, OrderNo: "o5", Status: "S", URL: "https://h/r/o5.pdf?x=1", At: at("2025-03-01T09:01:00Z")},
		{Op: opDownloaded, Key: "e", Format: 1, File: "e-o5", SHA256: sum[:63] + "g"},
	}
	led := newLedger()
	for _, r := range recs {
		led.apply(r)
	}
	want := []State{
		{Key: Key{"a", 2}, SearchKey: "a", Outcome: outcome.Ready, OrderNo: "o1", ReportStatus: "S", ReportURL: "https://h/r/o1.pdf?x=1",
			File: "dl/a_o1.pdf", SHA256: sum, OrderedAt: at("1969-12-31T23:59:59.999Z"), CompletedAt: at("1970-01-01T00:00:00Z"), Orders: 3, Intents: 4},
		{Key: Key{"b", 2}, SearchKey: "other", Outcome: outcome.Ready, OrderNo: "o2", ReportStatus: "S", ReportURL: "https://elsewhere/report",
			File: "o2/b", SHA256: strings.ToUpper(sum), OrderedAt: at("0001-01-01T00:00:00.001Z"), CompletedAt: at("9999-12-31T23:59:59.999Z")},
		{Key: Key{"c", 2}, Outcome: outcome.Pending, OrderNo: "o3", ReportStatus: "Q", Code: "201", Message: "m",
			File: "f", SHA256: "s", CooldownUntil: at("2030-05-06T07:08:09.123Z")},
		{Key: Key{"d", 2}, SearchKey: "d", Outcome: outcome.Failed, OrderNo: "o4", ReportStatus: "F", ReportURL: "o4"},
		{Key: Key{"e", 1}, SearchKey: "x", Outcome: outcome.Ready, OrderNo: "o5", ReportStatus: "S", ReportURL: "https://h/r/o5.pdf?x=1",
			File: "e-o5", SHA256: sum[:63] + "g",
			OrderedAt: at("2025-03-01T09:00:01.25Z"), CompletedAt: at("2025-03-01T09:01:00Z"), Orders: 1, Intents: 1},
	}
	check := func(name string, led *ledger) {
		t.Helper()
		require.Equal(t, len(want), led.len(), "%s: companies", name)
		for i, w := range want {
			e := led.find(w.Key)
			require.NotNil(t, e, "%s: %v not found", name, w.Key)
			assert.Equal(t, w, led.state(e), "%s: company %d", name, i)
			assert.Same(t, led.at(i), e, "%s: %v is not entry %d", name, w.Key, i)
		}
		for _, k := range []Key{{"a", 1}, {"a", 258}, {"zz", 2}} {
			assert.Nil(t, led.find(k), "%s: found %v, which it does not have", name, k)
		}
	}
	check("replayed", led)
	again := newLedger()
	led.each(func(e *entry) bool {
		r := led.snapshot(e)
		line, err := encodeRecord(nil, r)
		require.NoError(t, err)
		var back record
		require.NoError(t, decodeRecord(line[:len(line)-1], &back))
		again.apply(&back)
		return true
	})
	check("compacted", again)
	// A new order forgets the previous one's rare details.
	led.apply(&record{Op: opOrdered, Key: "c", Format: 2, OrderNo: "o6", At: at("2025-03-02T00:00:00Z")})
	assert.Nil(t, led.find(Key{"c", 2}).rare, "rare kept after a new order")
	a := led.find(Key{"a", 2})
	assert.NotZero(t, a.flags&fFile, "usual file not packed")
	assert.Nil(t, a.rare, "usual file and URL kept in rare")
	led.apply(&record{Op: opOrdered, Key: "a", Format: 2, OrderNo: "o7", At: at("2025-03-02T00:00:00Z")})
	st := led.state(a)
	assert.Empty(t, st.File+st.SHA256+st.ReportURL, "new order kept the old file or URL: %+v", st)
}

// TestLedger_ManyCompanies: the hash table finds every company of both
// formats as it grows.
func TestLedger_ManyCompanies(t *testing.T) {
	led := newLedger()
	const n = 5000
	for i := 0; i < n; i++ {
		led.apply(&record{Op: opOrdered, Key: fmt.Sprintf("k%d", i/2), Format: 1 + i%2, OrderNo: fmt.Sprint(i)})
	}
	require.Equal(t, n, led.len(), "companies")
	for i := 0; i < n; i++ {
		k := Key{fmt.Sprintf("k%d", i/2), 1 + i%2}
		e := led.find(k)
		require.NotNil(t, e, "company %v", k)
		require.Equal(t, k, e.key())
		require.Equal(t, fmt.Sprint(i), e.orderNo, "company %v", k)
		require.Same(t, led.at(i), e, "company %v", k)
	}
}
