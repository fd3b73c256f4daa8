package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"strings"
	"sync/atomic"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/qccbatch/qccbatch/batch"
	"github.com/qccbatch/qccbatch/batch/journal"
	"github.com/qccbatch/qccbatch/batch/msg"
	"github.com/qccbatch/qccbatch/client"
	"github.com/qccbatch/qccbatch/ratelimit"
)

// windowsGrace is how long requests in flight may finish after an interrupt
// on Windows, where a console close allows about 5 s in all.
const windowsGrace = 2 * time.Second

// runFlags are the flags of `qccbatch run`.
type runFlags struct {
	in  inputFlags
	out outputFlags

	output, state, download, baseURL, keyFile, logFormat, cpuProfile string
	qps, price                                                       float64
	concurrency, maxOrders                                           int
	pollInterval, timeout                                            time.Duration
	refresh                                                          refreshFlags
	splitBy                                                          string
	metrics                                                          metricsFlags
	reorderFailed, reorderUncertain, newFormat                       bool
	newEndpoint, newLedger                                           bool
	dryRun, sandbox, quiet, noProgress, yes                          bool
	allowHTTPDownloads                                               bool // plain-http report links to other hosts
}

func newRunCmd() *cobra.Command {
	var f runFlags
	cmd := &cobra.Command{
		Use:   "run [flags] INPUT",
		Short: "Order, poll and write results for a portfolio (resumable: rerun the same command)",
		Long: `Order a 基础身份报告 for every company of INPUT (.xlsx, .csv or .txt), poll until each
report is ready, optionally download the files, and write the results table.

The state file (INPUT.qccstate by default) is the ledger: rerun the same command after a
crash, a quota stop or Ctrl-C and it resumes without ordering any company twice.
Credentials come from QCC_KEY and QCC_SECRET_KEY (or --key-file); --sandbox needs none
and keeps its own state file and results (INPUT.sandbox.qccstate, INPUT-sandbox-results.xlsx).

Exit codes: 0 complete, 1 internal error, 2 usage or input error (nothing ordered),
3 stopped by a quota, outage or failure-rate condition (rerun later), 4 incomplete
(rerun to resume), 5 complete but some rows are uncertain (look them up in Qichacha's
order list, then qccbatch resolve), 6 the key or the account needs a person (API
101-108, 111, 113-115, 117-119, 121, 214, 223, unknown codes). Schedulers alert on
1, 2, 5 and 6.`,
		Args: exactArgs(1, "INPUT"),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runRun(cmd, args[0], &f)
		},
	}
	fl := cmd.Flags()
	f.in.AddFlags(fl)
	f.out.AddFlags(fl, "report format: pdf or word", "pdf")
	fl.StringVarP(&f.output, "out", "o", "", "results file, .xlsx or .csv [INPUT without extension + -results.xlsx]")
	fl.StringVar(&f.state, "state", "", "state file (resume and ledger) [INPUT + .qccstate]")
	fl.Float64Var(&f.qps, "qps", batch.DefaultQPS, "most API requests per second, orders and polls together; 0 = unlimited")
	fl.IntVar(&f.concurrency, "concurrency", batch.DefaultConcurrency, "most requests in flight")
	fl.DurationVar(&f.pollInterval, "poll-interval", batch.DefaultPollInterval,
		fmt.Sprintf("poll interval until the run has learned how long reports take; polls are at most %s apart", batch.DefaultPollMax))
	fl.DurationVar(&f.timeout, "timeout", batch.DefaultTimeout, "stop polling an order after this; the row stays pending and a rerun resumes it")
	fl.IntVar(&f.maxOrders, "max-orders", 0, "place at most N new orders in this run (0 = no limit)")
	f.refresh.AddFlags(fl)
	addSplitFlag(fl, &f.splitBy)
	f.metrics.AddFlags(fl)
	fl.BoolVar(&f.reorderFailed, "reorder-failed", false, "order again companies whose report generation failed (F); at most one new order per company per run")
	fl.BoolVar(&f.reorderUncertain, "reorder-uncertain", false, "order again rows left uncertain (an order may already have been placed and paid)")
	fl.BoolVar(&f.newFormat, "new-format", false, "confirm ordering in a --format other than the one the state file's orders have")
	fl.BoolVar(&f.newEndpoint, "new-endpoint", false, "confirm re-binding the state file to another API host of the same key (a new proxy, a renamed API host); the run's record names the change")
	fl.BoolVar(&f.newLedger, "new-ledger", false, "confirm a --state other than the input's own state file while that one holds orders of the same key (the companies are ordered again)")
	fl.StringVar(&f.download, "download", "", "download every ready report into this directory")
	fl.BoolVar(&f.allowHTTPDownloads, "allow-http-downloads", false,
		"download reports whose address is plain http to a host other than loopback (the link grants access and travels in clear)")
	fl.BoolVar(&f.dryRun, "dry-run", false, "print the plan, the cost and the estimated time; call nothing, create nothing")
	fl.BoolVar(&f.sandbox, "sandbox", false, "use the built-in sandbox API in-process: no credentials, no cost")
	fl.StringVar(&f.baseURL, "base-url", client.DefaultBaseURL, "API base URL")
	fl.StringVar(&f.keyFile, "key-file", "", "file with QCC_KEY=... and QCC_SECRET_KEY=... lines (dotenv syntax; must be chmod 600)")
	fl.Float64Var(&f.price, "price", 0, "price of one report in yuan (or QCC_PRICE): the plan, the prompt and the summary show the cost")
	fl.BoolVarP(&f.yes, "yes", "y", false, "place the orders without asking (a run on a terminal with more than 100 new orders asks first)")
	fl.StringVar(&f.logFormat, "log-format", "", "log format: text (logfmt) or json [plain sentences on a terminal, text otherwise]")
	fl.BoolVarP(&f.quiet, "quiet", "q", false, "no progress and no log lines, only the final summary and errors")
	fl.BoolVar(&f.noProgress, "no-progress", false, "no progress bar; log a line every 10s instead")
	fl.StringVar(&f.cpuProfile, "cpuprofile", "", "write a CPU profile (pprof) of the run to this file")
	_ = fl.MarkHidden("cpuprofile")
	return cmd
}

