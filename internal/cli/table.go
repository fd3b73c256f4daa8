package cli

import (
	"bytes"
	"io"
	"strings"

	"github.com/qccbatch/qccbatch/batch/results"
)

// tableWriter aligns tab-separated cells like text/tabwriter (minwidth 0,
// padding pad, spaces), but by display width: a Han character takes two
// columns on a terminal, and tabwriter, counting runes, misaligned every
// column after a Chinese company name or label. Cells end with a tab; the
// text after a line's last tab is not aligned. Consecutive lines holding a
// tab form one block, aligned together; a line without one ends it.
type tableWriter struct {
	w   io.Writer
	pad int
	buf bytes.Buffer
}

func newTableWriter(w io.Writer, pad int) *tableWriter {
	return &tableWriter{w: w, pad: pad}
}

// Write buffers p until Flush.
func (t *tableWriter) Write(p []byte) (int, error) { return t.buf.Write(p) }

// Flush writes the buffered lines, aligned.
func (t *tableWriter) Flush() error {
	text := t.buf.String()
	t.buf.Reset()
	lines := strings.SplitAfter(text, "\n")
	var out strings.Builder
	for start := 0; start < len(lines); {
		if !strings.Contains(lines[start], "\t") {
			out.WriteString(lines[start])
			start++
			continue
		}
		end := start
		for end < len(lines) && strings.Contains(lines[end], "\t") {
			end++
		}
		block := make([][]string, end-start)
		var widths []int
		for i, line := range lines[start:end] {
			block[i] = strings.Split(line, "\t")
			for c, cell := range block[i][:len(block[i])-1] {
				if c == len(widths) {
					widths = append(widths, 0)
				}
				widths[c] = max(widths[c], results.DisplayWidth(cell))
			}
		}
		for _, cells := range block {
			last := len(cells) - 1
			for c, cell := range cells[:last] {
				out.WriteString(cell)
				out.WriteString(strings.Repeat(" ", widths[c]-results.DisplayWidth(cell)+t.pad))
			}
			out.WriteString(cells[last])
		}
		start = end
	}
	_, err := io.WriteString(t.w, out.String())
	return err
}
