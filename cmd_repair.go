package main

import (
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/qccbatch/qccbatch/batch/journal"
)

func newRepairCmd() *cobra.Command {
	var apply bool
	cmd := &cobra.Command{
		Use:   "repair [--apply] STATE",
		Short: "Rebuild a damaged state file from its valid records",
		Long: `Read a state file that a run refused as damaged ("corrupt record at line N"),
keep every valid record, and mark the companies whose history is incomplete
uncertain, so that no run orders them again by itself (look them up in Qichacha's
order list, then qccbatch resolve). Without --apply it only prints what it would
do. With --apply the damaged file is kept as STATE.damaged-<time> and the
repaired one takes its place. It needs the state file's lock: no run may be
using it.`,
		Args: exactArgs(1, "STATE"),
		RunE: func(cmd *cobra.Command, args []string) error {
			rep, err := journal.Repair(args[0], journal.RepairOptions{DryRun: !apply})
			if err != nil {
				return err
			}
			printRepair(cmd.OutOrStdout(), rep)
			return nil
		},
	}
	cmd.Flags().BoolVar(&apply, "apply", false, "repair the file (without it, only say what would be done)")
	return cmd
}

// printRepair says what repair did, or would do.
func printRepair(w io.Writer, rep *journal.RepairReport) {
	if !rep.Changed() {
		fmt.Fprintf(w, "%s: no damage found; nothing to do\n", rep.Path)
		return
	}
	verb := "would keep"
	if !rep.DryRun {
		verb = "kept"
	}
	fmt.Fprintf(w, "%s: %s %d records\n", rep.Path, verb, rep.Kept)
	for _, d := range rep.Dropped {
		about := ""
		if d.Key.ID != "" {
			about = " (company " + d.Key.ID + ")"
		}
		fmt.Fprintf(w, "  line %d dropped: %s%s\n", d.Line, d.Reason, about)
	}
	if n := len(rep.Uncertain); n > 0 {
		fmt.Fprintf(w, "  %d companies marked uncertain (history incomplete; never re-ordered by themselves):\n", n)
		for _, k := range rep.Uncertain {
			fmt.Fprintf(w, "    %s\n", k.ID)
		}
	}
	if rep.Unattributed > 0 {
		fmt.Fprintf(w, "  %d dropped lines name no company: an order may be missing; compare with Qichacha's order list\n", rep.Unattributed)
	}
	if rep.DryRun {
		fmt.Fprintln(w, "nothing changed: rerun with --apply to repair")
	} else {
		fmt.Fprintf(w, "the damaged file is kept as %s\n", rep.Damaged)
	}
}