// runConfig checks the flags of run and turns them into a batch.Config.
func runConfig(cmd *cobra.Command, inPath string, f *runFlags) (batch.Config, error) {
	format, err := f.out.check()
	if err != nil {
		return batch.Config{}, err
	}
	if f.qps < 0 || f.concurrency < 1 {
		return batch.Config{}, usagef("--qps must be >= 0 and --concurrency >= 1")
	}
	if f.sandbox && cmd.Flags().Changed("base-url") { // which API was meant? never guess
		return batch.Config{}, usagef("--sandbox uses the built-in sandbox API and takes no --base-url: drop one of them")
	}
	if err := positive("--poll-interval", f.pollInterval); err != nil {
		return batch.Config{}, err
	}
	if err := positive("--timeout", f.timeout); err != nil {
		return batch.Config{}, err
	}
	if f.maxOrders < 0 {
		return batch.Config{}, usagef("--max-orders must be 0 (no limit) or more")
	}
	price, err := priceOf(cmd, f.price)
	if err != nil {
		return batch.Config{}, err
	}
	if price < 0 {
		return batch.Config{}, usagef("--price must not be negative")
	}
	cfg := batch.Config{
		Input: inPath, Output: f.output, State: f.state,
		Read:             f.in.read(),
		Classify:         f.in.classify(),
		Format:           format,
		ResultsLang:      msg.For(f.out.lang),
		Version:          version,
		Concurrency:      f.concurrency,
		PollInterval:     f.pollInterval,
		Timeout:          f.timeout,
		MaxOrders:        f.maxOrders,
		ReorderFailed:    f.reorderFailed,
		ReorderUncertain: f.reorderUncertain,
		NewFormat:        f.newFormat,
		NewEndpoint:      f.newEndpoint,
		NewLedger:        f.newLedger,
		DownloadDir:      f.download,
		Price:            price,
		Progress:         &batch.Progress{},
	}
	if err := f.refresh.apply(&cfg); err != nil {
		return batch.Config{}, err
	}
	cfg.Read.SplitBy = f.splitBy
	if runtime.GOOS == "windows" {
		// Closing the console window, logging off or shutting down reaches
		// the program as an interrupt (SIGTERM), and Windows ends the
		// process about 5 s later: requests in flight get 2 s, so the
		// results are written in the time left.
		cfg.Grace = windowsGrace
	}
	base := strings.TrimSuffix(inPath, filepath.Ext(inPath))
	if f.sandbox { // a trial never touches the real ledger or results
		if cfg.Output == "" {
			cfg.Output = base + "-sandbox-results.xlsx"
		}
		if cfg.State == "" {
			cfg.State = inPath + ".sandbox.qccstate"
		}
	}
	if cfg.Output == "" {
		cfg.Output = base + "-results.xlsx"
	}
	if cfg.State == "" {
		cfg.State = inPath + ".qccstate"
	}
	if ext := strings.ToLower(filepath.Ext(cfg.Output)); ext != ".xlsx" && ext != ".csv" {
		return batch.Config{}, usagef("--out must end in .xlsx or .csv, not %q", cfg.Output)
	}
	return cfg, nil
}

