package cli

import (
	"fmt"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/qccbatch/qccbatch/batch"
	"github.com/qccbatch/qccbatch/batch/msg"
)

func newExportCmd() *cobra.Command {
	var in inputFlags
	var splitBy string
	var out outputFlags
	var output string
	cmd := &cobra.Command{
		Use:   "export [flags] -o OUT STATE [INPUT]",
		Short: "Rewrite the results from the state file alone (no API call)",
		Long: `Rebuild the results table from the state file without calling the API.
With INPUT, every input row is written with its original columns; without it, one row per company,
in the order the state file first saw them.
It works while a run holds the state file.`,
		Args: rangeArgs(1, 2, "STATE [INPUT]"),
		RunE: func(cmd *cobra.Command, args []string) error {
			if output == "" {
				return usagef("export needs -o OUT (.xlsx or .csv)")
			}
			// A usage error (exit 2) before the state file is read, not the
			// writer's internal error (exit 1) after.
			switch strings.ToLower(filepath.Ext(output)) {
			case ".xlsx", ".csv":
			default:
				return &batch.ConfigError{Problem: msg.M(msg.CfgOutputExt, output)}
			}
			f, err := out.check()
			if err != nil {
				return err
			}
			cfg := batch.ExportConfig{
				State: args[0], Output: output, ResultsLang: msg.For(out.lang), Version: version, Format: f,
				Read: in.read(), Classify: in.classify(),
			}
			cfg.Read.SplitBy = splitBy
			if len(args) == 2 {
				cfg.Input = args[1]
			}
			rep, err := batch.Export(cfg)
			if err != nil {
				return err
			}
			for _, w := range rep.Warnings {
				fmt.Fprintln(cmd.ErrOrStderr(), msg.Text(out.lang, msg.ExportWarning)+w)
			}
			cmd.Print(msg.Text(out.lang, msg.ExportWrote, output, rep.Rows, rep.Companies))
			return nil
		},
	}
	fl := cmd.Flags()
	fl.StringVarP(&output, "out", "o", "", "results file, .xlsx or .csv")
	addSplitFlag(fl, &splitBy)
	in.AddFlags(fl)
	out.AddFlags(fl, "report format of the orders to export: pdf or word [the format the state file's orders have]", "")
	return cmd
}
