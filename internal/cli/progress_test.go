package cli

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/rivo/uniseg"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/qccbatch/qccbatch/batch"
	"github.com/qccbatch/qccbatch/batch/msg"
	"github.com/qccbatch/qccbatch/batch/results"
)

// bigSnapshot returns counters with n digits each, every part shown.
func bigSnapshot(digits int) batch.Counters {
	total := int64(1)
	for range digits {
		total *= 10
	}
	total-- // 9999, 999999, 9999999
	return batch.Counters{
		TotalRows: total, FinalRows: total / 2, Ordered: total - 1, Ready: total / 2,
		Pending: total / 2, Retries: total / 3, APICalls: total * 2, Downloaded: total / 2,
	}
}

// drawOnce draws v through a statusLine on a buffer, as the progress loop
// does, and returns what progressbar/v3 wrote for it as a person sees it
// (with the trailing space the library writes).
func drawOnce(t *testing.T, v progressView, columns int) string {
	t.Helper()
	var out bytes.Buffer
	sl := &statusLine{w: &out}
	sl.draw(layoutProgress(v, columns, v.t == "en"))
	raw := out.String()
	require.True(t, strings.HasPrefix(raw, "\r"), "the library starts its line with CR: %q", raw)
	require.True(t, strings.HasSuffix(raw, "\x1b[0K"), "OptionUseANSICodes: the rest of the line is cleared: %q", raw)
	frames := progressFrames(raw)
	require.Len(t, frames, 1, "one rendering per frame: %q", raw)
	return frames[0]
}

func TestProgressRender_FitsTheTerminal(t *testing.T) {
	states := map[string]progressView{
		"no rate yet": {},
		"eta":         {etaKnown: true, eta: 123*time.Hour + 59*time.Minute, rate: 4321.5, elapsed: 99 * time.Hour},
		"stopping":    {stopping: true, rate: 12.3, elapsed: 3 * time.Minute},
		"final":       {final: true, rate: 5, elapsed: 26 * time.Hour},
	}
	for _, digits := range []int{1, 4, 6, 7} {
		for _, cols := range []int{80, 120, 40, 0} {
			for name, v := range states {
				for _, lang := range []msg.Language{"en", "zh"} {
					t.Run(fmt.Sprintf("%d digits/%d columns/%s/%s", digits, cols, name, lang), func(t *testing.T) {
						v.s = bigSnapshot(digits)
						v.t = lang
						got := drawOnce(t, v, cols)
						width := cols
						if width == 0 {
							width = fallbackColumns
						}
						// As the library counts it (uniseg: a Han character takes two
						// columns), and as the project's own table does.
						assert.LessOrEqual(t, uniseg.StringWidth(got), width-lineMargin, got)
						assert.Equal(t, results.DisplayWidth(got), uniseg.StringWidth(got), got)
						assert.Equal(t, layoutProgress(v, cols, lang == "en").columns(), uniseg.StringWidth(got), "the layout counts what the library writes: %q", got)
						for _, r := range got {
							if lang == "en" {
								require.Less(t, r, rune(0x80), "ASCII only, one column each: %q", got)
							}
						}
						s := v.s
						assert.Contains(t, got, fmt.Sprintf("%d/%d", s.FinalRows, s.TotalRows), "the true count always shows")
						assert.Contains(t, got, fmt.Sprintf("%d%%", v.percent()))
						if cols >= 80 || cols == 0 {
							assert.Contains(t, got, v.etaText(), "the ETA shows")
							assert.Regexp(t, `^ {0,3}\d{1,3}% [\[|]`, got, "a bar at 80 columns")
							assert.Contains(t, got, v.t.Text(msg.LogKeyPending))
						}
					})
				}
			}
		}
	}
}

