package cli

import (
	"context"
	"io"
	"log/slog"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/qccbatch/qccbatch/batch/msg"
)

// Time layouts of logs and messages: local time with its offset (RFC 3339),
// "+00:00" rather than "Z" so a UTC machine says so as plainly as any other.
const (
	localTimeLayout   = "2006-01-02T15:04:05-07:00"
	localMillisLayout = "2006-01-02T15:04:05.000-07:00" // log records for machines
	clockLayout       = "15:04:05"                      // the human log lines
)

// localTime formats t in loc as RFC 3339 with the offset, to the second.
func localTime(t time.Time, loc *time.Location) string {
	return t.In(loc).Format(localTimeLayout)
}

// newLogger returns the slog logger of a run, writing to w. format is
// "human" (plain sentences for people, in lang), "text" (logfmt), "json",
// or "" (auto: human when w is a terminal, else logfmt); logfmt and JSON
// keep their fixed English messages and keys. quiet keeps only
// warnings and errors. Times are local, with their offset (time.Local,
// honouring TZ).
//
// When w is a terminal, records go through its statusLine, so they never
// land at the end of a progress line.
func newLogger(w io.Writer, format, lang string, quiet bool) (*slog.Logger, error) {
	level := slog.LevelInfo
	if quiet {
		level = slog.LevelWarn
	}
	tty := isTerminal(w)
	if tty {
		w = sharedStatusLine(w)
	}
	if format == "" {
		format = "text"
		if tty {
			format = "human"
		}
	}
	h, err := newLogHandler(w, format, lang, level, time.Local)
	if err != nil {
		return nil, err
	}
	return slog.New(h), nil
}

// newLogHandler returns the handler of a log format, with times in loc and
// human sentences in lang.
func newLogHandler(w io.Writer, format, lang string, level slog.Leveler, loc *time.Location) (slog.Handler, error) {
	t := msg.For(lang)
	opts := &slog.HandlerOptions{Level: level, ReplaceAttr: func(_ []string, a slog.Attr) slog.Attr {
		a = localAttr(a, t)
		if a.Value.Kind() == slog.KindTime {
			layout := localTimeLayout
			if a.Key == slog.TimeKey {
				layout = localMillisLayout
			}
			a.Value = slog.StringValue(a.Value.Time().In(loc).Format(layout))
		}
		return a
	}}
	switch format {
	case "human":
		return &humanHandler{out: &lockedWriter{w: w}, level: level, loc: loc, t: t}, nil
	case "text":
		return slog.NewTextHandler(w, opts), nil
	case "json":
		return slog.NewJSONHandler(w, opts), nil
	}
	return nil, usagef("--log-format must be text or json (or human: plain sentences, the default on a terminal), not %q", format)
}

// localAttr renders a value the library logs as a message (msg.Message,
// or an error of the catalogue) in t: the library never knows the language.
func localAttr(a slog.Attr, t msg.Language) slog.Attr {
	if a.Value.Kind() != slog.KindAny {
		return a
	}
	switch v := a.Value.Any().(type) {
	case msg.Message:
		a.Value = slog.StringValue(v.In(t))
	case error:
		a.Value = slog.StringValue(msg.Render(v, t))
	}
	return a
}

// lockedWriter makes the writes of handlers derived from one another
// (With, WithGroup) one at a time.
type lockedWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) write(p []byte) {
	l.mu.Lock()
	defer l.mu.Unlock()
	_, _ = l.w.Write(p)
}

// humanHandler writes a log record as a line for a person at a terminal:
//
//	08:21:03 warning: stopping: API 112 余额不足
//	08:21:04 plan: 12 rows, 12 companies, 12 to order, 0 to poll
//
// The clock time is local; warnings and errors say so; a number reads as
// "12 rows", any other value as "base url http://…", and the values of
// reason and err stand alone. The component attribute, for filtering
// machine logs, is left out. The messages and keys the program logs are
// written in t's language (logMessages, logKeys); values stay as they are.
type humanHandler struct {
	out    *lockedWriter
	level  slog.Leveler
	loc    *time.Location
	t      msg.Language
	attrs  []string // rendered attributes of With
	prefix string   // group prefix of WithGroup, "a.b."
}

