package cli

import (
	"fmt"
	"io"
	"time"

	"github.com/spf13/cobra"

	"github.com/qccbatch/qccbatch/batch"
	"github.com/qccbatch/qccbatch/batch/msg"
	"github.com/qccbatch/qccbatch/batch/results"
)

// validateShown is how many invalid (and duplicate) rows validate lists on
// screen; -o writes them all.
const validateShown = 20

// validateConfig is what `qccbatch validate` was asked to do.
type validateConfig struct {
	Input  string
	Out    string
	Strict bool
	In     inputFlags
	Output outputFlags
	// Refresh shows the plan per risk rating (refreshflags.go).
	Refresh refreshFlags
}

func newValidateCmd() *cobra.Command {
	var cfg validateConfig
	cmd := &cobra.Command{
		Use:   "validate [flags] [-o OUT] INPUT",
		Short: "Check identifiers locally and print the plan; calls nothing",
		Long: `Read the portfolio, classify every identifier (credit code, registration
number or name), list invalid rows with their sheet row number and reason and
duplicate rows with the row they repeat, and print how many companies would be
ordered. Nothing is sent to the API. With -o, also write the results table with
the local outcomes: invalid rows with their reason, every other row not_ordered.
With --strict, exit 5 when any row is invalid (a pre-flight step in a script).`,
		Args: exactArgs(1, "INPUT"),
		RunE: func(cmd *cobra.Command, args []string) error {
			cfg.Input = args[0]
			return runValidate(cmd.OutOrStdout(), cfg)
		},
	}
	f := cmd.Flags()
	f.StringVarP(&cfg.Out, "out", "o", "", "write the results table to `FILE` (.xlsx or .csv)")
	f.BoolVar(&cfg.Strict, "strict", false, "exit 5 when any row is invalid")
	cfg.In.AddFlags(f)
	cfg.Output.AddFlags(f, "report format (validate orders nothing; accepted for symmetry with run)", "pdf")
	cfg.Refresh.AddFlags(f)
	return cmd
}

// runValidate is pass 1 and, with cfg.Out, pass 2 of a run that orders
// nothing. An unusable input exits 2.
func runValidate(w io.Writer, cfg validateConfig) error {
	if _, err := cfg.Output.check(); err != nil {
		return err
	}
	if cfg.Out != "" {
		if err := batch.CheckOutput(cfg.Input, cfg.Out, cfg.Output.lang); err != nil { // a *batch.ConfigError: exit 2
			return err
		}
	}
	start := time.Now()
	read := cfg.In.read()
	read.Lang = cfg.Output.lang
	p, err := batch.ScanPortfolio(cfg.Input, read, cfg.In.classify())
	if err != nil {
		return err
	}
	p.WritePlan(w, cfg.Output.lang)
	if err := validateRatings(w, cfg, read); err != nil {
		return err
	}
	p.WriteRows(w, cfg.Output.lang, validateShown)
	if cfg.Out != "" {
		sum := results.Summary{Input: cfg.Input, Start: start, End: time.Now(), Version: version}
		if err := p.WriteLocalResults(cfg.Out, sum, cfg.Output.lang); err != nil {
			return err
		}
		fmt.Fprint(w, msg.Text(cfg.Output.lang, msg.PlanResults, cfg.Out))
	}
	if n := p.Invalid(); cfg.Strict && n > 0 {
		return &personError{msg.Text(cfg.Output.lang, msg.PlanStrict, n, p.Rows)}
	}
	return nil
}
