package cli

import (
	"context"
	"io"
	"log/slog"
	"math"
	"sync"
	"time"

	"github.com/qccbatch/qccbatch/batch"
	"github.com/qccbatch/qccbatch/batch/msg"
	"github.com/qccbatch/qccbatch/ratelimit"
)

// How often the progress is shown: the terminal line is redrawn five times a
// second; without a terminal a log line is written every 10 s.
const (
	barEvery = 200 * time.Millisecond
	logEvery = 10 * time.Second
)

// rateMeter is what the progress display reads from the rate limiter: the
// rate actually achieved, not the ceiling.
type rateMeter interface {
	RecentRate() float64 // requests per second over the last seconds
	Granted() int64      // requests let through since the start
}

// startProgress shows the run's progress until the returned func is called:
// a progress line on a terminal, a log line every 10 s otherwise, nothing
// when quiet. The returned func shows the final, true state (never a bar
// filled for show) and ends the progress line, so that whatever is written
// next starts on a line of its own.
func startProgress(ctx context.Context, w io.Writer, lang string, counters func() batch.Counters, lim *ratelimit.Limiter, logger *slog.Logger, noBar, quiet bool) func() {
	if quiet {
		return func() {}
	}
	l := &progressLoop{counters: counters, now: time.Now, t: msg.For(lang)}
	if lim != nil {
		l.rates = lim
	}
	every := logEvery
	if !noBar && isTerminal(w) && enableANSI(w) {
		every = barEvery
		l.sink = &barSink{line: sharedStatusLine(w), columns: func() int { return terminalColumns(w) },
			ascii: l.t == "en" || wideAmbiguous()}
	} else {
		l.sink = &logSink{logger: logger}
	}
	t := time.NewTicker(every)
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		defer t.Stop()
		l.run(ctx, t.C, done)
	}()
	return func() {
		close(done)
		wg.Wait()
	}
}

// progressLoop samples the counters on every tick and shows them.
type progressLoop struct {
	counters func() batch.Counters // the run's counters now
	rates    rateMeter             // nil: no limiter
	now      func() time.Time
	t        msg.Language // the language of the bar
	sink     progressSink

	start    time.Time
	est      etaEstimator
	stopping bool

	// iterated, when set (tests), is called after each turn of the loop.
	iterated func()
}

// run shows the progress on every tick until done is closed, then shows
// the final state. Once ctx is cancelled (Ctrl-C) it shows "stopping" and
// goes on at the ticker's pace while the run finishes its requests and
// writes the results: a cancelled context's Done channel is always ready,
// so the loop stops selecting on it rather than spin.
func (l *progressLoop) run(ctx context.Context, tick <-chan time.Time, done <-chan struct{}) {
	l.start = l.now()
	interrupted := ctx.Done()
	for {
		select {
		case <-done:
			select {
			case <-interrupted: // both ready: the interrupt is shown before the end, whichever select took
				l.stopping = true
				l.sink.show(l.view(false))
			default:
			}
			l.sink.finish(l.view(true))
			return
		case <-interrupted:
			interrupted = nil // a nil channel is never ready
			l.stopping = true
			l.sink.show(l.view(false))
		case <-tick:
			l.sink.show(l.view(false))
		}
		if l.iterated != nil {
			l.iterated()
		}
	}
}

// view samples the counters and the rates now.
func (l *progressLoop) view(final bool) progressView {
	now := l.now()
	s := l.counters()
	l.est.observe(now, s)
	v := progressView{s: s, elapsed: now.Sub(l.start), stopping: l.stopping, final: final, t: l.t}
	v.eta, v.etaKnown = l.est.eta(s, ordersLeft(s))
	if l.rates != nil {
		if final { // the whole run's average
			if sec := v.elapsed.Seconds(); sec >= 1 {
				v.rate = float64(l.rates.Granted()) / sec
			}
		} else {
			v.rate = l.rates.RecentRate()
		}
	}
	return v
}

// progressSink shows the states of a run.
type progressSink interface {
	show(v progressView)   // a state during the run
	finish(v progressView) // the final state, once
}

// barSink draws the progress line on a terminal through progressbar/v3.
type barSink struct {
	line    *statusLine
	columns func() int // the terminal's width now
	ascii   bool       // ThemeASCII: --lang en, or a console of a double-byte code page (GBK)
	last    barFrame
}

// show draws v unless the line would not change.
func (b *barSink) show(v progressView) {
	if v.s.TotalRows <= 0 { // the plan is not known yet
		return
	}
	if f := layoutProgress(v, b.columns(), b.ascii); f != b.last {
		b.line.draw(f)
		b.last = f
	}
}

// finish draws the true final state, unthrottled, and ends the line.
func (b *barSink) finish(v progressView) {
	if v.s.TotalRows > 0 {
		b.line.draw(layoutProgress(v, b.columns(), b.ascii))
	}
	b.line.end()
}

// logSink logs the progress as a record with the counts, the percentage,
// the elapsed time, the ETA and the downloads.
type logSink struct{ logger *slog.Logger }

// show logs v once the plan is known.
func (l *logSink) show(v progressView) {
	if v.s.TotalRows <= 0 {
		return
	}
	l.logger.Info("progress", progressAttrs(v)...)
}

// finish logs nothing: the summary follows.
func (l *logSink) finish(progressView) {}

// progressAttrs are the attributes of a progress log record.
func progressAttrs(v progressView) []any {
	s := v.s
	pct := 0.0
	if s.TotalRows > 0 { // rounded down: 100 only when every row is final
		pct = math.Floor(float64(s.FinalRows)*1000/float64(s.TotalRows)) / 10
	}
	eta := "unknown"
	switch {
	case v.stopping:
		eta = "stopping"
	case v.etaKnown:
		eta = shortDuration(v.eta)
	}
	return []any{
		"percent", pct, "rows_final", s.FinalRows, "rows", s.TotalRows,
		"ordered", s.Ordered, "ready", s.Ready, "pending", s.Pending, "retries", s.Retries,
		"downloaded", s.Downloaded, "elapsed", shortDuration(v.elapsed), "eta", eta,
		"req_per_s", math.Round(v.rate*10) / 10,
	}
}
