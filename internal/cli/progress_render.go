package cli

import (
	"fmt"
	"strings"
	"time"

	"github.com/qccbatch/qccbatch/batch"
	"github.com/qccbatch/qccbatch/batch/msg"
	"github.com/qccbatch/qccbatch/batch/results"
)

// progressView is everything one progress line or log line shows.
type progressView struct {
	s        batch.Counters
	elapsed  time.Duration
	eta      time.Duration
	etaKnown bool         // false: no measured rate yet ("ETA ?")
	rate     float64      // requests per second actually sent (measured, not the cap)
	stopping bool         // interrupted: requests in flight are finishing
	final    bool         // the run is over: show the elapsed time instead of an ETA
	t        msg.Language // the language of the line (zh when unset)
}

// Layout of the progress line.
const (
	// lineMargin columns stay free at the right of the terminal: writing the
	// last column wraps the cursor on the Windows console, and the terminal
	// echoes Ctrl-C as "^C" after the text.
	lineMargin = 3
	// fallbackColumns is the width assumed when the terminal cannot say
	// (and the Windows console's traditional default).
	fallbackColumns = 80
	barMin, barMax  = 10, 40 // inner width of the [===>...] bar
	// barFixed is what progressbar/v3 writes around the bar and our text:
	// "%4d%% ", "[" and "]", then " ", " " before the description and " "
	// after it (no stats, no predicted or elapsed time: ours are in the text).
	barFixed = 11
)

// percent returns the share of final rows, rounded down: 100 only when every
// row is final.
func (v progressView) percent() int64 {
	if v.s.TotalRows <= 0 {
		return 0
	}
	return v.s.FinalRows * 100 / v.s.TotalRows
}

// etaText is the ETA part of the line: "ETA 12m05s", "ETA ?" before a rate is
// measured, "stopping" once interrupted, "took 3m02s" at the end.
func (v progressView) etaText() string {
	switch {
	case v.final:
		return v.t.Text(msg.ProgTook, shortDuration(v.elapsed))
	case v.stopping:
		return v.t.Text(msg.ProgStopping)
	case !v.etaKnown:
		return v.t.Text(msg.ProgETAUnknown)
	}
	return v.t.Text(msg.ProgETA, shortDuration(v.eta))
}

// segment is one optional part of the progress line.
type segment struct {
	text string
	rank int // kept before parts of a higher rank when the line is too narrow
}

// barFrame is one drawing of the progress line, as progressbar/v3 is given
// it: our text (the true counts, the measured rate, our ETA) as the bar's
// description, the bar's inner width, and the percentage.
type barFrame struct {
	desc  string
	width int   // OptionSetWidth
	pct   int64 // the share of final rows, rounded down
	ascii bool  // ThemeASCII ("[===>...]") instead of the block bar
}

// columns is how many terminal columns the library's line takes, a Han
// character counted as two as its getStringWidth does.
func (f barFrame) columns() int {
	return barFixed + f.width + results.DisplayWidth(f.desc)
}

// layoutProgress chooses the text and the bar width of the progress line
// for a terminal of the given width in columns, so that the whole line is
// at most columns-lineMargin wide. Parts that do not fit are left out,
// least useful first, before the bar shrinks; the percentage, the count of
// final rows and the ETA stay down to about 40 columns.
func layoutProgress(v progressView, columns int, ascii bool) barFrame {
	if columns <= 0 {
		columns = fallbackColumns
	}
	limit := columns - lineMargin
	s := v.s
	count := fmt.Sprintf("%d/%d", s.FinalRows, s.TotalRows)
	// In display order; rank says which stay when the line is too narrow.
	parts := []segment{
		{count, 0},
		{v.t.Text(msg.ProgOrdered, s.Ordered), 2},
		{v.t.Text(msg.ProgPending, s.Pending), 1},
		{v.t.Text(msg.ProgDownloaded, s.Downloaded), 3},
		{v.t.Text(msg.ProgRetries, s.Retries), 5},
		{rateText(v.rate), 4},
		{v.t.Text(msg.ProgElapsed, shortDuration(v.elapsed)), 6},
		{v.etaText(), 0},
	}
	if s.Downloaded == 0 {
		parts[3].text = ""
	}
	if s.Retries == 0 {
		parts[4].text = ""
	}
	if v.final {
		parts[6].text = "" // the last part says how long the run took
	}
	f := barFrame{pct: v.percent(), ascii: ascii}
	// The bar keeps one width (a sixth of the line) while parts come and
	// go; it shrinks only when nothing else is left to drop.
	target := min(max(limit/6, barMin), barMax)
	for {
		f.desc, f.width = joinSegments(parts), 0
		room := limit - f.columns()
		switch {
		case room >= target:
			f.width = target
			return f
		case dropLowest(parts):
			continue
		case room >= barMin:
			f.width = room
			return f
		}
		break
	}
	// A very narrow terminal: an empty bar, and the text cut to fit.
	f.desc = clipWidth(f.desc, max(limit-barFixed, 0))
	return f
}

// clipWidth cuts s to at most width terminal columns, never inside a
// character (a Han character takes two columns).
func clipWidth(s string, width int) string {
	w := 0
	for i, r := range s {
		rw := results.DisplayWidth(string(r))
		if w+rw > width {
			return s[:i]
		}
		w += rw
	}
	return s
}

// joinSegments joins the non-empty segments with two spaces.
func joinSegments(parts []segment) string {
	var b strings.Builder
	for _, p := range parts {
		if p.text == "" {
			continue
		}
		if b.Len() > 0 {
			b.WriteString("  ")
		}
		b.WriteString(p.text)
	}
	return b.String()
}

// dropLowest empties the shown segment of the highest rank except rank 0
// (the ETA); it reports false when none is left to drop.
func dropLowest(parts []segment) bool {
	worst := -1
	for i, p := range parts {
		if p.text != "" && p.rank > 0 && (worst < 0 || p.rank > parts[worst].rank) {
			worst = i
		}
	}
	if worst < 0 {
		return false
	}
	parts[worst].text = ""
	return true
}

// rateText says a measured request rate.
func rateText(r float64) string {
	if r >= 100 {
		return fmt.Sprintf("%.0f req/s", r)
	}
	return fmt.Sprintf("%.1f req/s", r)
}

// shortDuration writes d compactly for a progress line, rounded to the
// second: "45s", "12m05s", "3h05m", "4d07h".
func shortDuration(d time.Duration) string {
	if d < 0 {
		d = 0
	}
	sec := int64(d.Round(time.Second) / time.Second)
	switch {
	case sec < 60:
		return fmt.Sprintf("%ds", sec)
	case sec < 3600:
		return fmt.Sprintf("%dm%02ds", sec/60, sec%60)
	case sec < 100*3600:
		return fmt.Sprintf("%dh%02dm", sec/3600, sec%3600/60)
	}
	return fmt.Sprintf("%dd%02dh", sec/86400, sec%86400/3600)
}
