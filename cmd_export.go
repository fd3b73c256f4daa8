package main

import "github.com/spf13/cobra"

// TODO: replaced by the owner of this subcommand.
func newExportCmd() *cobra.Command {
	return &cobra.Command{
		Use:    "export",
		Short:  "export (not yet implemented)",
		Hidden: true,
		RunE: func(cmd *cobra.Command, args []string) error {
			return exitf(1, "export: not implemented yet")
		},
	}
}
