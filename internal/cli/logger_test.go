package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// beijing is a fixed +08:00 zone, so tests never depend on time.Local.
var beijing = time.FixedZone("CST", 8*3600)

// at is 2025-09-30 06:24:29.5 UTC: 14:24:29 in Beijing.
var at = time.Date(2025, 9, 30, 6, 24, 29, 500e6, time.UTC)

// logRecord writes one record through a handler of format with times in
// loc and returns the output.
func logRecord(t *testing.T, format string, loc *time.Location, level slog.Level, msg string, args ...any) string {
	t.Helper()
	var out bytes.Buffer
	h, err := newLogHandler(&out, format, "en", slog.LevelInfo, loc)
	require.NoError(t, err)
	r := slog.NewRecord(at, level, msg, 0)
	r.Add(args...)
	if h.Enabled(context.Background(), level) {
		require.NoError(t, h.Handle(context.Background(), r))
	}
	return out.String()
}

func TestLogHuman_Lines(t *testing.T) {
	for _, tc := range []struct {
		name  string
		level slog.Level
		msg   string
		args  []any
		want  string
	}{
		{"stop reason stands alone", slog.LevelWarn, "stopping", []any{"reason", "API 112 余额不足"},
			"14:24:29 warning: stopping: API 112 余额不足\n"},
		{"numbers read as counts", slog.LevelInfo, "plan", []any{"rows", 12, "companies", 12, "to_order", 12, "to_poll", 0},
			"14:24:29 plan: 12 rows, 12 companies, 12 to order, 0 to poll\n"},
		{"a sentence gets its details in parentheses", slog.LevelInfo, "using the built-in sandbox API: no credentials, no cost",
			[]any{"base_url", "http://127.0.0.1:8080/api/yj"},
			"14:24:29 using the built-in sandbox API: no credentials, no cost (base URL http://127.0.0.1:8080/api/yj)\n"},
		{"errors and durations", slog.LevelError, "order placed but the state file could not record it",
			[]any{"search_key", "测试企业", "order_no", "R1", "err", errors.New("no space left on device"), "clock_offset", 45 * time.Second},
			"14:24:29 error: order placed but the state file could not record it (search key 测试企业, order no R1, no space left on device, clock offset 45s)\n"},
		{"times are local with the offset", slog.LevelInfo, "cooldown", []any{"until", at.Add(2 * time.Hour)},
			"14:24:29 cooldown: until 2025-09-30T16:24:29+08:00\n"},
		{"progress", slog.LevelInfo, "progress", []any{"percent", 18.0, "rows_final", 234, "eta", "1m37s", "req_per_s", 31.2},
			"14:24:29 progress: 18%, 234 rows final, ETA 1m37s, 31.2 req/s\n"},
		{"groups and empty strings", slog.LevelInfo, "x", []any{slog.Group("req", "id", "a1", "path", ""), "n", uint64(3)},
			"14:24:29 x: req ID a1, req path \"\", 3 n\n"},
		{"one line, whatever the message", slog.LevelInfo, "two\nlines", []any{"reason", "a\r\nb"},
			"14:24:29 two lines (a b)\n"},
		{"debug is not written", slog.LevelDebug, "noise", nil, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := logRecord(t, "human", beijing, tc.level, tc.msg, tc.args...)
			assert.Equal(t, tc.want, got)
		})
	}
}

func TestLogHuman_WithAttrsAndGroup(t *testing.T) {
	var out bytes.Buffer
	h, err := newLogHandler(&out, "human", "en", slog.LevelInfo, beijing)
	require.NoError(t, err)
	logger := slog.New(h).With("component", "client", "host", "pro.qcc.com").WithGroup("http")
	r := slog.NewRecord(at, slog.LevelWarn, "the local clock is 45s behind the API's clock", 0)
	r.Add("status", 200)
	require.NoError(t, logger.Handler().Handle(context.Background(), r))
	assert.Equal(t, "14:24:29 warning: the local clock is 45s behind the API's clock (host pro.qcc.com, 200 http status)\n", out.String(),
		"the component attribute is for machine logs")
}

func TestLogFormats_LocalTimeWithOffset(t *testing.T) {
	text := logRecord(t, "text", beijing, slog.LevelInfo, "cooldown", "until", at)
	assert.Equal(t, "time=2025-09-30T14:24:29.500+08:00 level=INFO msg=cooldown until=2025-09-30T14:24:29+08:00\n", text)

	var obj map[string]any
	require.NoError(t, json.Unmarshal([]byte(logRecord(t, "json", beijing, slog.LevelInfo, "cooldown", "until", at)), &obj))
	assert.Equal(t, "2025-09-30T14:24:29.500+08:00", obj["time"])
	assert.Equal(t, "2025-09-30T14:24:29+08:00", obj["until"])

	// A machine on UTC says +00:00 as plainly as any other offset.
	text = logRecord(t, "text", time.UTC, slog.LevelInfo, "x")
	assert.Contains(t, text, "time=2025-09-30T06:24:29.500+00:00 ")
	assert.Equal(t, "2025-09-30T14:24:29+08:00", localTime(at, beijing))
}

func TestLogNewLogger_Formats(t *testing.T) {
	for _, tc := range []struct {
		format, want string
	}{
		{"", "level=INFO msg=hello"}, // not a terminal: logfmt
		{"text", "level=INFO msg=hello"},
		{"json", `"msg":"hello"`},
		{"human", " hello: 1 n\n"},
	} {
		var out bytes.Buffer
		logger, err := newLogger(&out, tc.format, "en", false)
		require.NoError(t, err, tc.format)
		logger.Info("hello", "n", 1)
		assert.Contains(t, out.String(), tc.want, "format %q", tc.format)
	}
	_, err := newLogger(&bytes.Buffer{}, "yaml", "en", false)
	var ue *usageError
	require.ErrorAs(t, err, &ue)
	assert.Contains(t, err.Error(), "--log-format")

	var out bytes.Buffer
	logger, err := newLogger(&out, "human", "en", true)
	require.NoError(t, err)
	logger.Info("progress", "n", 1)
	assert.Empty(t, out.String(), "quiet: no info")
	logger.Warn("stopping", "reason", "API 112 余额不足")
	assert.True(t, strings.HasSuffix(out.String(), " warning: stopping: API 112 余额不足\n"), out.String())
}

// TestLogHuman_AboveTheProgressLine: through a statusLine, a log record
// clears the progress line that progressbar/v3 drew, starts at the left
// margin and the library's rendering comes back below it.
func TestLogHuman_AboveTheProgressLine(t *testing.T) {
	var out bytes.Buffer
	sl := &statusLine{w: &out}
	h, err := newLogHandler(sl, "human", "en", slog.LevelInfo, beijing)
	require.NoError(t, err)
	sl.draw(barFrame{desc: "3/12", width: 10, pct: 25, ascii: true})
	bar := "\r  25% [=>........]  3/12 \x1b[0K"
	require.Equal(t, bar, out.String())
	r := slog.NewRecord(at, slog.LevelWarn, "stopping", 0)
	r.Add("reason", "API 112 余额不足")
	require.NoError(t, h.Handle(context.Background(), r))
	assert.Equal(t, bar+"\x1b[2K\r"+
		"14:24:29 warning: stopping: API 112 余额不足\n"+bar, out.String())
}
