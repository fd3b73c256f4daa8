package cli

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/qccbatch/qccbatch/batch/journal"
	"github.com/qccbatch/qccbatch/batch/msg"
	"github.com/qccbatch/qccbatch/batch/outcome"
	"github.com/qccbatch/qccbatch/client"
)

// statusConfig is what `qccbatch status` was asked to do.
type statusConfig struct {
	State string
	JSON  bool
	Lang  string
}

func newStatusCmd() *cobra.Command {
	var cfg statusConfig
	cmd := &cobra.Command{
		Use:   "status [--json] STATE",
		Short: "Count companies by outcome in a state file",
		Long: `Read a state file (the .qccstate journal of a run) and print the number of
companies per outcome, the orders placed over all runs, and the oldest and newest
ready report. It only reads: it works while a run holds the state file, and a
record being written at that moment is simply not counted yet.`,
		Args: exactArgs(1, "STATE"),
		RunE: func(cmd *cobra.Command, args []string) error {
			cfg.State = args[0]
			if err := checkLang(cfg.Lang); err != nil {
				return err
			}
			return runStatus(cmd.OutOrStdout(), cfg)
		},
	}
	f := cmd.Flags()
	f.BoolVar(&cfg.JSON, "json", false, "print one JSON object instead of a table")
	addLangFlag(f, &cfg.Lang)
	return cmd
}

// statusJSON is the object `status --json` prints (SPEC "Command line").
type statusJSON struct {
	State        string         `json:"state"`
	Companies    int            `json:"companies"`
	OrdersPlaced int            `json:"orders_placed"`
	Outcomes     map[string]int `json:"outcomes"`
	OldestReport *time.Time     `json:"oldest_report,omitempty"`
	NewestReport *time.Time     `json:"newest_report,omitempty"`
	Records      int            `json:"records"`
	Formats      map[string]int `json:"formats"` // companies ordered per report format
	// Damaged lists the lines of a damaged state file that could not be
	// read (the counts are of the rest); absent for a sound file.
	Damaged []int `json:"damaged_lines,omitempty"`
	// RecordsLost is the time a repair found records lost, while no
	// resolution has reconciled them (new orders wait).
	RecordsLost *time.Time `json:"records_lost,omitempty"`
}

// statusRead is what status read of a state file beyond its ledger.
type statusRead struct {
	damaged []journal.DroppedLine // lines of a damaged file it could not use
	corrupt error                 // why Open refused the file, nil if it did not
	lost    *time.Time            // a repair's loss of records, not yet reconciled
}

// runStatus prints the ledger of cfg.State. A missing, foreign, damaged
// or newer-format state file exits 2 with one line; an input file given by
// mistake gets the state file's name suggested.
//
// A damaged state file (a corrupt record) is shown as far as it can be
// read, with a warning, and status still exits 2 naming `qccbatch repair`.
func runStatus(w io.Writer, cfg statusConfig) error {
	var rd statusRead
	j, err := journal.Open(cfg.State, journal.Options{ReadOnly: true})
	var ce *journal.CorruptError
	if errors.As(err, &ce) {
		var derr error
		if j, rd.damaged, derr = journal.ReadDamaged(cfg.State); derr != nil {
			return err
		}
		rd.corrupt = err
	} else if err != nil {
		return suggestState(cfg.State, cfg.Lang, err)
	}
	if d, ok := j.Damage(); ok {
		at := d.At.Local()
		rd.lost = &at
	}
	st := j.Stats()
	formats := map[string]int{}
	j.Each(func(s journal.State) bool {
		if s.Orders > 0 || s.Intents > 0 {
			formats[client.Format(s.Format).String()]++
		}
		return true
	})
	_ = j.Close()
	if cfg.JSON {
		err = printStatusJSON(w, cfg.State, st, formats, rd)
	} else {
		err = printStatusText(w, cfg, st, formats, rd)
	}
	if rd.corrupt != nil {
		return rd.corrupt
	}
	return err
}