// Enabled reports whether records of the level are written.
func (h *humanHandler) Enabled(_ context.Context, l slog.Level) bool {
	return l >= h.level.Level()
}

// WithAttrs returns a handler that adds attrs to every record.
func (h *humanHandler) WithAttrs(attrs []slog.Attr) slog.Handler {
	h2 := *h
	h2.attrs = append([]string(nil), h.attrs...)
	for _, a := range attrs {
		h2.attrs = h.appendAttr(h2.attrs, h.prefix, a)
	}
	return &h2
}

// WithGroup returns a handler that qualifies later attributes with name.
func (h *humanHandler) WithGroup(name string) slog.Handler {
	if name == "" {
		return h
	}
	h2 := *h
	h2.prefix = h.prefix + name + "."
	return &h2
}

// Handle writes one record as one line.
func (h *humanHandler) Handle(_ context.Context, r slog.Record) error {
	var b strings.Builder
	if !r.Time.IsZero() {
		b.WriteString(r.Time.In(h.loc).Format(clockLayout))
		b.WriteByte(' ')
	}
	switch {
	case r.Level >= slog.LevelError:
		b.WriteString(h.t.Text(msg.LogError))
	case r.Level >= slog.LevelWarn:
		b.WriteString(h.t.Text(msg.LogWarning))
	case r.Level < slog.LevelInfo:
		b.WriteString("debug: ")
	}
	if id, ok := logMessages[r.Message]; ok {
		b.WriteString(h.t.Text(id))
	} else {
		b.WriteString(r.Message)
	}
	attrs := append([]string(nil), h.attrs...)
	r.Attrs(func(a slog.Attr) bool {
		attrs = h.appendAttr(attrs, h.prefix, a)
		return true
	})
	if len(attrs) > 0 {
		// A one-word message is a label ("plan: 12 rows"); a sentence gets
		// its details in parentheses.
		list := strings.Join(attrs, h.t.Text(msg.LogListSep))
		if strings.ContainsAny(r.Message, " \t\r\n") {
			b.WriteString(h.t.Text(msg.LogDetails, list))
		} else {
			b.WriteString(h.t.Text(msg.LogLabelled, list))
		}
	}
	b.WriteByte('\n')
	h.out.write([]byte(oneLine(b.String())))
	return nil
}

// oneLine keeps a record on one line: inner line breaks become spaces.
func oneLine(s string) string {
	body := strings.TrimSuffix(s, "\n")
	if !strings.ContainsAny(body, "\r\n") {
		return s
	}
	return strings.NewReplacer("\r\n", " ", "\n", " ", "\r", " ").Replace(body) + "\n"
}

// appendAttr renders a for a person and appends it to dst.
func (h *humanHandler) appendAttr(dst []string, prefix string, a slog.Attr) []string {
	a.Value = a.Value.Resolve()
	a = localAttr(a, h.t)
	if a.Equal(slog.Attr{}) || (prefix == "" && a.Key == "component") {
		return dst
	}
	if a.Value.Kind() == slog.KindGroup {
		p := prefix
		if a.Key != "" {
			p += a.Key + "."
		}
		for _, g := range a.Value.Group() {
			dst = h.appendAttr(dst, p, g)
		}
		return dst
	}
	key := humanKey(prefix + a.Key)
	if id, ok := logKeys[prefix+a.Key]; ok {
		key = h.t.Text(id)
	}
	zh := h.t.Lang() == "zh"
	v := a.Value
	switch v.Kind() {
	case slog.KindInt64, slog.KindUint64, slog.KindFloat64:
		val := v.String()
		if v.Kind() == slog.KindFloat64 {
			val = strconv.FormatFloat(v.Float64(), 'f', -1, 64)
		}
		if key == "percent" {
			return append(dst, val+"%")
		}
		if zh {
			return append(dst, key+" "+val)
		}
		return append(dst, val+" "+key)
	case slog.KindTime:
		return append(dst, key+" "+localTime(v.Time(), h.loc))
	case slog.KindDuration:
		return append(dst, key+" "+v.Duration().String())
	}
	val := v.String()
	if val == "" {
		val = `""`
	}
	switch a.Key {
	case "reason", "err", "error":
		return append(dst, val)
	case "eta":
		switch val {
		case "unknown":
			val = h.t.Text(msg.ProgUnknown)
		case "stopping":
			val = h.t.Text(msg.ProgStopping)
		}
	}
	return append(dst, key+" "+val)
}

