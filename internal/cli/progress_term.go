package cli

import (
	"fmt"
	"io"
	"os"
	"sync"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"
)

// isTerminal reports whether a standard stream (an *os.File) is a terminal.
func isTerminal(stream any) bool {
	f, ok := stream.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// terminalColumns returns the width of the terminal w writes to, or
// fallbackColumns when it cannot be read.
func terminalColumns(w io.Writer) int {
	if f, ok := w.(*os.File); ok {
		if cols, _, err := term.GetSize(int(f.Fd())); err == nil && cols > 0 {
			return cols
		}
	}
	return fallbackColumns
}

// statusLine serialises the writes to one terminal stream shared by the
// progress line and log lines. The progress line is drawn by
// github.com/schollz/progressbar/v3, called only under the statusLine's lock
// (the library's String and its options are not locked by the library).
// While a progress line is on screen, every other line written through the
// statusLine first clears it (ESC[2K, then CR), so it starts at the left
// margin on a line of its own, and the library's last rendering of the
// progress line is written again below it.
//
// ANSI sequences: the library's OptionUseANSICodes ends each rendering with
// ESC[0K instead of blanking the old line with spaces (or, on Windows, only
// a carriage return, which left characters behind). On Windows the console
// is asked to interpret them (enableANSI); where it cannot, no bar is drawn.
type statusLine struct {
	mu     sync.Mutex
	w      io.Writer
	bar    *progressbar.ProgressBar // the progress line on screen; nil when none
	closed bool                     // the program is exiting: draw nothing more
}

// barSteps is the progress bar's maximum. The library computes its
// percentage as int(float64(n)/float64(max)*100), which shows 28 % for 29 of
// 100 rows (0.29*100 is 28.999...). It is given our percentage instead, as a
// count of barSteps (a power of two, so that the division is exact).
const barSteps = 1024

// newBar makes the library's bar for a progress line on w.
func newBar(w io.Writer, ascii bool) *progressbar.ProgressBar {
	theme := progressbar.ThemeDefault
	if ascii {
		theme = progressbar.ThemeASCII
	}
	return progressbar.NewOptions64(barSteps,
		progressbar.OptionSetWriter(w),
		progressbar.OptionUseANSICodes(true),
		progressbar.OptionSetTheme(theme),
		progressbar.OptionShowDescriptionAtLineEnd(),
		progressbar.OptionSetPredictTime(false), // the ETA is ours, in the description
		progressbar.OptionSetElapsedTime(false),
		progressbar.OptionSetWidth(barMin),
		// No OptionThrottle: the progress loop paces the drawings, and a
		// throttled library would skip the last state.
	)
}

// draw shows f as the progress line, replacing the one on screen: exactly
// one rendering of the library, with f's text, width and percentage.
func (t *statusLine) draw(f barFrame) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.closed {
		return
	}
	if t.bar == nil {
		t.bar = newBar(t.w, f.ascii)
	}
	progressbar.OptionSetWidth(f.width)(t.bar)
	progressbar.OptionSetDescription(f.desc)(t.bar)
	// Set64 renders only when the percentage changes, and once the library
	// has drawn a full bar it draws nothing more (with ANSI codes not even
	// on Describe): each frame starts from a reset state, so Set64 renders
	// it whenever the percentage is above 0, RenderBlank when it is 0.
	t.bar.Reset()
	pct := min(max(f.pct, 0), 100)
	_ = t.bar.Set64((pct*barSteps + 99) / 100) // the library shows pct exactly
	if pct == 0 {
		_ = t.bar.RenderBlank()
	}
}

// end leaves the progress line on screen as it is (the library's Exit keeps
// its state: never Finish, which fills the bar) and moves to a new line:
// what is written next starts on a line of its own.
func (t *statusLine) end() {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.endLocked()
}

func (t *statusLine) endLocked() {
	if t.bar != nil {
		_ = t.bar.Exit()
		io.WriteString(t.w, "\n")
	}
	t.bar = nil
}

// Write writes p (whole lines, such as a log record) above the progress
// line.
func (t *statusLine) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.bar != nil {
		// The whole line, with the "^C" the terminal may have echoed.
		io.WriteString(t.w, "\x1b[2K\r")
	}
	n, err := t.w.Write(p)
	if t.bar != nil && err == nil {
		io.WriteString(t.w, t.bar.String()) // the library's last rendering
	}
	return n, err
}

// terminals holds the statusLine of each terminal stream, so the logger and
// the progress display of a run share one.
var terminals sync.Map // io.Writer → *statusLine

// sharedStatusLine returns the statusLine that coordinates writes to w.
func sharedStatusLine(w io.Writer) *statusLine {
	if t, ok := w.(*statusLine); ok {
		return t
	}
	t, _ := terminals.LoadOrStore(w, &statusLine{w: w})
	return t.(*statusLine)
}

// printLine writes msg to w on a line of its own. On a terminal that shows
// a progress line, the progress line is blanked first and drawn again
// below, so a message written from anywhere (the interrupt notice of main's
// signal handler, say) never lands at the end of the progress line.
func printLine(w io.Writer, msg string) {
	if isTerminal(w) {
		w = sharedStatusLine(w)
	}
	fmt.Fprintln(w, msg)
}

// printLastLine ends the progress line on w where it stands, writes msg
// below it and lets no progress line be drawn after that: for a message
// just before the program exits at once (main's second interrupt), so the
// shell's prompt starts on a line of its own.
func printLastLine(w io.Writer, msg string) {
	if isTerminal(w) {
		sharedStatusLine(w).printLast(msg)
		return
	}
	fmt.Fprintln(w, msg)
}

// printLast ends the progress line, writes msg and closes the line.
func (t *statusLine) printLast(msg string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.endLocked()
	t.closed = true
	fmt.Fprintln(t.w, msg)
}
