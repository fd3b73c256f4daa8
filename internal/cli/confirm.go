package cli

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/qccbatch/qccbatch/batch/msg"
)

// confirmOrders returns the question a run on a terminal asks, in lang,
// before placing more than batch.ConfirmAbove new orders: "Place 12,345
// orders (≈ ¥370,350)? [y/N]", "下单 12,345 份报告（约 ¥370,350）？[y/N]".
// Anything but y, yes or 是, or the end of input, places nothing. When ctx
// ends while it waits for the answer (Ctrl-C at the prompt), it returns
// false at once: the read of in is left behind, and startConfirmed reports
// the interrupt (it checks the context after a declined confirmation).
func confirmOrders(ctx context.Context, in io.Reader, out io.Writer, lang string, price float64) func(orders int, cost float64) bool {
	t := msg.For(lang)
	return func(orders int, cost float64) bool {
		q := t.Text(msg.ConfirmPlace, groupThousands(int64(orders)))
		if price > 0 {
			q += t.Text(msg.ConfirmCost, groupThousands(int64(cost+0.5)))
		}
		fmt.Fprint(out, t.Text(msg.ConfirmAsk, q))
		type answer struct {
			line string
			err  error
		}
		answered := make(chan answer, 1) // the reader never blocks on a prompt given up
		go func() {
			line, err := bufio.NewReader(in).ReadString('\n')
			answered <- answer{line, err}
		}()
		var line string
		select {
		case a := <-answered:
			if a.err != nil && a.line == "" {
				fmt.Fprintln(out)
				return false
			}
			line = a.line
		case <-ctx.Done():
			fmt.Fprintln(out)
			return false
		}
		switch strings.ToLower(strings.TrimSpace(line)) {
		case "y", "yes", "是":
			return true
		}
		return false
	}
}

// groupThousands writes n with thousands separators: 12345 → "12,345".
func groupThousands(n int64) string {
	s := fmt.Sprint(n)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}