func TestProgressRender_At80Columns(t *testing.T) {
	v := progressView{t: "en",
		s:        batch.Counters{TotalRows: 1300, FinalRows: 234, Ordered: 300, Pending: 66, Downloaded: 230},
		etaKnown: true, eta: 6 * time.Second, rate: 31.2, elapsed: 21 * time.Second,
	}
	// The library's "%4d%% [bar]  " takes one column more than the old line:
	// at 80 columns the downloads are left out first.
	assert.Equal(t, "  18% [=>..........]  234/1300  300 ordered  66 pending  ETA 6s ", drawOnce(t, v, 80))
	assert.Contains(t, drawOnce(t, v, 84), "  66 pending  230 downloaded  ETA 6s ")
	v.s.Downloaded = 0
	assert.Equal(t, "  18% [=>..........]  234/1300  300 ordered  66 pending  31.2 req/s  ETA 6s ", drawOnce(t, v, 80))
	assert.Equal(t, "  18% [==>................]  234/1300  300 ordered  66 pending  31.2 req/s  21s elapsed  ETA 6s ", drawOnce(t, v, 120))
	v.t = "zh"
	zh := drawOnce(t, v, 80)
	assert.Equal(t, "  18% |██          |  234/1300  已下单 300  处理中 66  31.2 req/s  剩余 6s ", zh)
	assert.Equal(t, 75, uniseg.StringWidth(zh), "each Han character takes two columns")
}

func TestProgressRender_TrueCountsOnStop(t *testing.T) {
	v := progressView{t: "en", s: batch.Counters{TotalRows: 12, FinalRows: 3, Ordered: 12, Pending: 9}, final: true, elapsed: 26 * time.Second}
	got := drawOnce(t, v, 80)
	assert.True(t, strings.HasPrefix(got, "  25% ["), got)
	assert.Contains(t, got, "3/12")
	assert.Contains(t, got, "9 pending")
	assert.Contains(t, got, "took 26s")
	assert.NotContains(t, got, "100%")

	v.s.FinalRows = 11 // 91.7 %: rounded down, never shown as done
	assert.True(t, strings.HasPrefix(drawOnce(t, v, 80), "  91% ["))
	v.s.FinalRows = 12
	assert.True(t, strings.HasPrefix(drawOnce(t, v, 80), " 100% [=========="))
}

// TestProgressBar_LibraryPercent: the percentage and the fill progressbar/v3
// draws are ours, rounded down: the library's own float division would show
// 28 % for 29 of 100 rows.
func TestProgressBar_LibraryPercent(t *testing.T) {
	for _, tc := range []struct {
		done, total int64
		want        string
	}{
		{0, 12, "   0% [..........]"},
		{6, 12, "  50% [====>.....]"},
		{11, 12, "  91% [========>.]"},
		{12, 12, " 100% [==========]"},
		{13, 12, " 100% [==========]"},
		{29, 100, "  29% [=>........]"},
		{57, 100, "  57% [====>.....]"},
		{999999, 1000000, "  99% [========>.]"},
	} {
		var out bytes.Buffer
		sl := &statusLine{w: &out}
		v := progressView{t: "en", s: batch.Counters{TotalRows: tc.total, FinalRows: min(tc.done, tc.total)}}
		f := layoutProgress(v, 80, true)
		f.width, f.desc = 10, "x"
		sl.draw(f)
		got := progressFrames(out.String())
		require.Len(t, got, 1, "%q", out.String())
		assert.Equal(t, tc.want+"  x ", got[0], "%d/%d", tc.done, tc.total)
	}
}

// TestProgressStatusLine_FullBarRedrawn: once the library has drawn a full
// bar it draws nothing more by itself; every later state (the time the run
// took) is still written.
func TestProgressStatusLine_FullBarRedrawn(t *testing.T) {
	var out bytes.Buffer
	sl := &statusLine{w: &out}
	sl.draw(barFrame{desc: "12/12  ETA 0s", width: 10, pct: 100, ascii: true})
	sl.draw(barFrame{desc: "12/12  took 3s", width: 10, pct: 100, ascii: true})
	sl.end()
	frames := progressFrames(out.String())
	require.Len(t, frames, 2, "%q", out.String())
	assert.Equal(t, " 100% [==========]  12/12  took 3s ", frames[1])
	assert.True(t, strings.HasSuffix(out.String(), "\n"))
}

