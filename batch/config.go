package batch

import (
	"log/slog"
	"time"

	"github.com/qccbatch/qccbatch/batch/identifier"
	"github.com/qccbatch/qccbatch/batch/input"
	"github.com/qccbatch/qccbatch/client"
	"github.com/qccbatch/qccbatch/ratelimit"
)

// Config is everything a run needs, already parsed and checked by the
// command line.
type Config struct {
	Input    string // portfolio file
	Output   string // results file, .xlsx or .csv
	State    string // state journal
	Read     input.Options
	Classify identifier.Options
	Format   client.Format
	Lang     string // "zh" or "en"
	Version  string

	Concurrency  int           // most requests in flight [8]
	PollInterval time.Duration // first poll delay [10s]
	PollMax      time.Duration // longest delay between polls [60s]
	Timeout      time.Duration // stop polling an order after this [2h]
	MaxOrders    int           // new orders this run; < 0 = no limit
	RefreshAfter time.Duration // re-order reports older than this; 0 = never

	ReorderFailed    bool
	ReorderUncertain bool
	DownloadDir      string
	MaxDownload      int64 // largest report file accepted [64 MiB]

	// APIHost is the host of the API; downloads from it share the limiter.
	APIHost string
	Limiter *ratelimit.Limiter
	Backoff Backoff
	// Grace bounds how long requests in flight may run after an interrupt [5s].
	Grace    time.Duration
	Logger   *slog.Logger
	Progress *Progress
	Now      func() time.Time
}

func (c Config) withDefaults() Config {
	if c.Concurrency <= 0 {
		c.Concurrency = 8
	}
	if c.PollInterval <= 0 {
		c.PollInterval = 10 * time.Second
	}
	if c.PollMax <= 0 {
		c.PollMax = 60 * time.Second
	}
	if c.PollMax < c.PollInterval {
		c.PollMax = c.PollInterval
	}
	if c.Timeout <= 0 {
		c.Timeout = 2 * time.Hour
	}
	if c.Format == 0 {
		c.Format = client.FormatPDF
	}
	if c.Lang == "" {
		c.Lang = "zh"
	}
	if c.MaxDownload <= 0 {
		c.MaxDownload = 64 << 20
	}
	if c.Grace <= 0 {
		c.Grace = 5 * time.Second
	}
	if c.Limiter == nil {
		c.Limiter = ratelimit.New(0)
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
	if c.Progress == nil {
		c.Progress = &Progress{}
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	c.Backoff = c.Backoff.withDefaults()
	return c
}
