package main

import "github.com/spf13/cobra"

// TODO: replaced by the owner of this subcommand.
func newSandboxCmd() *cobra.Command {
	return &cobra.Command{
		Use:    "sandbox",
		Short:  "sandbox (not yet implemented)",
		Hidden: true,
		RunE: func(cmd *cobra.Command, args []string) error {
			return exitf(1, "sandbox: not implemented yet")
		},
	}
}
