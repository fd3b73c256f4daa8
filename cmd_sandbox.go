package main

import (
	"fmt"
	"net"
	"time"

	"github.com/spf13/cobra"

	"github.com/qccbatch/qccbatch/client"
	"github.com/qccbatch/qccbatch/client/qcctest"
)

// sandboxFlags are the flags of `qccbatch sandbox`.
type sandboxFlags struct {
	addr, key, secret   string
	seed                int64
	latency, genDelay   time.Duration
	errorRate, dropRate float64
	rateLimit           float64
}

func newSandboxCmd() *cobra.Command {
	var f sandboxFlags
	cmd := &cobra.Command{
		Use:   "sandbox [--addr HOST:PORT] [fault flags]",
		Short: "Serve the built-in sandbox API on loopback (no credentials, no cost)",
		Long: `Serve a fake Qichacha 基础身份报告 API that speaks the documented protocol, for
trying qccbatch or another client without cost: point --base-url at the URL it prints.
It checks the key, the Timespan (±300 s) and the Token, generates reports after
--gen-delay and serves them at their ReportUrl. It listens on loopback only and runs
until Ctrl-C. Its behaviour is deterministic for a given --seed.

` + qcctest.Usage,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runSandbox(cmd, f)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&f.addr, "addr", "127.0.0.1:8080", "loopback address to listen on (port 0 picks a free one)")
	fl.StringVar(&f.key, "key", qcctest.DefaultKey, "API key the sandbox accepts")
	fl.StringVar(&f.secret, "secret", qcctest.DefaultSecret, "secret key the sandbox checks Tokens with")
	fl.Int64Var(&f.seed, "seed", 1, "seed of the fault injection")
	fl.DurationVar(&f.latency, "latency", 0, "delay before every API answer")
	fl.DurationVar(&f.genDelay, "gen-delay", qcctest.DefaultGenDelay, "report generation time (P until then, then S or F)")
	fl.Float64Var(&f.errorRate, "error-rate", 0, "share (0-1) of API answers replaced by an HTML 502 page")
	fl.Float64Var(&f.dropRate, "drop-rate", 0, "share (0-1) of accepted orders whose connection is closed before the answer")
	fl.Float64Var(&f.rateLimit, "rate-limit", 0, "API requests per second before code 120 (0 = no limit)")
	return cmd
}

func runSandbox(cmd *cobra.Command, f sandboxFlags) error {
	host, _, err := net.SplitHostPort(f.addr)
	if err != nil {
		return usagef("--addr %q: want HOST:PORT, e.g. 127.0.0.1:8080", f.addr)
	}
	if !client.IsLoopbackHost(host) {
		return usagef("--addr %q: the sandbox listens on loopback only (127.0.0.1, ::1 or localhost)", f.addr)
	}
	switch {
	case f.key == "" || f.secret == "":
		return usagef("--key and --secret must not be empty")
	case f.errorRate < 0 || f.errorRate > 1:
		return usagef("--error-rate %v: want a share between 0 and 1", f.errorRate)
	case f.dropRate < 0 || f.dropRate > 1:
		return usagef("--drop-rate %v: want a share between 0 and 1", f.dropRate)
	case f.rateLimit < 0:
		return usagef("--rate-limit %v: want 0 (no limit) or more", f.rateLimit)
	case f.latency < 0 || f.genDelay < 0:
		return usagef("--latency and --gen-delay must not be negative")
	}
	srv := qcctest.NewUnstartedServer(
		qcctest.WithKey(f.key), qcctest.WithSecret(f.secret), qcctest.WithSeed(f.seed),
		qcctest.WithLatency(f.latency), qcctest.WithGenDelay(f.genDelay),
		qcctest.WithErrorRate(f.errorRate), qcctest.WithDropRate(f.dropRate),
		qcctest.WithRateLimit(f.rateLimit),
	)
	if err := srv.Start(f.addr); err != nil {
		return fmt.Errorf("sandbox: %v", err)
	}
	defer srv.Close()

	secret := "as given by --secret"
	if f.secret == qcctest.DefaultSecret {
		secret = qcctest.DefaultSecret
	}
	fmt.Fprintf(cmd.OutOrStdout(), "sandbox API at %s  key %s  secret %s  (Ctrl-C stops)\n",
		srv.BaseURL(), f.key, secret)

	<-cmd.Context().Done()
	creates, polls, downloads := srv.Requests()
	fmt.Fprintf(cmd.ErrOrStderr(), "sandbox stopped: orders accepted %d; requests: CreateReport %d, GetReportInfo %d, downloads %d; answered 120: %d\n",
		srv.TotalOrders(), creates, polls, downloads, srv.Throttled())
	return nil
}