// suggestState adds to the error of opening path as a state file the name
// of the state file a run on it would have made, when path looks like a
// portfolio and that file exists ("status p1.csv": did you mean
// p1.csv.qccstate?).
func suggestState(path, lang string, err error) error {
	var nje *journal.NotJournalError
	var fe *journal.FileError
	if !errors.As(err, &nje) && !errors.As(err, &fe) {
		return err
	}
	switch strings.ToLower(filepath.Ext(path)) {
	case ".csv", ".txt", ".xlsx":
	default:
		return err
	}
	for _, cand := range []string{path + ".qccstate", path + ".sandbox.qccstate"} {
		if _, serr := os.Stat(cand); serr == nil {
			return &usageError{errors.New(msg.Text(lang, msg.JPortfolioDidYouMean, path, cand))}
		}
	}
	return &usageError{errors.New(msg.Text(lang, msg.JPortfolioStateIn, path, path+".qccstate"))}
}

func printStatusJSON(w io.Writer, path string, st journal.Stats, formats map[string]int, rd statusRead) error {
	out := statusJSON{
		RecordsLost:  rd.lost,
		State:        path,
		Formats:      formats,
		Companies:    st.Companies,
		OrdersPlaced: st.OrdersPlaced,
		Outcomes:     make(map[string]int, len(st.Outcomes)),
		Records:      st.Records,
	}
	for _, o := range outcome.All() {
		out.Outcomes[string(o)] = st.Outcomes[o]
	}
	for _, d := range rd.damaged {
		out.Damaged = append(out.Damaged, d.Line)
	}
	if !st.OldestReport.IsZero() {
		oldest, newest := st.OldestReport.Local(), st.NewestReport.Local()
		out.OldestReport, out.NewestReport = &oldest, &newest
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}

func printStatusText(w io.Writer, cfg statusConfig, st journal.Stats, formats map[string]int, rd statusRead) error {
	t := msg.For(cfg.Lang)
	if len(rd.damaged) > 0 {
		lines := make([]string, 0, len(rd.damaged))
		for i, d := range rd.damaged {
			if i == 10 {
				lines = append(lines, "…")
				break
			}
			lines = append(lines, fmt.Sprint(d.Line))
		}
		fmt.Fprint(w, t.Text(msg.StatusDamaged, strings.Join(lines, ", "), cfg.State))
	}
	tw := newTableWriter(w, 2)
	fmt.Fprint(tw, t.Text(msg.StatusState, cfg.State))
	fmt.Fprint(tw, t.Text(msg.StatusCompanies, st.Companies))
	if len(formats) > 0 {
		var parts []string
		for _, name := range []string{"pdf", "word"} {
			if n := formats[name]; n > 0 {
				parts = append(parts, fmt.Sprintf("%s %d", name, n))
			}
		}
		fmt.Fprint(tw, t.Text(msg.StatusFormats, strings.Join(parts, ", ")))
	}
	fmt.Fprint(tw, t.Text(msg.StatusOrdersPlaced, st.OrdersPlaced))
	if rd.lost != nil {
		fmt.Fprint(tw, t.Text(msg.StatusDamagePending, localTime(*rd.lost, time.Local), cfg.State))
	}
	fmt.Fprint(tw, t.Text(msg.StatusOldest, reportTime(st.OldestReport)))
	fmt.Fprint(tw, t.Text(msg.StatusNewest, reportTime(st.NewestReport)))
	fmt.Fprint(tw, t.Text(msg.StatusOutcomes))
	for _, o := range outcome.All() {
		fmt.Fprintf(tw, "  %s\t%d\t%s\n", o, st.Outcomes[o], msg.For(cfg.Lang).Outcome(o))
	}
	return tw.Flush()
}

func reportTime(t time.Time) string {
	if t.IsZero() {
		return "-"
	}
	return localTime(t, time.Local)
}