func TestProgressETAText(t *testing.T) {
	for _, tc := range []struct {
		d    time.Duration
		want string
	}{
		{-time.Second, "0s"},
		{0, "0s"},
		{1499 * time.Millisecond, "1s"},
		{59 * time.Second, "59s"},
		{60 * time.Second, "1m00s"},
		{12*time.Minute + 5*time.Second, "12m05s"},
		{3*time.Hour + 5*time.Minute + 40*time.Second, "3h05m"},
		{99*time.Hour + 59*time.Minute, "99h59m"},
		{100 * time.Hour, "4d04h"},
	} {
		assert.Equal(t, tc.want, shortDuration(tc.d), "%v", tc.d)
	}
	assert.Equal(t, "ETA ?", progressView{t: "en"}.etaText())
	assert.Equal(t, "ETA 12m05s", progressView{t: "en", etaKnown: true, eta: 725 * time.Second}.etaText())
	assert.Equal(t, "stopping", progressView{t: "en", stopping: true, etaKnown: true}.etaText())
	assert.Equal(t, "took 3m02s", progressView{t: "en", final: true, elapsed: 182 * time.Second}.etaText())
	assert.Equal(t, "31.2 req/s", rateText(31.24))
	assert.Equal(t, "250 req/s", rateText(250.4))
}

func TestProgressEstimator(t *testing.T) {
	t0 := time.Date(2025, 9, 30, 6, 24, 29, 0, time.UTC)
	snap := func(final, ordered int64) batch.Counters {
		return batch.Counters{TotalRows: 1000, FinalRows: final, Ordered: ordered}
	}
	var e etaEstimator
	e.observe(t0, batch.Counters{}) // the plan is not known yet: ignored
	e.observe(t0, snap(400, 0))     // rows final before the run: the baseline
	_, ok := e.eta(snap(400, 0), -1)
	assert.False(t, ok, "no rate before a row became final")

	e.observe(t0.Add(10*time.Second), snap(400, 50)) // orders placed, reports generating
	_, ok = e.eta(snap(400, 50), -1)
	assert.False(t, ok, "ETA ? while reports are generating, not 0s")

	e.observe(t0.Add(20*time.Second), snap(420, 100))
	d, ok := e.eta(snap(420, 100), -1)
	require.True(t, ok)
	// 20 rows over 20 s, the first 10 s weighing exp(-10/60) as much.
	w := 10*math.Exp(-10.0/60) + 10
	want := time.Duration(580 / (20 / w) * float64(time.Second))
	assert.InDelta(t, want.Seconds(), d.Seconds(), 0.01)
	assert.InDelta(t, 535, d.Seconds(), 1) // about 9 minutes

	// The orders left at the order rate are a lower bound.
	finalRate, orderRate := e.rates()
	assert.Greater(t, finalRate, 0.0)
	d2, ok := e.eta(snap(420, 100), 5000)
	require.True(t, ok)
	assert.InDelta(t, 5000/orderRate, d2.Seconds(), 0.01)
	assert.Greater(t, d2, d)

	d, ok = e.eta(snap(1000, 100), -1)
	assert.True(t, ok)
	assert.Zero(t, d, "every row final")
}

// fakeRates is a rateMeter with fixed numbers.
type fakeRates struct {
	recent  float64
	granted int64
}

func (f fakeRates) RecentRate() float64 { return f.recent }
func (f fakeRates) Granted() int64      { return f.granted }

// recordingSink keeps what a progressLoop showed.
type recordingSink struct{ shown, finished []progressView }

func (r *recordingSink) show(v progressView)   { r.shown = append(r.shown, v) }
func (r *recordingSink) finish(v progressView) { r.finished = append(r.finished, v) }

