package cli

import (
	"fmt"
	"math"
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

	// generation-time distribution: --gen-dist and its parameters
	genDist           string
	genMedian, genMax time.Duration
	genSigma          float64
	genSlowMedian     time.Duration // --gen-dist bimodal
	genSlowShare      float64
}

func newSandboxCmd() *cobra.Command {
	var f sandboxFlags
	cmd := &cobra.Command{
		Use:   "sandbox [--addr HOST:PORT] [fault flags]",
		Short: "Serve the built-in sandbox API on loopback (no credentials, no cost)",
		Long: `Serve a fake Qichacha 基础身份报告 API that speaks the documented protocol, for
trying qccbatch or another client without cost: point --base-url at the URL it prints.
It checks the key, the Timespan (±300 s) and the Token, generates reports after
--gen-delay (or after a time drawn for each order: with --gen-dist lognormal from a
lognormal distribution of median --gen-median and sigma --gen-sigma; with bimodal
from two lognormals of that sigma, a share --gen-slow-share of median
--gen-slow-median and the rest of median --gen-median; with exponential from an
exponential distribution of median --gen-median; each capped at --gen-max) and serves them at their ReportUrl. It listens on loopback only and runs
until Ctrl-C, then prints what it counted: orders, API calls, polls that found the
report still pending (P), code-120 answers and when the last report became ready.
Its behaviour is deterministic for a given --seed.

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
	fl.StringVar(&f.genDist, "gen-dist", qcctest.GenFixed.String(), "generation-time distribution: fixed (every report takes --gen-delay), lognormal, bimodal or exponential")
	fl.DurationVar(&f.genMedian, "gen-median", 0, "median generation time of --gen-dist lognormal or exponential, of the fast reports of bimodal (0 = --gen-delay)")
	fl.Float64Var(&f.genSigma, "gen-sigma", qcctest.DefaultGenSigma, "sigma (spread of the logarithm) of --gen-dist lognormal and of both parts of bimodal; 0 = every report takes the median")
	fl.DurationVar(&f.genMax, "gen-max", 0, "longest generation time of --gen-dist other than fixed (0 = no cap)")
	fl.DurationVar(&f.genSlowMedian, "gen-slow-median", 0, fmt.Sprintf("median generation time of the slow reports of --gen-dist bimodal (0 = %d × --gen-median)", qcctest.DefaultGenSlowPerMedian))
	fl.Float64Var(&f.genSlowShare, "gen-slow-share", qcctest.DefaultGenSlowShare, "share (0-1) of slow reports of --gen-dist bimodal")
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
	gen, err := sandboxGenOptions(cmd, f)
	if err != nil {
		return err
	}
	srv := qcctest.NewUnstartedServer(append([]qcctest.Option{
		qcctest.WithKey(f.key), qcctest.WithSecret(f.secret), qcctest.WithSeed(f.seed),
		qcctest.WithLatency(f.latency), qcctest.WithGenDelay(f.genDelay),
		qcctest.WithErrorRate(f.errorRate), qcctest.WithDropRate(f.dropRate),
		qcctest.WithRateLimit(f.rateLimit),
	}, gen...)...)
	if err := srv.Start(f.addr); err != nil { // a port in use: the operator's to change, as for serve
		return usagef("--addr %s: %v", f.addr, err)
	}
	defer srv.Close()

	secret := "as given by --secret"
	if f.secret == qcctest.DefaultSecret {
		secret = qcctest.DefaultSecret
	}
	fmt.Fprintf(cmd.OutOrStdout(), "sandbox API at %s  key %s  secret %s  (Ctrl-C stops)\n",
		srv.BaseURL(), f.key, secret)

	<-cmd.Context().Done()
	fmt.Fprintln(cmd.ErrOrStderr(), sandboxStats(srv.Stats()))
	return nil
}

// sandboxGenOptions checks the generation-time flags and returns their
// server options. The parameters of the lognormal are refused with
// --gen-dist fixed, where they would silently do nothing.
func sandboxGenOptions(cmd *cobra.Command, f sandboxFlags) ([]qcctest.Option, error) {
	dist, err := qcctest.ParseGenDist(f.genDist)
	if err != nil {
		return nil, usagef("--gen-dist %q: want fixed, lognormal, bimodal or exponential", f.genDist)
	}
	if dist == qcctest.GenFixed {
		for _, name := range []string{"gen-median", "gen-sigma", "gen-max", "gen-slow-median", "gen-slow-share"} {
			if cmd.Flags().Changed(name) {
				return nil, usagef("--%s applies to the other --gen-dist values; with --gen-dist fixed every report takes --gen-delay", name)
			}
		}
		return []qcctest.Option{qcctest.WithGenDist(dist)}, nil
	}
	if dist != qcctest.GenBimodal {
		for _, name := range []string{"gen-slow-median", "gen-slow-share"} {
			if cmd.Flags().Changed(name) {
				return nil, usagef("--%s applies to --gen-dist bimodal", name)
			}
		}
	}
	if dist == qcctest.GenExponential && cmd.Flags().Changed("gen-sigma") {
		return nil, usagef("--gen-sigma applies to --gen-dist lognormal and bimodal; an exponential has only its median")
	}
	median := f.genMedian
	if median == 0 {
		median = f.genDelay
	}
	switch {
	case f.genMedian < 0:
		return nil, usagef("--gen-median %v must not be negative", f.genMedian)
	case f.genMax < 0:
		return nil, usagef("--gen-max %v must not be negative (0 = no cap)", f.genMax)
	case math.IsNaN(f.genSigma) || math.IsInf(f.genSigma, 0) || f.genSigma < 0:
		return nil, usagef("--gen-sigma %v: want 0 or more", f.genSigma)
	case median <= 0:
		return nil, usagef("--gen-dist lognormal needs a median above 0: give --gen-median (or --gen-delay)")
	case f.genMax > 0 && f.genMax < median:
		return nil, usagef("--gen-max %v is below the median %v: most reports would take exactly --gen-max", f.genMax, median)
	case f.genSlowMedian < 0:
		return nil, usagef("--gen-slow-median %v must not be negative", f.genSlowMedian)
	case math.IsNaN(f.genSlowShare) || f.genSlowShare < 0 || f.genSlowShare > 1:
		return nil, usagef("--gen-slow-share %v: want a share between 0 and 1", f.genSlowShare)
	}
	return []qcctest.Option{qcctest.WithGenDist(dist), qcctest.WithGenMedian(median),
		qcctest.WithGenSigma(f.genSigma), qcctest.WithGenMax(f.genMax),
		qcctest.WithGenSlowMedian(f.genSlowMedian), qcctest.WithGenSlowShare(f.genSlowShare)}, nil
}

// sandboxStats is the sandbox's closing line: what it counted, as key=value
// pairs like the summary line of a run, so that benchmarks can read it.
// last_ready is when the last accepted order's report became (or becomes)
// ready, in UTC with milliseconds; "none" when no report will be.
func sandboxStats(st qcctest.Stats) string {
	last := "none"
	if !st.LastReady.IsZero() {
		last = st.LastReady.UTC().Format("2006-01-02T15:04:05.000Z07:00")
	}
	return fmt.Sprintf("sandbox stopped: orders=%d api_calls=%d creates=%d polls=%d polls_pending=%d downloads=%d throttled=%d last_ready=%s",
		st.Orders, st.APICalls, st.Creates, st.Polls, st.PollsPending, st.Downloads, st.Throttled, last)
}
