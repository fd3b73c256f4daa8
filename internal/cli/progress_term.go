package cli

import (
	"fmt"
	"io"
	"os"
	"strings"
	"sync"

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
// progress line and log lines. While a progress line is drawn, every other
// line written through it first blanks the progress line, so it starts at
// the left margin on a line of its own, and the progress line is drawn again
// below it.
//
// Lines are cleared with spaces and carriage returns, not ANSI sequences,
// which the Windows console shows as text unless told otherwise.
type statusLine struct {
	mu     sync.Mutex
	w      io.Writer
	line   string // the progress line on screen; "" when none
	col    int    // the cursor's column after drawing it
	closed bool   // the program is exiting: draw nothing more
}

// draw shows line as the progress line, replacing the one on screen.
func (t *statusLine) draw(line string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.drawLocked(line)
}

func (t *statusLine) drawLocked(line string) {
	if t.closed {
		return
	}
	pad := max(t.col-len(line), 0) // blank what a longer line left
	io.WriteString(t.w, "\r"+line+strings.Repeat(" ", pad))
	t.line, t.col = line, len(line)+pad
}

// end leaves the progress line on screen as it is and moves to a new line:
// what is written next starts on a line of its own.
func (t *statusLine) end() {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.endLocked()
}

func (t *statusLine) endLocked() {
	if t.line != "" {
		io.WriteString(t.w, "\n")
	}
	t.line, t.col = "", 0
}

// Write writes p (whole lines, such as a log record) above the progress
// line.
func (t *statusLine) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	line := t.line
	if line != "" {
		// Two more columns: the terminal may have echoed "^C" after the text.
		io.WriteString(t.w, "\r"+strings.Repeat(" ", t.col+2)+"\r")
		t.col = 0
	}
	n, err := t.w.Write(p)
	if line != "" && err == nil {
		t.drawLocked(line)
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
