package client

import (
	"context"
	"fmt"
	"net/http"
	"testing"

	"github.com/qccbatch/qccbatch/client/qcctest"
)

// BenchmarkClient_OrderAndPoll measures one CreateReport plus one
// GetReportInfo through the client against the sandbox on loopback, with
// as many goroutines as GOMAXPROCS*4 (about the pipeline's concurrency).
func BenchmarkClient_OrderAndPoll(b *testing.B) {
	b.Run("loopback", func(b *testing.B) {
		srv := qcctest.NewServer()
		defer srv.Close()
		benchOrderAndPoll(b, srv.BaseURL(), srv)
	})
	b.Run("in-process", func(b *testing.B) {
		srv := qcctest.NewUnstartedServer()
		benchOrderAndPoll(b, qcctest.InProcessBaseURL, srv, WithHTTPClient(&http.Client{Transport: srv.Transport()}))
	})
}

func benchOrderAndPoll(b *testing.B, base string, srv *qcctest.Server, opts ...Option) {
	c, err := New(base, srv.Key(), srv.Secret(), opts...)
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	b.SetParallelism(4)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		i := 0
		for pb.Next() {
			i++
			no, err := c.CreateReport(ctx, fmt.Sprint("公司", i), FormatPDF)
			if err != nil {
				b.Error(err)
				return
			}
			if _, err := c.GetReportInfo(ctx, no); err != nil {
				b.Error(err)
				return
			}
		}
	})
}
