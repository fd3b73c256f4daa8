package cli

import (
	"encoding/json"
	"fmt"
	"io"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/qccbatch/qccbatch/batch"
	"github.com/qccbatch/qccbatch/batch/journal"
	"github.com/qccbatch/qccbatch/batch/msg"
	"github.com/qccbatch/qccbatch/batch/results"
	"github.com/qccbatch/qccbatch/client"
)

// ledgerConfig is what `qccbatch ledger` was asked to do.
type ledgerConfig struct {
	State        string
	Out          string
	Since, Until string
	JSON, Runs   bool
	Lang         string
}

func newLedgerCmd() *cobra.Command {
	var cfg ledgerConfig
	cmd := &cobra.Command{
		Use:   "ledger [-o FILE.xlsx|.csv] [--since DATE] [--until DATE] [--json] [--runs] STATE",
		Short: "Every order (or every run) in the state file, for the invoice and the audit",
		Long: `List every order request that may have been charged, one row each: order_no (empty for an
uncertain request), search_key, format, requested_at (when the request was sent), ordered_at,
run, outcome, report_status, completed_at, file, sha256. With -o FILE.xlsx, a second sheet
totals orders, possibly charged (uncertain) requests and failed reports per month and format, to reconcile the
vendor's invoice. --since and --until (YYYY-MM-DD, local time) bound the request time.
With --runs, list the runs, resolutions and repairs instead (who, when, which input, exit code;
a run without an end is "killed"). It only reads: it works while a run holds the state file.`,
		Args: exactArgs(1, "STATE"),
		RunE: func(cmd *cobra.Command, args []string) error {
			cfg.State = args[0]
			if err := checkLang(cfg.Lang); err != nil {
				return err
			}
			if cfg.Runs { // never ignored silently: -o would write no file
				for _, name := range []string{"out", "since", "until"} {
					if cmd.Flags().Changed(name) {
						flag := "--" + name
						if name == "out" {
							flag = "-o"
						}
						return &batch.ConfigError{Problem: msg.M(msg.CLILedgerRunsFlag, flag, flag)}
					}
				}
			}
			return runLedger(cmd.OutOrStdout(), cfg)
		},
	}
	fl := cmd.Flags()
	fl.StringVarP(&cfg.Out, "out", "o", "", "write the ledger to FILE (.xlsx with an invoice sheet, or .csv)")
	fl.StringVar(&cfg.Since, "since", "", "only requests on or after this date (YYYY-MM-DD)")
	fl.StringVar(&cfg.Until, "until", "", "only requests on or before this date (YYYY-MM-DD)")
	fl.BoolVar(&cfg.JSON, "json", false, "print JSON for machines")
	addLangFlag(fl, &cfg.Lang)
	fl.BoolVar(&cfg.Runs, "runs", false, "list the runs, resolutions and repairs instead of the orders")
	return cmd
}

func runLedger(w io.Writer, cfg ledgerConfig) error {
	since, until, err := ledgerBounds(cfg.Since, cfg.Until)
	if err != nil {
		return err
	}
	j, err := journal.Open(cfg.State, journal.Options{ReadOnly: true, History: true})
	if err != nil {
		return suggestState(cfg.State, cfg.Lang, err)
	}
	defer j.Close()
	if cfg.Runs {
		return printRuns(w, cfg.Lang, j.Runs(), cfg.JSON)
	}
	var rows [][]string
	var orders []journal.OrderRecord
	for _, o := range j.Orders() {
		at := o.RequestedAt
		if at.IsZero() {
			at = o.OrderedAt
		}
		if (!since.IsZero() && at.Before(since)) || (!until.IsZero() && !at.Before(until)) {
			continue
		}
		orders = append(orders, o)
		rows = append(rows, []string{o.OrderNo, o.SearchKey, client.Format(o.Format).String(), ledgerTime(o.RequestedAt), ledgerTime(o.OrderedAt),
			o.RunID, string(o.Outcome), o.ReportStatus, ledgerTime(o.CompletedAt), o.File, o.SHA256})
	}
	switch {
	case cfg.Out != "":
		if err := writeLedgerFile(cfg.Out, cfg.State, cfg.Lang, rows, orders); err != nil {
			return err
		}
		fmt.Fprint(w, msg.Text(cfg.Lang, msg.LedgerWrote, cfg.Out, len(rows)))
		return nil
	case cfg.JSON:
		objs := make([]map[string]string, 0, len(rows))
		for _, r := range rows {
			m := map[string]string{}
			for i, h := range results.LedgerHeader {
				m[h] = r[i]
			}
			objs = append(objs, m)
		}
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(objs)
	}
	tw := newTableWriter(w, 2)
	fmt.Fprintln(tw, strings.Join(results.LedgerHeader[:9], "\t"))
	for _, r := range rows {
		fmt.Fprintln(tw, strings.Join(r[:9], "\t"))
	}
	return tw.Flush()
}

