package cli

import (
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/qccbatch/qccbatch/batch/journal"
	"github.com/qccbatch/qccbatch/batch/msg"
)

func newRepairCmd() *cobra.Command {
	var apply bool
	var lang string
	cmd := &cobra.Command{
		Use:   "repair [--apply] STATE",
		Short: "Rebuild a damaged state file from its valid records",
		Long: `Read a state file that a run refused as damaged ("corrupt record at line N"),
keep every valid record, and mark the companies whose history is incomplete
uncertain, so that no run orders them again by itself (look them up in Qichacha's
order list, then qccbatch resolve). Where complete records were lost (a gap in
the record numbers, a zeroed block, a line no company can be told of), no run
places a new order until qccbatch resolve --orders LIST --apply reconciles the
vendor's order list with the state file. The valid orders of a damaged fallback
file (STATE.pending-orders) are merged, and it is kept as
STATE.pending-orders.damaged-<time>. What an interrupted repair left is
recovered. Without --apply it only prints what it would
do. With --apply the damaged file is kept as STATE.damaged-<time> and the
repaired one takes its place. It needs the state file's lock: no run may be
using it.`,
		Args: exactArgs(1, "STATE"),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := checkLang(lang); err != nil {
				return err
			}
			rep, err := journal.Repair(args[0], journal.RepairOptions{DryRun: !apply})
			if err != nil {
				return err
			}
			printRepair(cmd.OutOrStdout(), lang, rep)
			return nil
		},
	}
	cmd.Flags().BoolVar(&apply, "apply", false, "repair the file (without it, only say what would be done)")
	addLangFlag(cmd.Flags(), &lang)
	return cmd
}

// printRepair says what repair did, or would do.
func printRepair(w io.Writer, lang string, rep *journal.RepairReport) {
	t := msg.For(lang)
	if len(rep.Leftovers) > 0 {
		fmt.Fprint(w, t.Text(msg.RepairLeftover, strings.Join(rep.Leftovers, ", ")))
	}
	if !rep.Changed() {
		fmt.Fprint(w, t.Text(msg.RepairNoDamage, rep.Path))
		return
	}
	if rep.DryRun {
		fmt.Fprint(w, t.Text(msg.RepairWouldKeep, rep.Path, rep.Kept))
	} else {
		fmt.Fprint(w, t.Text(msg.RepairKept, rep.Path, rep.Kept))
	}
	for _, d := range rep.Dropped {
		about := ""
		if d.Key.ID != "" {
			about = t.Text(msg.RepairCompany, d.Key.ID)
		}
		fmt.Fprint(w, t.Text(msg.RepairDropped, d.Line, d.Reason, about))
	}
	if n := len(rep.Uncertain); n > 0 {
		fmt.Fprint(w, t.Text(msg.RepairUncertain, n))
		for _, k := range rep.Uncertain {
			fmt.Fprintf(w, "    %s\n", k.ID)
		}
	}
	if rep.Unattributed > 0 {
		fmt.Fprint(w, t.Text(msg.RepairUnattributed, rep.Unattributed))
	}
	if rep.FallbackDamaged != "" || rep.FallbackOrders > 0 {
		kept := rep.FallbackDamaged
		if kept == "" {
			kept = rep.Fallback
		}
		fmt.Fprint(w, t.Text(msg.RepairFallback, rep.FallbackOrders, rep.Fallback, kept))
	}
	if rep.Lost > 0 {
		fmt.Fprint(w, t.Text(msg.RepairLost, rep.Lost, rep.Path))
	}
	if rep.DryRun {
		fmt.Fprint(w, t.Text(msg.RepairDryRun))
	} else {
		fmt.Fprint(w, t.Text(msg.RepairBackup, rep.Damaged))
	}
}