// logMessages are the messages the program logs, with their human sentence
// in the catalogue.
var logMessages = map[string]msg.ID{
	"plan":     msg.LogPlan,
	"progress": msg.LogProgress,
	"stopping": msg.LogStopping,
	"order placed but the state file could not record it":     msg.LogNotRecorded,
	"using the built-in sandbox API: no credentials, no cost": msg.LogSandbox,
}

// logKeys are the attribute keys the program logs, as words in the
// catalogue; other keys read as humanKey makes them.
var logKeys = map[string]msg.ID{
	"rows": msg.LogKeyRows, "companies": msg.LogKeyCompanies, "to_order": msg.LogKeyToOrder,
	"to_poll": msg.LogKeyToPoll, "to_download": msg.LogKeyToDownload, "rows_final": msg.LogKeyRowsFinal,
	"ordered": msg.LogKeyOrdered, "ready": msg.LogKeyReady, "pending": msg.LogKeyPending,
	"retries": msg.LogKeyRetries, "downloaded": msg.LogKeyDownloaded, "elapsed": msg.LogKeyElapsed,
	"eta": msg.LogKeyETA, "base_url": msg.LogKeyBaseURL, "search_key": msg.LogKeySearchKey, "order_no": msg.LogKeyOrderNo,
}

// humanKey turns an attribute key into words: "base_url" → "base URL",
// "req.id" (a group) → "req ID".
func humanKey(k string) string {
	if k == "req_per_s" {
		return "req/s"
	}
	words := strings.FieldsFunc(k, func(r rune) bool { return r == '_' || r == '-' || r == '.' })
	for i, w := range words {
		switch w {
		case "url", "api", "eta", "id", "qps":
			words[i] = strings.ToUpper(w)
		}
	}
	return strings.Join(words, " ")
}

// holdLine returns l holding back one record (level, msg, args) until
// the first record l logs, or until flush is called: a line that only
// makes sense once something happens (the sandbox is in use) is not left
// alone before the one-line error of a run refused at the start. Records
// below the logger's level are dropped as usual.
func holdLine(l *slog.Logger, level slog.Level, msg string, args ...any) (held *slog.Logger, flush func()) {
	r := slog.NewRecord(time.Now(), level, msg, 0)
	r.Add(args...)
	d := &heldLine{Handler: l.Handler(), base: l.Handler(), once: new(sync.Once), rec: r}
	return slog.New(d), func() { d.flush(context.Background()) }
}

// heldLine is the handler of holdLine.
type heldLine struct {
	slog.Handler              // where records go, with this handler's attributes
	base         slog.Handler // where the held record goes
	once         *sync.Once
	rec          slog.Record
}

func (d *heldLine) flush(ctx context.Context) {
	d.once.Do(func() {
		if d.base.Enabled(ctx, d.rec.Level) {
			_ = d.base.Handle(ctx, d.rec)
		}
	})
}

func (d *heldLine) Handle(ctx context.Context, r slog.Record) error {
	d.flush(ctx)
	return d.Handler.Handle(ctx, r)
}

func (d *heldLine) WithAttrs(as []slog.Attr) slog.Handler {
	return &heldLine{Handler: d.Handler.WithAttrs(as), base: d.base, once: d.once, rec: d.rec}
}

func (d *heldLine) WithGroup(name string) slog.Handler {
	return &heldLine{Handler: d.Handler.WithGroup(name), base: d.base, once: d.once, rec: d.rec}
}
