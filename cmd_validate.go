package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/qccbatch/qccbatch/batch"
	"github.com/qccbatch/qccbatch/batch/identifier"
	"github.com/qccbatch/qccbatch/batch/input"
	"github.com/qccbatch/qccbatch/batch/outcome"
	"github.com/qccbatch/qccbatch/batch/results"
)

// validateConfig is what `qccbatch validate` was asked to do.
type validateConfig struct {
	Input            string
	Out              string
	Lang             string
	InputOpts        input.Options
	AllowBadChecksum bool
}

func newValidateCmd() *cobra.Command {
	var cfg validateConfig
	cmd := &cobra.Command{
		Use:   "validate [flags] [-o OUT] INPUT",
		Short: "Check identifiers locally and print the plan; calls nothing",
		Long: `Read the portfolio, classify every identifier (credit code, registration
number or name), count invalid rows and duplicates, and print how many companies
would be ordered. Nothing is sent to the API. With -o, also write the results
table with the local outcomes: invalid rows with their reason, every other row
not_ordered.`,
		Args: exactArgs(1, "INPUT"),
		RunE: func(cmd *cobra.Command, args []string) error {
			cfg.Input = args[0]
			return runValidate(cmd.OutOrStdout(), cfg)
		},
	}
	f := cmd.Flags()
	f.StringVarP(&cfg.Out, "out", "o", "", "write the results table to `FILE` (.xlsx or .csv)")
	f.StringVar(&cfg.InputOpts.Sheet, "sheet", "", "worksheet to read [first visible]")
	f.StringVar(&cfg.InputOpts.Column, "column", "", "header (or column letter) holding the identifier [auto-detected]")
	f.StringVar(&cfg.InputOpts.Encoding, "encoding", "", "CSV encoding: utf-8, gbk (gb18030) or utf-16 [detected]")
	f.BoolVar(&cfg.AllowBadChecksum, "allow-bad-checksum", false, "accept credit codes whose check character is wrong (early pilot codes)")
	f.StringVar(&cfg.Lang, "lang", "zh", "language of the appended headers and outcome labels: zh or en")
	return cmd
}

// runValidate is pass 1 and, with cfg.Out, pass 2 of a run that orders
// nothing. An unusable input exits 2.
func runValidate(w io.Writer, cfg validateConfig) error {
	if err := checkLang(cfg.Lang); err != nil {
		return err
	}
	if cfg.Out != "" {
		if err := checkOutPath(cfg.Input, cfg.Out); err != nil {
			return err
		}
	}
	start := time.Now()
	co := identifier.Options{AllowBadChecksum: cfg.AllowBadChecksum}
	p, err := batch.ScanPortfolio(cfg.Input, cfg.InputOpts, co)
	if err != nil {
		return err
	}
	p.WritePlan(w)
	if cfg.Out == "" {
		return nil
	}
	if err := writeLocalResults(p, cfg, start); err != nil {
		return err
	}
	fmt.Fprintf(w, "results:     %s\n", cfg.Out)
	return nil
}

// checkOutPath refuses an output that is not .xlsx/.csv or that would
// overwrite the input.
func checkOutPath(in, out string) error {
	switch strings.ToLower(filepath.Ext(out)) {
	case ".xlsx", ".csv":
	default:
		return usagef("-o %s: the results file must end in .xlsx or .csv", out)
	}
	a, errA := filepath.Abs(in)
	b, errB := filepath.Abs(out)
	same := errA == nil && errB == nil && a == b
	if si, err := os.Stat(in); err == nil {
		if so, err := os.Stat(out); err == nil && os.SameFile(si, so) {
			same = true
		}
	}
	if same {
		return usagef("-o %s: refusing to overwrite the input file", out)
	}
	return nil
}

// writeLocalResults reads the input again (pass 2) and writes every row
// with its local outcome.
func writeLocalResults(p *batch.Portfolio, cfg validateConfig, start time.Time) error {
	in, err := input.Open(cfg.Input, cfg.InputOpts)
	if err != nil {
		return err
	}
	defer in.Close()
	i := 0
	next := func() (input.Row, results.Result, error) {
		r, err := in.Next()
		if err != nil {
			return input.Row{}, results.Result{}, err
		}
		if i >= p.Rows {
			return input.Row{}, results.Result{}, fmt.Errorf("%s changed while it was read: more rows than before", cfg.Input)
		}
		res := results.Result{Outcome: outcome.NotOrdered, Message: p.RowMessage[i]}
		if c := p.RowCompany[i]; c >= 0 {
			res.SearchKey = p.Companies[c].SearchKey
		} else {
			res.Outcome = outcome.Invalid
		}
		i++
		return r, res, nil
	}
	invalid := p.Invalid()
	sum := results.Summary{
		Input: cfg.Input, Start: start, End: time.Now(), Version: version,
		Rows: p.Rows, Companies: len(p.Companies),
		Counts: map[outcome.Outcome]int{outcome.Invalid: invalid, outcome.NotOrdered: p.Rows - invalid},
	}
	if err := results.Write(cfg.Out, p.Header, next, sum, cfg.Lang); err != nil {
		return err
	}
	if i != p.Rows {
		return usagef("%s changed while it was read: %d rows, then %d", cfg.Input, p.Rows, i)
	}
	return nil
}
