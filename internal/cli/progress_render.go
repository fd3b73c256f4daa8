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
	s        batch.Snapshot
	elapsed  time.Duration
	eta      time.Duration
	etaKnown bool        // false: no measured rate yet ("ETA ?")
	rate     float64     // requests per second actually sent (measured, not the cap)
	stopping bool        // interrupted: requests in flight are finishing
	final    bool        // the run is over: show the elapsed time instead of an ETA
	t        msg.Printer // the language of the line (zh when unset)
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
	barMin, barMax  = 10, 40 // inner width of the [===>   ] bar
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

// renderProgress returns the progress line for a terminal of the given
// width in columns: plain ASCII (one column per byte, also on a Chinese code
// page), at most columns-lineMargin long. Parts that do not fit are left out,
// least useful first, before the bar shrinks; the percentage, the count of
// final rows and the ETA stay down to about 40 columns.
func renderProgress(v progressView, columns int) string {
	if columns <= 0 {
		columns = fallbackColumns
	}
	limit := columns - lineMargin
	s := v.s
	head := fmt.Sprintf("%3d%%", v.percent())
	count := fmt.Sprintf("%d/%d", s.FinalRows, s.TotalRows)
	// In display order; rank says which stay when the line is too narrow.
	parts := []segment{
		{v.t.Text(msg.ProgOrdered, s.Ordered), 2},
		{v.t.Text(msg.ProgPending, s.Pending), 1},
		{v.t.Text(msg.ProgDownloaded, s.Downloaded), 3},
		{v.t.Text(msg.ProgRetries, s.Retries), 5},
		{rateText(v.rate), 4},
		{v.t.Text(msg.ProgElapsed, shortDuration(v.elapsed)), 6},
		{v.etaText(), 0},
	}
	if s.Downloaded == 0 {
		parts[2].text = ""
	}
	if s.Retries == 0 {
		parts[3].text = ""
	}
	if v.final {
		parts[5].text = "" // the last part says how long the run took
	}
	// The bar keeps one width (a sixth of the line) while parts come and
	// go; it shrinks only when nothing else is left to drop.
	target := min(max(limit/6, barMin), barMax)
	for {
		tail := joinSegments(parts)
		room := limit - (len(head) + 1 + len(count) + 2 + results.DisplayWidth(tail)) - 3 // "[", "]" and a space
		switch {
		case room >= target:
			return head + " " + bar(target, s.FinalRows, s.TotalRows) + " " + count + "  " + tail
		case dropLowest(parts):
			continue
		case room >= barMin:
			return head + " " + bar(room, s.FinalRows, s.TotalRows) + " " + count + "  " + tail
		}
		break
	}
	line := head + " " + count + "  " + joinSegments(parts)
	if results.DisplayWidth(line) > limit { // a very narrow terminal
		line = clipWidth(line, max(limit, 0))
	}
	return line
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

// bar draws done/total as "[=====>    ]" with the given inner width.
func bar(width int, done, total int64) string {
	fill := 0
	if total > 0 {
		fill = int(int64(width) * min(max(done, 0), total) / total)
	}
	var b strings.Builder
	b.Grow(width + 2)
	b.WriteByte('[')
	b.WriteString(strings.Repeat("=", fill))
	if fill < width {
		b.WriteByte('>')
		b.WriteString(strings.Repeat(" ", width-fill-1))
	}
	b.WriteByte(']')
	return b.String()
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
