package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"

	"github.com/qccbatch/qccbatch/batch"
	"github.com/qccbatch/qccbatch/batch/outcome"
	"github.com/qccbatch/qccbatch/ratelimit"
)

// logEvery is how often progress is logged when stderr is not a terminal.
const logEvery = 10 * time.Second

// newLogger returns the slog logger of a run: text or JSON on w; quiet
// keeps only warnings and errors.
func newLogger(w io.Writer, format string, quiet bool) (*slog.Logger, error) {
	level := slog.LevelInfo
	if quiet {
		level = slog.LevelWarn
	}
	opts := &slog.HandlerOptions{Level: level}
	switch format {
	case "text", "":
		return slog.New(slog.NewTextHandler(w, opts)), nil
	case "json":
		return slog.New(slog.NewJSONHandler(w, opts)), nil
	}
	return nil, usagef("--log-format must be text or json, not %q", format)
}

// isTerminal reports whether a standard stream (an *os.File) is a terminal.
func isTerminal(stream any) bool {
	f, ok := stream.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// startProgress shows the run's progress until the returned func is called:
// a bar on a terminal, a log line every 10 s otherwise, nothing when quiet.
func startProgress(ctx context.Context, w io.Writer, p *batch.Progress, lim *ratelimit.Limiter, logger *slog.Logger, noBar, quiet bool) func() {
	if quiet {
		return func() {}
	}
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	useBar := !noBar && isTerminal(w)
	go func() {
		defer wg.Done()
		var bar *progressbar.ProgressBar
		every := logEvery
		if useBar {
			every = 200 * time.Millisecond
		}
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			select {
			case <-done:
				if bar != nil {
					s := p.Snapshot()
					_ = bar.Set64(s.FinalRows)
					_ = bar.Finish()
					fmt.Fprintln(w)
				}
				return
			case <-ctx.Done():
			case <-t.C:
			}
			s := p.Snapshot()
			if useBar {
				if bar == nil && s.TotalRows > 0 {
					bar = progressbar.NewOptions64(s.TotalRows,
						progressbar.OptionSetWriter(w),
						progressbar.OptionThrottle(100*time.Millisecond),
						progressbar.OptionShowCount(),
						progressbar.OptionSetPredictTime(true),
						progressbar.OptionFullWidth(),
					)
				}
				if bar != nil {
					bar.Describe(progressLine(s, lim))
					_ = bar.Set64(s.FinalRows)
				}
				continue
			}
			logger.Info("progress", "rows_final", s.FinalRows, "rows", s.TotalRows, "ordered", s.Ordered,
				"ready", s.Ready, "pending", s.Pending, "retries", s.Retries, "rate", rateString(lim))
			if ctx.Err() != nil {
				<-done
				return
			}
		}
	}()
	return func() {
		close(done)
		wg.Wait()
	}
}

func progressLine(s batch.Snapshot, lim *ratelimit.Limiter) string {
	return fmt.Sprintf("ordered %d · ready %d · pending %d · retries %d · %s", s.Ordered, s.Ready, s.Pending, s.Retries, rateString(lim))
}

func rateString(lim *ratelimit.Limiter) string {
	if r := lim.Rate(); r > 0 {
		return fmt.Sprintf("%.1f req/s", r)
	}
	return "unlimited"
}

// printSummary prints the final summary line of a run: always, even with --quiet.
func printSummary(w io.Writer, format string, rep *batch.Report, runErr error) {
	dur := rep.End.Sub(rep.Start).Round(time.Millisecond)
	if format == "json" {
		obj := map[string]any{
			"msg": "summary", "rows": rep.Rows, "companies": rep.Companies, "outcomes": rep.Counts,
			"new_orders": rep.NewOrders, "api_calls": rep.APICalls, "slow_downs": rep.SlowDowns, "downloaded": rep.Downloaded,
			"duration_s": dur.Seconds(), "results": rep.Output,
		}
		if runErr != nil {
			obj["stopped"] = runErr.Error()
		}
		_ = json.NewEncoder(w).Encode(obj)
		return
	}
	keys := make([]string, 0, len(rep.Counts))
	for _, o := range outcome.All() {
		keys = append(keys, fmt.Sprintf("%s=%d", o, rep.Counts[o]))
	}
	fmt.Fprintf(w, "summary: rows=%d companies=%d %s new_orders=%d api_calls=%d slow_downs=%d downloaded=%d duration=%s results=%s\n",
		rep.Rows, rep.Companies, strings.Join(keys, " "), rep.NewOrders, rep.APICalls, rep.SlowDowns, rep.Downloaded, dur, rep.Output)
}