// ledgerBounds parses --since and --until (local dates; until is inclusive).
func ledgerBounds(since, until string) (from, to time.Time, err error) {
	parse := func(flag, s string) (time.Time, error) {
		if s == "" {
			return time.Time{}, nil
		}
		t, err := time.ParseInLocation("2006-01-02", s, time.Local)
		if err != nil {
			return time.Time{}, usagef("%s %q: want a date like 2026-11-01", flag, s)
		}
		return t, nil
	}
	if from, err = parse("--since", since); err != nil {
		return
	}
	if to, err = parse("--until", until); err != nil || to.IsZero() {
		return
	}
	return from, to.AddDate(0, 0, 1), nil
}

func ledgerTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return localTime(t, time.Local)
}

// writeLedgerFile writes the ledger as .csv (one table) or .xlsx (the
// table, and the invoice totals per month and format): see
// results.WriteLedger.
func writeLedgerFile(out, state, lang string, rows [][]string, orders []journal.OrderRecord) error {
	ext := strings.ToLower(filepath.Ext(out))
	if ext != ".xlsx" && ext != ".csv" {
		return usagef("-o %s: the ledger file must end in .xlsx or .csv", out)
	}
	if err := batch.CheckOutput(state, out); err != nil { // a *batch.ConfigError: exit 2
		return err
	}
	return results.WriteLedger(out, results.Ledger{Rows: rows, Invoice: invoiceTotals(orders)})
}

// invoiceTotals counts, per month of the order (or of the request, for an
// uncertain one) and format, the orders with a number, the uncertain
// requests ("possibly charged": the same requests a run's summary counts)
// and the failed reports: what the vendor's monthly invoice lists.
func invoiceTotals(orders []journal.OrderRecord) []results.InvoiceLine {
	m := map[[2]string]*results.InvoiceLine{}
	for _, o := range orders {
		at := o.OrderedAt
		if at.IsZero() {
			at = o.RequestedAt
		}
		k := [2]string{at.Local().Format("2006-01"), client.Format(o.Format).String()}
		l := m[k]
		if l == nil {
			l = &results.InvoiceLine{Month: k[0], Format: k[1]}
			m[k] = l
		}
		switch {
		case o.OrderNo == "":
			l.Uncertain++
		default:
			l.Orders++
			if o.Outcome == "failed" {
				l.Failed++
			}
		}
	}
	out := make([]results.InvoiceLine, 0, len(m))
	for _, l := range m {
		out = append(out, *l)
	}
	sort.Slice(out, func(a, b int) bool {
		if out[a].Month != out[b].Month {
			return out[a].Month < out[b].Month
		}
		return out[a].Format < out[b].Format
	})
	return out
}

// printRuns lists the runs, resolutions and repairs.
func printRuns(w io.Writer, lang string, runs []journal.RunRecord, asJSON bool) error {
	type runJSON struct {
		Run       string   `json:"run"`
		Kind      string   `json:"kind"`
		StartedAt string   `json:"started_at"`
		EndedAt   string   `json:"ended_at"`
		Version   string   `json:"version"`
		Host      string   `json:"host"`
		User      string   `json:"user"`
		PID       int      `json:"pid"`
		Input     string   `json:"input"`
		InputSHA  string   `json:"input_sha256"`
		Flags     []string `json:"flags"`
		Endpoint  string   `json:"endpoint"`
		PrevEP    string   `json:"prev_endpoint,omitempty"` // the endpoint the run re-bound the ledger from (--new-endpoint)
		Key       string   `json:"key_fingerprint"`
		NewOrders int      `json:"new_orders"`
		Exit      *int     `json:"exit"`
		Killed    bool     `json:"killed"`
		Reason    string   `json:"reason,omitempty"`
	}
	out := make([]runJSON, 0, len(runs))
	for _, r := range runs {
		j := runJSON{Run: r.ID, Kind: string(r.Kind), StartedAt: ledgerTime(r.Started), EndedAt: ledgerTime(r.Ended), Version: r.Version,
			Host: r.Host, User: r.User, PID: r.PID, Input: r.Input, InputSHA: r.InputSHA256, Flags: r.Flags, Endpoint: r.Endpoint,
			PrevEP: r.PrevEndpoint, Key: r.KeyFingerprint, NewOrders: r.NewOrders, Killed: r.Killed, Reason: r.ReasonIn(msg.For(lang).Lang())}
		if !r.Ended.IsZero() {
			exit := r.Exit
			j.Exit = &exit
		}
		out = append(out, j)
	}
	if asJSON {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(out)
	}
	tw := newTableWriter(w, 2)
	fmt.Fprintln(tw, "run\tkind\tstarted\tended\tuser\thost\tinput\tnew orders\texit\treason")
	for _, r := range out {
		ended, exit := r.EndedAt, "-"
		if r.Killed {
			ended = msg.Text(lang, msg.LedgerKilled)
		}
		if r.Exit != nil {
			exit = fmt.Sprint(*r.Exit)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%d\t%s\t%s\n", r.Run, r.Kind, r.StartedAt, ended, r.User, r.Host, r.Input, r.NewOrders, exit, oneLine(r.Reason))
	}
	return tw.Flush()
}
