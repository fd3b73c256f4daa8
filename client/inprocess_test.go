package client

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/qccbatch/qccbatch/client/qcctest"
)

func TestClient_InProcessSandbox(t *testing.T) {
	clock := qcctest.NewClock(time.Unix(1700000000, 0))
	srv := qcctest.NewUnstartedServer(qcctest.WithClock(clock.Now))
	c, err := New(qcctest.InProcessBaseURL, srv.Key(), srv.Secret(), WithClock(clock.Now),
		WithHTTPClient(&http.Client{Transport: srv.Transport()}), WithTimeout(100*time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()

	t.Run("order, poll, download", func(t *testing.T) {
		no, err := c.CreateReport(ctx, "某公司", FormatWord)
		if err != nil {
			t.Fatal(err)
		}
		if info, err := c.GetReportInfo(ctx, no); err != nil || info.Status != ReportProcessing {
			t.Fatalf("GetReportInfo = %+v, %v; want P", info, err)
		}
		clock.Advance(time.Second)
		info, err := c.GetReportInfo(ctx, no)
		if err != nil || info.Status != ReportSucceeded {
			t.Fatalf("GetReportInfo = %+v, %v; want S", info, err)
		}
		var buf bytes.Buffer
		if n, err := c.Download(ctx, info.URL, &buf, 1<<20); err != nil || n == 0 || !bytes.HasPrefix(buf.Bytes(), []byte("PK")) {
			t.Fatalf("Download = %d, %v; want a DOCX", n, err)
		}
	})
	t.Run("dropped answer is ambiguous", func(t *testing.T) {
		_, err := c.CreateReport(ctx, "掉线公司", FormatPDF)
		if !IsAmbiguous(err) || !errors.Is(err, qcctest.ErrDropped) {
			t.Errorf("err = %v, want ambiguous ErrDropped", err)
		}
	})
	t.Run("held answer times out, ambiguous", func(t *testing.T) {
		_, err := c.CreateReport(ctx, "超时公司", FormatPDF)
		var te *TransportError
		if !errors.As(err, &te) || !te.Timeout() || !IsAmbiguous(err) {
			t.Errorf("err = %v, want an ambiguous timeout", err)
		}
	})
	t.Run("unknown key", func(t *testing.T) {
		other, _ := New(qcctest.InProcessBaseURL, "other", srv.Secret(), WithClock(clock.Now),
			WithHTTPClient(&http.Client{Transport: srv.Transport()}))
		if _, err := other.CreateReport(ctx, "某公司", FormatPDF); ClassOf(err) != ClassFatal {
			t.Errorf("err = %v, want fatal 101", err)
		}
	})
	if got, want := srv.OrderCounts(), map[string]int{"某公司": 1, "掉线公司": 1, "超时公司": 1}; len(got) != len(want) ||
		got["某公司"] != 1 || got["掉线公司"] != 1 || got["超时公司"] != 1 {
		t.Errorf("OrderCounts = %v, want %v", got, want)
	}
}
