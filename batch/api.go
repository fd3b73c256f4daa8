package batch

import (
	"context"
	"io"

	"github.com/qccbatch/qccbatch/client"
)

// API is what the pipeline needs of the Qichacha API. *client.Client
// satisfies it; tests may wrap it.
type API interface {
	CreateReport(ctx context.Context, searchKey string, format client.Format) (string, error)
	GetReportInfo(ctx context.Context, orderNo string) (client.ReportInfo, error)
	Download(ctx context.Context, url string, w io.Writer, maxBytes int64) (int64, error)
}

var _ API = (*client.Client)(nil)
