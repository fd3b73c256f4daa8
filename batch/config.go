package batch

import (
	"github.com/qccbatch/qccbatch/batch/msg"
	"log/slog"
	"time"

	"github.com/qccbatch/qccbatch/batch/identifier"
	"github.com/qccbatch/qccbatch/batch/input"
	"github.com/qccbatch/qccbatch/batch/journal"
	"github.com/qccbatch/qccbatch/client"
	"github.com/qccbatch/qccbatch/ratelimit"
)

// SandboxEndpoint is the account endpoint of a run against the built-in
// sandbox (--sandbox), whose address changes from run to run. The state
// file takes any endpoint that is not a URL for a sandbox's (see
// journal.Account): a sandbox ledger never stands in for real orders.
const SandboxEndpoint = "sandbox"

// The defaults of a run, in one place: Config's zero values mean these, and
// the command line's flags show them.
const (
	DefaultQPS          = 5.0              // API requests per second, orders and polls together
	DefaultConcurrency  = 8                // requests in flight
	DefaultPollInterval = 10 * time.Second // poll interval until the schedule has learned
	// DefaultPollMax is the longest gap between two polls of an order. Not
	// 60 s: the learned schedule's first poll of a slow book (median 20 s,
	// sigma 0.75) falls near 63 s and of a bimodal one near 107 s; a 60 s
	// cap polled those too early (measured: 2.53 calls per company instead
	// of 2.18 on the bimodal book).
	DefaultPollMax = 120 * time.Second
	DefaultTimeout = 2 * time.Hour   // stop polling an order after this
	DefaultGrace   = 5 * time.Second // requests in flight after an interrupt
)

// Config is everything a run needs, already parsed and checked by its
// front end (the command line, a web server).
type Config struct {
	Input    string // portfolio file
	Output   string // results file, .xlsx or .csv
	State    string // state journal
	Read     input.Options
	Classify identifier.Options
	Format   client.Format
	// ResultsLang is the language of the results file ("zh" unless "en"):
	// its one use. Everything else the engine says (errors, stop reasons,
	// row notes) is a message the caller renders (msg.Render).
	ResultsLang msg.Language
	Version     string

	// QPS is the most API requests per second, orders and polls together
	// (0: unlimited): the rate of the Limiter made when Limiter is nil, and
	// of the plan's Estimate.
	QPS          float64
	Concurrency  int           // most requests in flight [DefaultConcurrency]
	PollInterval time.Duration // poll interval until the schedule has learned [DefaultPollInterval]
	PollMax      time.Duration // longest gap between polls [DefaultPollMax]
	Timeout      time.Duration // stop polling an order after this [DefaultTimeout]
	MaxOrders    int           // new orders this run; 0 = no limit
	RefreshAfter time.Duration // re-order reports older than this; 0 = never
	Refresh      Refresh       // refresh by risk rating and review date (refresh.go)

	ReorderFailed    bool
	ReorderUncertain bool
	// NewEndpoint confirms re-binding a state file of the same key to
	// another API host (journal.Options.NewEndpoint).
	NewEndpoint bool
	// NewLedger confirms a state file other than the input's own while
	// that one holds orders of the same key: without it such a run
	// refuses (it would order the book again).
	NewLedger bool
	// NewFormat confirms ordering in a Format other than the one the state
	// file's orders have: without it such a run refuses (it would re-order
	// every company).
	NewFormat bool
	// Price of one report in yuan (0: unknown): the plan, the prompt and
	// the summary show the cost.
	Price       float64
	DownloadDir string
	MaxDownload int64 // largest report file accepted [64 MiB]

	// Flags are the command line's flags for the run's record in the state
	// file (never a secret: the command line leaves them out).
	Flags []string
	// ExitCodes is the number the run's record in the state file shows
	// for how the run ended (`ledger --runs` prints it as the exit code):
	// per Stop of the run's *StopError, key 0 for a run that ended
	// complete. The front end owns the numbers; an end the table does not
	// name records -1.
	ExitCodes map[Stop]int

	// Account is the API endpoint (or SandboxEndpoint) and key fingerprint
	// the state file must belong to (journal.Options.Account).
	Account journal.Account
	// StateWriteRetry bounds the retries of an accepted order's record when
	// the state file cannot be written [journal's default, 10s].
	StateWriteRetry time.Duration

	// APIHost is the host of the API; downloads from it share the limiter.
	APIHost string
	// Limiter paces the requests [ratelimit.New(QPS)]: a front end that
	// shows the achieved rate passes its own.
	Limiter *ratelimit.Limiter
	Backoff Backoff
	// Grace bounds how long requests in flight may run after an interrupt [DefaultGrace].
	Grace    time.Duration
	Logger   *slog.Logger
	Progress *Progress
	Now      func() time.Time
}

func (c Config) withDefaults() Config {
	if c.Concurrency <= 0 {
		c.Concurrency = DefaultConcurrency
	}
	if c.PollInterval <= 0 {
		c.PollInterval = DefaultPollInterval
	}
	if c.PollMax <= 0 {
		c.PollMax = DefaultPollMax
	}
	if c.PollMax < c.PollInterval {
		c.PollMax = c.PollInterval
	}
	if c.Timeout <= 0 {
		c.Timeout = DefaultTimeout
	}
	if c.Format == 0 {
		c.Format = client.FormatPDF
	}
	if c.MaxDownload <= 0 {
		c.MaxDownload = 64 << 20
	}
	if c.Grace <= 0 {
		c.Grace = DefaultGrace
	}
	if c.Limiter == nil {
		c.Limiter = ratelimit.New(c.QPS)
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
