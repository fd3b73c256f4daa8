package main

import "github.com/spf13/cobra"

// TODO: replaced by the owner of this subcommand.
func newStatusCmd() *cobra.Command {
	return &cobra.Command{
		Use:    "status",
		Short:  "status (not yet implemented)",
		Hidden: true,
		RunE: func(cmd *cobra.Command, args []string) error {
			return exitf(1, "status: not implemented yet")
		},
	}
}