func runRun(cmd *cobra.Command, inPath string, f *runFlags) (err error) {
	if err := f.metrics.check(); err != nil { // before the deferred write, which would fail too
		return err
	}
	m := &runMetrics{flags: &f.metrics, input: inPath, start: time.Now()}
	if !f.dryRun { // at the end of every run, failed early or not
		defer func() { m.write(err, func(s string) { fmt.Fprintln(cmd.ErrOrStderr(), s) }) }()
	}
	cfg, err := runConfig(cmd, inPath, f)
	if err != nil {
		return err
	}
	m.state = cfg.State
	logger, err := newLogger(cmd.ErrOrStderr(), f.logFormat, f.out.lang, f.quiet)
	if err != nil {
		return err
	}
	cfg.Logger = logger
	runLang.Store(f.out.lang)
	cfg.ExitCodes = runExitCodes
	cmd.Flags().Visit(func(fl *pflag.Flag) { // the flags given, for the run's record (no secret is a flag)
		cfg.Flags = append(cfg.Flags, "--"+fl.Name+"="+fl.Value.String())
	})
	cfg.QPS = f.qps
	if f.dryRun {
		// The dry run calls nothing, but names a ledger of the same key
		// beside the input when the credentials are at hand (of any key
		// when they are not).
		if f.sandbox {
			cfg.Account = journal.Account{Endpoint: batch.SandboxEndpoint}
		} else if key, _, err := loadCredentials(f.keyFile, os.Getenv, f.out.lang); err == nil {
			cfg.Account = journal.Account{Endpoint: f.baseURL, KeyFingerprint: journal.Fingerprint(key)}
		}
		plan, err := batch.PlanRun(cfg)
		if err != nil {
			return err
		}
		plan.Write(cmd.OutOrStdout(), msg.For(f.out.lang))
		return nil
	}

	api, stopSandbox, err := openAPITarget(f.sandbox, f.baseURL, f.keyFile, f.out.lang)
	defer stopSandbox()
	if err != nil {
		return err
	}
	sandboxLine := func() {}
	if f.sandbox {
		if !cmd.Flags().Changed("poll-interval") {
			cfg.PollInterval = time.Second
		}
		// Said with the run's first log line, or once it has started: an
		// input refused before that stays one line on stderr.
		logger, sandboxLine = holdLine(logger, slog.LevelInfo, "using the built-in sandbox API: no credentials, no cost", "base_url", api.baseURL)
		cfg.Logger = logger
	}
	c, err := client.New(api.baseURL, api.key, api.secret, client.WithLogger(logger), client.WithPlainHTTPDownloads(f.allowHTTPDownloads))
	if err != nil {
		return usagef("--base-url: %v", err)
	}
	cfg.Account = journal.Account{Endpoint: api.endpoint, KeyFingerprint: journal.Fingerprint(api.key)}
	cfg.APIHost = c.Host()
	cfg.Limiter = ratelimit.New(cfg.QPS) // the progress shows the rate it achieves

	ctx := cmd.Context()
	if f.cpuProfile != "" {
		pf, err := os.Create(f.cpuProfile)
		if err != nil {
			return usagef("--cpuprofile: %v", err)
		}
		defer pf.Close()
		if err := pprof.StartCPUProfile(pf); err != nil {
			return usagef("--cpuprofile: %v", err)
		}
		defer pprof.StopCPUProfile()
	}
	var ask func(orders int, cost float64) bool // nil: nobody to ask
	if !f.yes && isTerminal(cmd.InOrStdin()) && isTerminal(cmd.ErrOrStderr()) {
		ask = confirmOrders(ctx, cmd.InOrStdin(), cmd.ErrOrStderr(), f.out.lang, cfg.Price)
	}
	h, err := startConfirmed(ctx, c, cfg, ask, cmd.ErrOrStderr(), msg.For(f.out.lang))
	if err != nil {
		return err
	}
	sandboxLine()
	// The progress shows the counters of the run's progress events.
	var latest atomic.Pointer[batch.Counters]
	drained := make(chan struct{})
	go func() {
		defer close(drained)
		for e := range h.Events() {
			if e.Kind == batch.EventProgress {
				latest.Store(&e.Counters)
			}
		}
	}()
	counters := func() batch.Counters {
		if c := latest.Load(); c != nil {
			return *c
		}
		return h.Counters()
	}
	stopProgress := startProgress(ctx, cmd.ErrOrStderr(), f.out.lang, counters, cfg.Limiter, logger, f.quiet || f.noProgress, f.quiet)
	rep, err := h.Wait()
	m.rep = rep
	<-drained // the last progress event is in
	stopProgress()
	if rep != nil {
		printSummary(cmd.OutOrStdout(), f.logFormat, f.out.lang, rep, err)
	}
	return err
}

