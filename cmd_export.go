package main

import (
	"github.com/spf13/cobra"

	"github.com/qccbatch/qccbatch/batch"
	"github.com/qccbatch/qccbatch/batch/identifier"
	"github.com/qccbatch/qccbatch/batch/input"
	"github.com/qccbatch/qccbatch/client"
)

func newExportCmd() *cobra.Command {
	var out, lang, sheet, column, encoding, format string
	var allowBad bool
	cmd := &cobra.Command{
		Use:   "export [flags] -o OUT STATE [INPUT]",
		Short: "Rewrite the results from the state file alone (no API call)",
		Long: `Rebuild the results table from the state file without calling the API.
With INPUT, every input row is written with its original columns; without it, one row per company.
It works while a run holds the state file.`,
		Args: rangeArgs(1, 2, "STATE [INPUT]"),
		RunE: func(cmd *cobra.Command, args []string) error {
			if out == "" {
				return usagef("export needs -o OUT (.xlsx or .csv)")
			}
			f, err := client.ParseFormat(format)
			if err != nil {
				return usagef("--format: %v", err)
			}
			if err := checkLang(lang); err != nil {
				return err
			}
			cfg := batch.ExportConfig{
				State: args[0], Output: out, Lang: lang, Version: version, Format: f,
				Read:     input.Options{Sheet: sheet, Column: column, Encoding: encoding},
				Classify: identifier.Options{AllowBadChecksum: allowBad},
			}
			if len(args) == 2 {
				cfg.Input = args[1]
			}
			rep, err := batch.Export(cfg)
			if err != nil {
				return err
			}
			cmd.Printf("wrote %s: %d rows, %d companies\n", out, rep.Rows, rep.Companies)
			return nil
		},
	}
	fl := cmd.Flags()
	fl.StringVarP(&out, "out", "o", "", "results file, .xlsx or .csv")
	fl.StringVar(&lang, "lang", "zh", "language of the appended headers and outcome labels: zh or en")
	fl.StringVar(&sheet, "sheet", "", "worksheet of INPUT to read [first]")
	fl.StringVar(&column, "column", "", "header or column letter of INPUT holding the identifier")
	fl.StringVar(&encoding, "encoding", "", "CSV encoding of INPUT: utf-8, gbk (gb18030) or utf-16 [detected]")
	fl.StringVar(&format, "format", "pdf", "report format the run used: pdf or word")
	fl.BoolVar(&allowBad, "allow-bad-checksum", false, "as given to run")
	return cmd
}
