package cli

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/qccbatch/qccbatch/batch"
	"github.com/qccbatch/qccbatch/batch/msg"
	"github.com/qccbatch/qccbatch/batch/outcome"
)

// printSummary prints the summary of a run: always, even with --quiet.
// format "json" prints one JSON object; "human", the default when w is a
// terminal, a few sentences in lang; any other a key=value line for
// scripts. Start and end are local times with their offset (time.Local,
// honouring TZ).
func printSummary(w io.Writer, format, lang string, rep *batch.RunSummary, runErr error) {
	if format == "" && isTerminal(w) {
		format = "human"
	}
	writeSummary(w, format, lang, rep, runErr, time.Local)
}

// writeSummary is printSummary with the time zone of the times.
func writeSummary(w io.Writer, format, lang string, rep *batch.RunSummary, runErr error, loc *time.Location) {
	dur := rep.End.Sub(rep.Start).Round(time.Millisecond)
	start, end := localTime(rep.Start, loc), localTime(rep.End, loc)
	cost := float64(rep.NewOrders) * rep.Price
	if format == "json" {
		obj := map[string]any{
			"msg": "summary", "rows": rep.Rows, "companies": rep.Companies, "outcomes": rep.Counts,
			"new_orders": rep.NewOrders, "possibly_charged": rep.PossiblyCharged, "api_calls": rep.APICalls, "slow_downs": rep.SlowDowns, "downloaded": rep.Downloaded,
			"start": start, "end": end, "duration_s": dur.Seconds(), "results": rep.Output,
		}
		if rep.Price > 0 {
			obj["cost_yuan"] = cost
		}
		if runErr != nil {
			obj["stopped"] = msg.Render(runErr, msg.For(lang))
		}
		_ = json.NewEncoder(w).Encode(obj)
		return
	}
	if format == "human" {
		writeHumanSummary(w, msg.For(lang), rep, start, end, dur)
		return
	}
	keys := make([]string, 0, len(rep.Counts))
	for _, o := range outcome.All() {
		keys = append(keys, fmt.Sprintf("%s=%d", o, rep.Counts[o]))
	}
	costText := ""
	if rep.Price > 0 {
		costText = fmt.Sprintf(" cost_yuan=%.2f", cost)
	}
	fmt.Fprintf(w, "summary: rows=%d companies=%d %s new_orders=%d%s possibly_charged=%d api_calls=%d slow_downs=%d downloaded=%d start=%s end=%s duration=%s results=%s\n",
		rep.Rows, rep.Companies, strings.Join(keys, " "), rep.NewOrders, costText, rep.PossiblyCharged, rep.APICalls, rep.SlowDowns, rep.Downloaded,
		start, end, dur, rep.Output)
}

// writeHumanSummary writes the summary as sentences in t's language: the
// outcomes that occurred, orders and their cost, the time taken, the file.
func writeHumanSummary(w io.Writer, t msg.Language, rep *batch.RunSummary, start, end string, dur time.Duration) {
	cost := ""
	if rep.Price > 0 {
		cost = t.Text(msg.SummaryCost, float64(rep.NewOrders)*rep.Price)
	}
	fmt.Fprint(w, t.Text(msg.SummaryRows, rep.Rows, rep.Companies, strings.Join(summaryCounts(t, rep), t.Text(msg.LogListSep))))
	fmt.Fprint(w, t.Text(msg.SummaryOrders, rep.NewOrders, cost, rep.APICalls, rep.SlowDowns, rep.Downloaded))
	if rep.ToOrder > rep.NewOrders {
		fmt.Fprint(w, t.Text(msg.SummaryPlanned, rep.ToOrder, rep.NewOrders, rep.ToOrder-rep.NewOrders))
	}
	if rep.PossiblyCharged > 0 {
		fmt.Fprint(w, t.Text(msg.SummaryPossiblyCharged, rep.PossiblyCharged))
	}
	fmt.Fprint(w, t.Text(msg.SummaryTook, dur, start, end))
	if rep.Output != "" {
		fmt.Fprint(w, t.Text(msg.SummaryResults, rep.Output))
	}
}

// summaryCounts returns each outcome that occurred with its rows and, where
// known, its companies ("已完成 16 行（11 家）"): a row count and a company
// count are never mixed. Invalid rows name no company: rows only.
func summaryCounts(t msg.Language, rep *batch.RunSummary) []string {
	var counts []string
	for _, o := range outcome.All() {
		n := rep.Counts[o]
		if n == 0 {
			continue
		}
		c, ok := rep.CompanyCounts[o]
		if !ok || o == outcome.Invalid {
			counts = append(counts, t.Text(msg.SummaryCountRows, t.Outcome(o), n))
			continue
		}
		counts = append(counts, t.Text(msg.SummaryCountItem, t.Outcome(o), n, c))
	}
	return counts
}
