package main

import "github.com/spf13/cobra"

// TODO: replaced by the owner of this subcommand.
func newRunCmd() *cobra.Command {
	return &cobra.Command{
		Use:    "run",
		Short:  "run (not yet implemented)",
		Hidden: true,
		RunE: func(cmd *cobra.Command, args []string) error {
			return exitf(1, "run: not implemented yet")
		},
	}
}