// fakeClock returns a clock that advances a second on every reading.
func fakeClock() func() time.Time {
	now := time.Date(2025, 9, 30, 6, 24, 29, 0, time.UTC)
	return func() time.Time {
		now = now.Add(time.Second)
		return now
	}
}

// TestProgressLoop_NoBusyLoopAfterInterrupt: once the context is cancelled
// the loop turns once for it, then only when the ticker ticks. The turns
// are counted on an unbuffered channel: a loop that went on selecting the
// cancelled context would turn again at once and block on that channel,
// which the test's select would see instead of its tick being taken.
func TestProgressLoop_NoBusyLoopAfterInterrupt(t *testing.T) {
	p := &batch.Progress{}
	p.TotalRows.Store(12)
	sink := &recordingSink{}
	turns := make(chan struct{})
	l := &progressLoop{t: "en", counters: p.Counters, now: fakeClock(), sink: sink, rates: fakeRates{recent: 3}, iterated: func() { turns <- struct{}{} }}
	ctx, cancel := context.WithCancel(context.Background())
	tick, done := make(chan time.Time), make(chan struct{})
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		l.run(ctx, tick, done)
	}()

	tick <- time.Time{}
	<-turns
	cancel()
	<-turns // the turn for the interrupt
	for i := range 50 {
		select {
		case tick <- time.Time{}:
		case <-turns:
			t.Fatalf("the loop turned without a tick after the interrupt (tick %d)", i)
		}
		<-turns
	}
	close(done)
	<-finished
	assert.Len(t, sink.shown, 52, "one view per tick and one for the interrupt")
	assert.False(t, sink.shown[0].stopping)
	assert.True(t, sink.shown[1].stopping, "the interrupt shows at once")
	require.Len(t, sink.finished, 1)
	assert.True(t, sink.finished[0].final)
}

// TestProgressLoop_StopShowsTrueCounts: after an interrupt with 3 of 12
// rows final, the last line progressbar/v3 wrote says 3/12 and ends with a
// newline.
func TestProgressLoop_StopShowsTrueCounts(t *testing.T) {
	p := &batch.Progress{}
	p.TotalRows.Store(12)
	p.FinalRows.Store(3)
	p.Ordered.Store(12)
	p.Pending.Store(9)
	var out bytes.Buffer
	line := &statusLine{w: &out}
	l := &progressLoop{t: "en", counters: p.Counters, now: fakeClock(), rates: fakeRates{recent: 5, granted: 60},
		sink: &barSink{line: line, columns: func() int { return 80 }, ascii: true}}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	tick, done := make(chan time.Time), make(chan struct{})
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		l.run(ctx, tick, done)
	}()
	tick <- time.Time{} // taken after the interrupt's turn or before it: both show 3/12
	close(done)
	<-finished

	got := out.String()
	require.True(t, strings.HasSuffix(got, "\x1b[0K\n"), "the next message starts on a line of its own: %q", got)
	frames := progressFrames(got)
	require.NotEmpty(t, frames)
	assert.Equal(t, "  25% [==>.........]  3/12  12 ordered  9 pending  20.0 req/s  took 3s ", frames[len(frames)-1])
	assert.NotContains(t, got, "100%")
	assert.NotContains(t, got, "12/12")
	assert.Contains(t, got, "stopping")
	assert.Nil(t, line.bar, "the bar was ended (Exit)")
}