// runExitCodes are the exit codes the run's record in the state file
// shows (`ledger --runs`), per way a run ends: exitCode's mapping of a
// *batch.StopError, key 0 a complete run.
var runExitCodes = func() map[batch.Stop]int {
	m := map[batch.Stop]int{0: exitCode(nil)}
	for s := batch.StopIncomplete; s <= batch.StopUncertain; s++ {
		m[s] = exitCode(&batch.StopError{Stop: s})
	}
	return m
}()

// startConfirmed starts the run of cfg once a person confirmed its plan:
// with ask (a terminal), a plan of more than batch.ConfirmAbove new orders
// is asked about first, and asked again if another run changed it before
// the start; without ask, whatever the plan is starts. A plan declined is
// a *batch.ConfigError (exit 2), Ctrl-C at the prompt a StopIncomplete
// (exit 4); nothing is ordered either way. t is the language of what it
// writes on errw.
func startConfirmed(ctx context.Context, api batch.API, cfg batch.Config, ask func(orders int, cost float64) bool, errw io.Writer, t msg.Language) (*batch.Handle, error) {
	if ask == nil {
		return batch.Start(ctx, api, cfg, batch.Confirmed{All: true})
	}
	plan, err := batch.PlanRun(cfg)
	if err != nil {
		return nil, err
	}
	for {
		if plan.Refusal != nil { // refused before asking about money
			return nil, plan.Refusal
		}
		ok := batch.Confirmed{Orders: plan.ToOrder, Digest: plan.Digest}
		if plan.NeedsConfirm() && !ask(plan.ToOrder, plan.Cost) {
			if ctx.Err() != nil { // interrupted at the prompt: exit 4, not a usage error
				return nil, &batch.StopError{Stop: batch.StopIncomplete, Reason: msg.M(msg.StopInterruptedAtPrompt)}
			}
			return nil, &batch.ConfigError{Problem: msg.M(msg.CfgNotConfirmed)}
		}
		h, err := batch.Start(ctx, api, cfg, ok)
		var changed *batch.PlanChangedError
		if !errors.As(err, &changed) {
			return h, err
		}
		fmt.Fprintln(errw, t.Err(err)) // and ask again, about the plan found
		plan = changed.Plan
	}
}
