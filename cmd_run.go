package main

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime/pprof"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/qccbatch/qccbatch/batch"
	"github.com/qccbatch/qccbatch/batch/identifier"
	"github.com/qccbatch/qccbatch/batch/input"
	"github.com/qccbatch/qccbatch/client"
	"github.com/qccbatch/qccbatch/client/qcctest"
	"github.com/qccbatch/qccbatch/ratelimit"
)

// runFlags are the flags of `qccbatch run`.
type runFlags struct {
	out, state, sheet, column, encoding, format, download, baseURL, lang, keyFile string
	logFormat                                                                     string
	qps                                                                           float64
	concurrency, maxOrders                                                        int
	pollInterval, timeout                                                         time.Duration
	refreshAfter                                                                  durationValue
	reorderFailed, reorderUncertain, allowBadChecksum                             bool
	dryRun, sandbox, quiet, noProgress                                            bool
	cpuProfile                                                                    string
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
Credentials come from QCC_KEY and QCC_SECRET_KEY (or --key-file); --sandbox needs none.

Exit codes: 0 complete, 1 internal error, 2 usage or input error (nothing ordered),
3 stopped by an account, quota or failure-rate condition, 4 incomplete (rerun to resume).`,
		Args: exactArgs(1, "INPUT"),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runRun(cmd, args[0], &f)
		},
	}
	fl := cmd.Flags()
	fl.StringVarP(&f.out, "out", "o", "", "results file, .xlsx or .csv [INPUT without extension + -results.xlsx]")
	fl.StringVar(&f.state, "state", "", "state file (resume and ledger) [INPUT + .qccstate]")
	fl.StringVar(&f.sheet, "sheet", "", "worksheet to read [first]")
	fl.StringVar(&f.column, "column", "", "header or column letter holding the identifier [auto-detected]")
	fl.StringVar(&f.encoding, "encoding", "", "CSV encoding: utf-8, gbk (gb18030) or utf-16 [detected]")
	fl.StringVar(&f.format, "format", "pdf", "report format: pdf or word")
	fl.Float64Var(&f.qps, "qps", 5, "most API requests per second, create and poll together; 0 = unlimited")
	fl.IntVar(&f.concurrency, "concurrency", 8, "most requests in flight")
	fl.DurationVar(&f.pollInterval, "poll-interval", 10*time.Second, "first poll delay; later polls back off to 60s")
	fl.DurationVar(&f.timeout, "timeout", 2*time.Hour, "stop polling an order after this; the row stays pending and a rerun resumes it")
	fl.IntVar(&f.maxOrders, "max-orders", -1, "place at most N new orders in this run (-1 = no limit)")
	fl.Var(&f.refreshAfter, "refresh-after", "re-order companies whose last ready report is older than this, e.g. 365d [never]")
	fl.BoolVar(&f.reorderFailed, "reorder-failed", false, "order again companies whose report generation failed (F)")
	fl.BoolVar(&f.reorderUncertain, "reorder-uncertain", false, "order again rows left uncertain (an order may already have been placed)")
	fl.BoolVar(&f.allowBadChecksum, "allow-bad-checksum", false, "order credit codes whose check character is wrong (early pilot codes)")
	fl.StringVar(&f.download, "download", "", "download every ready report into this directory")
	fl.BoolVar(&f.dryRun, "dry-run", false, "print the plan and the estimated time, call nothing")
	fl.BoolVar(&f.sandbox, "sandbox", false, "use the built-in sandbox API in-process: no credentials, no cost")
	fl.StringVar(&f.baseURL, "base-url", client.DefaultBaseURL, "API base URL")
	fl.StringVar(&f.keyFile, "key-file", "", "file with QCC_KEY=... and QCC_SECRET_KEY=... lines (instead of the environment)")
	fl.StringVar(&f.lang, "lang", "zh", "language of the appended headers and outcome labels: zh or en")
	fl.StringVar(&f.logFormat, "log-format", "text", "log format: text or json")
	fl.BoolVarP(&f.quiet, "quiet", "q", false, "no progress and no log lines, only the final summary and errors")
	fl.BoolVar(&f.noProgress, "no-progress", false, "no progress bar; log a line every 10s instead")
	fl.StringVar(&f.cpuProfile, "cpuprofile", "", "write a CPU profile (pprof) of the run to this file")
	_ = fl.MarkHidden("cpuprofile")
	return cmd
}

func runRun(cmd *cobra.Command, inPath string, f *runFlags) error {
	format, err := client.ParseFormat(f.format)
	if err != nil {
		return usagef("--format: %v", err)
	}
	if err := checkLang(f.lang); err != nil {
		return err
	}
	if f.qps < 0 || f.concurrency < 1 {
		return usagef("--qps must be >= 0 and --concurrency >= 1")
	}
	logger, err := newLogger(cmd.ErrOrStderr(), f.logFormat, f.quiet)
	if err != nil {
		return err
	}
	cfg := batch.Config{
		Input: inPath, Output: f.out, State: f.state,
		Read:             input.Options{Sheet: f.sheet, Column: f.column, Encoding: f.encoding},
		Classify:         identifier.Options{AllowBadChecksum: f.allowBadChecksum},
		Format:           format,
		Lang:             f.lang,
		Version:          version,
		Concurrency:      f.concurrency,
		PollInterval:     f.pollInterval,
		Timeout:          f.timeout,
		MaxOrders:        f.maxOrders,
		RefreshAfter:     time.Duration(f.refreshAfter),
		ReorderFailed:    f.reorderFailed,
		ReorderUncertain: f.reorderUncertain,
		DownloadDir:      f.download,
		Logger:           logger,
		Progress:         &batch.Progress{},
	}
	if cfg.Output == "" {
		cfg.Output = strings.TrimSuffix(inPath, filepath.Ext(inPath)) + "-results.xlsx"
	}
	if cfg.State == "" {
		cfg.State = inPath + ".qccstate"
	}
	if ext := strings.ToLower(filepath.Ext(cfg.Output)); ext != ".xlsx" && ext != ".csv" {
		return usagef("--out must end in .xlsx or .csv, not %q", cfg.Output)
	}
	if f.download != "" {
		if err := os.MkdirAll(f.download, 0o700); err != nil {
			return usagef("--download: %v", err)
		}
	}
	if f.dryRun {
		plan, err := batch.DryRun(cfg, f.qps)
		if err != nil {
			return err
		}
		plan.Write(cmd.OutOrStdout())
		return nil
	}

	baseURL, key, secret := f.baseURL, "", ""
	if f.sandbox {
		srv := qcctest.NewUnstartedServer()
		if err := srv.Start("127.0.0.1:0"); err != nil {
			return fmt.Errorf("starting the sandbox: %v", err)
		}
		defer srv.Close()
		baseURL, key, secret = srv.BaseURL(), "sandbox", "sandbox"
		if !cmd.Flags().Changed("poll-interval") {
			cfg.PollInterval = time.Second
		}
		logger.Info("using the built-in sandbox API: no credentials, no cost", "base_url", baseURL)
	} else if key, secret, err = loadCredentials(f.keyFile, os.Getenv); err != nil {
		return err
	}
	c, err := client.New(baseURL, key, secret)
	if err != nil {
		return usagef("--base-url: %v", err)
	}
	cfg.APIHost = c.Host()
	cfg.Limiter = ratelimit.New(f.qps)

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
	stopProgress := startProgress(ctx, cmd.ErrOrStderr(), cfg.Progress, cfg.Limiter, logger, f.quiet || f.noProgress, f.quiet)
	rep, err := batch.Run(ctx, c, cfg)
	stopProgress()
	if rep != nil {
		printSummary(cmd.OutOrStdout(), f.logFormat, rep, err)
	}
	return err
}
