package cli

import (
	"strings"

	"github.com/spf13/cobra"
)

// The argument checks of every command. They return *usageError, so a
// wrong number of arguments exits 2 without matching cobra's message texts.

// exactArgs wants n arguments, named by names in the message.
func exactArgs(n int, names string) cobra.PositionalArgs {
	return rangeArgs(n, n, names)
}

// rangeArgs wants between lo and hi arguments, named by names.
func rangeArgs(lo, hi int, names string) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		switch {
		case len(args) < lo:
			return usagef("%s needs %s (see '%s --help')", cmd.CommandPath(), names, cmd.CommandPath())
		case len(args) > hi:
			return usagef("%s: too many arguments: %s (it takes %s; see '%s --help')",
				cmd.CommandPath(), strings.Join(args[hi:], " "), names, cmd.CommandPath())
		}
		return nil
	}
}

// noArgs refuses any argument.
func noArgs(cmd *cobra.Command, args []string) error {
	if len(args) > 0 {
		return usagef("%s takes no arguments, got %q (see '%s --help')", cmd.CommandPath(), strings.Join(args, " "), cmd.CommandPath())
	}
	return nil
}

// unknownCommand is the root command's action: with arguments, the first
// one named no command.
func unknownCommand(cmd *cobra.Command, args []string) error {
	if len(args) == 0 {
		return cmd.Help()
	}
	return usagef("unknown command %q (see 'qccbatch --help')", args[0])
}