func TestProgressStatusLine_MessagesOnTheirOwnLine(t *testing.T) {
	var out bytes.Buffer
	sl := &statusLine{w: &out}
	fmt.Fprintln(sl, "before any bar")
	sl.draw(barFrame{desc: "1/10 rows", width: 4, pct: 10, ascii: true})
	sl.draw(barFrame{desc: "2/10", width: 2, pct: 20, ascii: true}) // shorter: ESC[0K clears the rest
	fmt.Fprintln(sl, "qccbatch: interrupted")
	sl.draw(barFrame{desc: "3/10 rows", width: 4, pct: 30, ascii: true})
	sl.end()
	fmt.Fprintln(sl, "summary")
	sl.end() // no line drawn: nothing to end

	want := "before any bar\n" +
		"\r  10% [....]  1/10 rows \x1b[0K" +
		"\r  20% [..]  2/10 \x1b[0K" +
		"\x1b[2K\r" + "qccbatch: interrupted\n" +
		"\r  20% [..]  2/10 \x1b[0K" + // the library's last rendering, below the message
		"\r  30% [>...]  3/10 rows \x1b[0K" +
		"\n" + "summary\n"
	assert.Equal(t, want, out.String())

	for _, line := range strings.Split(out.String(), "\n") {
		if i := strings.LastIndex(line, "\r"); i >= 0 {
			line = line[i+1:]
		}
		assert.False(t, strings.HasPrefix(line, " ") && strings.Contains(line, "qccbatch"), "a message is never after a bar: %q", line)
	}
	assert.Same(t, sharedStatusLine(&out), sharedStatusLine(&out))
	assert.Same(t, sl, sharedStatusLine(sl))
}

// TestProgressStatusLine_LastLine: main's message before exiting at once
// ends the progress line and nothing is drawn after it.
func TestProgressStatusLine_LastLine(t *testing.T) {
	var out bytes.Buffer
	sl := &statusLine{w: &out}
	f := barFrame{desc: "1/12", width: 3, pct: 8, ascii: true}
	sl.draw(f)
	sl.printLast("qccbatch: interrupted twice: exiting now")
	sl.draw(f)
	sl.end()
	assert.Equal(t, "\r   8% [...]  1/12 \x1b[0K\nqccbatch: interrupted twice: exiting now\n", out.String())
}

func TestProgressLogSink_Attributes(t *testing.T) {
	var out bytes.Buffer
	h, err := newLogHandler(&out, "text", "en", slog.LevelInfo, time.UTC)
	require.NoError(t, err)
	sink := &logSink{logger: slog.New(h)}
	sink.show(progressView{s: batch.Counters{}}) // no plan yet: nothing
	assert.Empty(t, out.String())
	sink.show(progressView{
		s:       batch.Counters{TotalRows: 1300, FinalRows: 234, Ordered: 300, Ready: 230, Pending: 66, Downloaded: 230},
		elapsed: 21 * time.Second, etaKnown: true, eta: 97 * time.Second, rate: 31.24,
	})
	got := out.String()
	for _, want := range []string{"msg=progress", "percent=18", "rows_final=234", "rows=1300", "elapsed=21s", "eta=1m37s", "downloaded=230", "req_per_s=31.2"} {
		assert.Contains(t, got, want)
	}
	out.Reset()
	sink.show(progressView{s: batch.Counters{TotalRows: 3, FinalRows: 2}})
	assert.Contains(t, out.String(), "eta=unknown")
	assert.Contains(t, out.String(), "percent=66.6 ", "rounded down")
	out.Reset()
	sink.show(progressView{s: batch.Counters{TotalRows: 3}, stopping: true})
	assert.Contains(t, out.String(), "eta=stopping")
}

// TestProgressStart_Quiet: quiet shows nothing and the stop func returns.
func TestProgressStart_Quiet(t *testing.T) {
	var out bytes.Buffer
	stop := startProgress(context.Background(), &out, "en", (&batch.Progress{}).Counters, nil, slog.New(slog.NewTextHandler(&out, nil)), true, true)
	stop()
	assert.Empty(t, out.String())
}

// TestProgressStart_NoTerminal: without a terminal nothing is drawn; the
// stop func returns at once, also after an interrupt.
func TestProgressStart_NoTerminal(t *testing.T) {
	var out bytes.Buffer
	p := &batch.Progress{}
	p.TotalRows.Store(5)
	ctx, cancel := context.WithCancel(context.Background())
	stop := startProgress(ctx, &out, "en", p.Counters, nil, slog.New(slog.NewTextHandler(&out, nil)), false, false)
	cancel()
	stop()
	assert.NotContains(t, out.String(), "\r")
}
