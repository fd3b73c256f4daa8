package results

import (
	"strings"
	"time"
)

// The writers reuse what they can from one row to the next, because a
// results file has up to a million rows and excelize already allocates for
// every cell: values that repeat (outcome labels, report statuses, codes,
// messages, a region column, the second an order was placed) are boxed into
// interface values and formatted once.

// Limits of boxCache: the strings worth keeping are short and few.
const (
	maxBoxedLen   = 64
	maxBoxedCount = 4096
)

// boxCache hands out strings boxed as interface values (what the stream
// writer's SetRow takes), boxing each distinct short string once. It keeps
// the first maxBoxedCount distinct strings and boxes any later new one
// afresh, so memory stays bounded whatever the input.
type boxCache struct {
	m map[string]any
}

// newBoxCache returns an empty cache.
func newBoxCache() *boxCache {
	return &boxCache{m: make(map[string]any, 256)}
}

// box returns s as an interface value; nil for "" so no empty cell is written.
func (b *boxCache) box(s string) any {
	if s == "" {
		return nil
	}
	if v, ok := b.m[s]; ok {
		return v
	}
	if len(s) > maxBoxedLen || len(b.m) >= maxBoxedCount {
		return s
	}
	// A clone: s may be a slice of the source's whole line, which the
	// cache must not keep alive.
	s = strings.Clone(s)
	var v any = s
	b.m[s] = v
	return v
}

// timeText formats one time column, remembering the last second it
// formatted: orders are placed many a second, so neighbouring rows share it.
type timeText struct {
	sec   int64
	valid bool
	text  string
	boxed any
}

// format returns t in RFC 3339 in loc and the same text boxed; "" and nil
// for the zero time.
func (tt *timeText) format(t time.Time, loc *time.Location) (string, any) {
	if t.IsZero() {
		return "", nil
	}
	if sec := t.Unix(); !tt.valid || sec != tt.sec {
		tt.sec, tt.valid = sec, true
		tt.text = t.In(loc).Format(time.RFC3339)
		tt.boxed = tt.text
	}
	return tt.text, tt.boxed
}
