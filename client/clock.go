package client

import (
	"log/slog"
	"net/http"
	"time"
)

// MaxClockSkew is how far the local clock may be off the API's before the
// client signs with the API's time. The API accepts a Timespan within
// 300 s of its clock (else 115); 30 s leaves room for drift between answers.
const MaxClockSkew = 30 * time.Second

// WithLogger sets the logger the client reports to [none]. It logs one
// warning per client, the first time the local clock is found more than
// MaxClockSkew off the API's, naming the offset (attribute "clock_offset",
// the API's clock minus the local clock). The client adds
// "component"="client" to every record.
func WithLogger(l *slog.Logger) Option {
	return func(c *Client) {
		if l != nil {
			c.log = l.With("component", "client")
		}
	}
}

// ClockOffset returns how far the API's clock is ahead of the local clock
// (negative: behind), as measured from the Date header of the last API
// answer that had one, to about a second; 0 before any. When its size
// exceeds MaxClockSkew the client signs requests with the API's time:
// the local time plus this offset.
func (c *Client) ClockOffset() time.Duration { return time.Duration(c.measured.Load()) }

// signTime returns the time to sign a request with: the local clock,
// corrected by the measured offset when the local clock is off.
func (c *Client) signTime() time.Time { return c.now().Add(time.Duration(c.applied.Load())) }

// observeDate learns the API's clock from the Date header of an answer to
// a request sent at sent and answered at received (local clock). It returns
// the API's time the header gives (zero if none or unreadable).
func (c *Client) observeDate(h http.Header, sent, received time.Time) time.Time {
	date, err := http.ParseTime(h.Get("Date"))
	if err != nil {
		return time.Time{}
	}
	// The header is truncated to the second and was written somewhere
	// between sending and receiving: a second's precision is all it gives.
	off := date.Sub(sent.Add(received.Sub(sent) / 2)).Round(time.Second)
	c.measured.Store(int64(off))
	if off > MaxClockSkew || off < -MaxClockSkew {
		c.applied.Store(int64(off))
		if c.warned.CompareAndSwap(false, true) {
			c.log.Warn("the local clock is "+describeOffset(off)+"; signing requests with the API's time: correct the system clock",
				"clock_offset", off)
		}
	} else {
		c.applied.Store(0)
	}
	return date
}

// describeOffset says an offset (API clock minus local clock) in words.
func describeOffset(off time.Duration) string {
	if off < 0 {
		return (-off).String() + " ahead of the API's clock"
	}
	return off.String() + " behind the API's clock"
}
