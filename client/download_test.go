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
	if err != nil {
		t.Fatal(err)
	}
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
			if n != tt.wantN || ClassOf(err) != tt.wantClass {
				t.Fatalf("Download = %d, %v (class %v); want %d, class %v", n, err, ClassOf(err), tt.wantN, tt.wantClass)
			}
			var te *TransportError
			if errors.As(err, &te) != (tt.wantHTTP != 0) || (te != nil && te.HTTPStatus != tt.wantHTTP) {
				t.Errorf("err = %v, want HTTP %d", err, tt.wantHTTP)
			}
			if err == nil && buf.String() != file {
				t.Errorf("wrote %q, want %q", buf.String(), file)
			}
			if gotHeader.Get("Token") != "" || gotHeader.Get("Timespan") != "" || gotQuery != "" {
				t.Errorf("download sent credentials: %v %q", gotHeader, gotQuery)
			}
		})
	}
	if _, err := c.Download(context.Background(), srv.URL+"/busy.pdf", new(bytes.Buffer), 0); RetryAfter(err) != 4*time.Second {
		t.Errorf("RetryAfter = %v, want 4s", RetryAfter(err))
	}
	if _, err := c.Download(context.Background(), srv.URL+"/ok.pdf", &bytes.Buffer{}, 5); !errors.Is(err, ErrTooLarge) {
		t.Errorf("err = %v, want ErrTooLarge", err)
	}
	for _, bad := range []string{"", "file:///etc/passwd", "ftp://x/y", "/relative.pdf"} {
		if _, err := c.Download(context.Background(), bad, &bytes.Buffer{}, 0); err == nil {
			t.Errorf("Download(%q): no error", bad)
		}
	}
}

type failWriter struct{}

func (failWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

func TestClient_DownloadWriteError(t *testing.T) {
	clock := qcctest.NewClock(time.Now())
	srv := qcctest.New(t, qcctest.WithClock(clock.Now))
	c := newTestClient(t, srv, WithClock(clock.Now))
	no, err := c.CreateReport(context.Background(), "某公司", FormatPDF)
	if err != nil {
		t.Fatal(err)
	}
	clock.Advance(time.Minute)
	info, err := c.GetReportInfo(context.Background(), no)
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Download(context.Background(), info.URL, failWriter{}, 0)
	var te *TransportError
	if err == nil || errors.As(err, &te) || !strings.Contains(err.Error(), "disk full") {
		t.Errorf("err = %v, want the write error", err)
	}
}
