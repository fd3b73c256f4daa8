package main

import "github.com/spf13/cobra"

// TODO: replaced by the owner of this subcommand.
func newValidateCmd() *cobra.Command {
	return &cobra.Command{
		Use:    "validate",
		Short:  "validate (not yet implemented)",
		Hidden: true,
		RunE: func(cmd *cobra.Command, args []string) error {
			return exitf(1, "validate: not implemented yet")
		},
	}
}
