package client

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/qccbatch/qccbatch/client/qcctest"
)

func TestClient_Download(t *testing.T) {
	const file = "%PDF-1.4 tiny"
	var gotHeader http.Header
	var gotQuery string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		gotHeader, gotQuery = r.Header.Clone(), r.URL.RawQuery
		switch r.URL.Path {
		case "/ok.pdf":
			_, _ = w.Write([]byte(file))
		case "/moved.pdf":
			http.Redirect(w, r, "/ok.pdf", http.StatusFound)
		case "/busy.pdf":
			w.Header().Set("Retry-After", "4")
			w.WriteHeader(http.StatusServiceUnavailable)
		case "/short.pdf":
			w.Header().Set("Content-Length", "1000")
			_, _ = w.Write([]byte(file))
		default:
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()
	c, err := New("", "key-123456", "secret-123456")
	require.NoError(t, err)
	tests := []struct {
		path      string
		max       int64
		wantN     int64
		wantHTTP  int // of a TransportError, 0 for none
		wantClass Class
	}{
		{"/ok.pdf", 0, int64(len(file)), 0, ClassOK},
		{"/ok.pdf", int64(len(file)), int64(len(file)), 0, ClassOK},
		{"/moved.pdf", 1 << 20, int64(len(file)), 0, ClassOK},
		{"/ok.pdf", 5, 0, http.StatusOK, ClassTransient},
		{"/missing.pdf", 0, 0, http.StatusNotFound, ClassFatal},
		{"/busy.pdf", 0, 0, http.StatusServiceUnavailable, ClassSlowDown},
		{"/short.pdf", 0, int64(len(file)), http.StatusOK, ClassTransient},
	}
	for _, tt := range tests {
		t.Run(strings.TrimPrefix(tt.path, "/"), func(t *testing.T) {
			var buf bytes.Buffer
			n, err := c.Download(context.Background(), srv.URL+tt.path, &buf, tt.max)
			assert.Equal(t, tt.wantN, n, "bytes written")
			assert.Equal(t, tt.wantClass, ClassOf(err), "class of %v", err)
			var te *TransportError
			if tt.wantHTTP != 0 {
				require.ErrorAs(t, err, &te)
				assert.Equal(t, tt.wantHTTP, te.HTTPStatus)
			} else {
				require.NoError(t, err)
				assert.Equal(t, file, buf.String())
			}
			assert.Empty(t, gotHeader.Get("Token"), "download sent a Token")
			assert.Empty(t, gotHeader.Get("Timespan"), "download sent a Timespan")
			assert.Empty(t, gotQuery, "download sent a query")
		})
	}
	_, err = c.Download(context.Background(), srv.URL+"/busy.pdf", new(bytes.Buffer), 0)
	assert.Equal(t, 4*time.Second, RetryAfter(err))
	_, err = c.Download(context.Background(), srv.URL+"/ok.pdf", &bytes.Buffer{}, 5)
	assert.ErrorIs(t, err, ErrTooLarge)
	for _, bad := range []string{"", "file:///etc/passwd", "ftp://x/y", "/relative.pdf"} {
		_, err := c.Download(context.Background(), bad, &bytes.Buffer{}, 0)
		assert.Error(t, err, "Download(%q)", bad)
	}
}

type failWriter struct{}

func (failWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

func TestClient_DownloadWriteError(t *testing.T) {
	clock := qcctest.NewClock(time.Now())
	srv := qcctest.New(t, qcctest.WithClock(clock.Now))
	c := newTestClient(t, srv, WithClock(clock.Now))
	no, err := c.CreateReport(context.Background(), "某公司", FormatPDF)
	require.NoError(t, err)
	clock.Advance(time.Minute)
	info, err := c.GetReportInfo(context.Background(), no)
	require.NoError(t, err)
	_, err = c.Download(context.Background(), info.URL, failWriter{}, 0)
	require.ErrorContains(t, err, "disk full")
	var te *TransportError
	assert.NotErrorAs(t, err, &te, "a write error is not a transport error")
}
