package batch

import (
	"fmt"
	"io"
	"time"

	"github.com/qccbatch/qccbatch/batch/identifier"
	"github.com/qccbatch/qccbatch/batch/input"
	"github.com/qccbatch/qccbatch/batch/journal"
	"github.com/qccbatch/qccbatch/batch/msg"
	"github.com/qccbatch/qccbatch/batch/outcome"
	"github.com/qccbatch/qccbatch/batch/results"
	"github.com/qccbatch/qccbatch/client"
)

// ExportConfig is what `qccbatch export` needs.
type ExportConfig struct {
	State    string
	Input    string // optional: the full table with original columns
	Output   string
	Read     input.Options
	Classify identifier.Options
	Format   client.Format
	// ResultsLang is the language of the results ("zh" unless "en").
	ResultsLang msg.Language
	Version     string
	Now         func() time.Time
}

// Export rebuilds the results from the state file alone, without calling
// the API. With an input it writes every input row with its original
// columns; without, one row per company in the state file.
func Export(cfg ExportConfig) (*RunSummary, error) {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	start := cfg.Now()
	if err := checkPaths(cfg.Input, cfg.Output, cfg.State, ""); err != nil {
		return nil, err
	}
	j, err := journal.Open(cfg.State, journal.Options{Now: cfg.Now, ReadOnly: true})
	if err != nil {
		return nil, err
	}
	defer j.Close()
	// Without INPUT the portfolio is not named: refuse every input a run of
	// this state file read, so an export never replaces a customer's file.
	for _, run := range j.Runs() {
		if run.Input != "" && same(cfg.Output, run.Input) {
			return nil, configErrorf(msg.CfgExportIsInput, cfg.Output, run.ID)
		}
	}
	if cfg.Format == 0 {
		cfg.Format = usualFormat(j)
	}
	if cfg.Input != "" {
		return exportPortfolio(cfg, j, start)
	}
	if cfg.Read.SplitBy != "" {
		return nil, configErrorf(msg.CfgSplitNeedsInput)
	}
	return exportState(cfg, j, start)
}

// usualFormat is the format most of the state file's companies were
// ordered in: PDF unless Word is more frequent.
func usualFormat(j *journal.Journal) client.Format {
	var n [3]int
	j.Each(func(st journal.State) bool {
		if st.Format == 1 || st.Format == 2 {
			n[st.Format]++
		}
		return true
	})
	if n[2] > n[1] {
		return client.FormatWord
	}
	return client.FormatPDF
}

// exportPortfolio writes every row of cfg.Input with the state of its
// company in j, warning when fewer than half of the companies are there
// (the wrong input, state file or format).
func exportPortfolio(cfg ExportConfig, j *journal.Journal, start time.Time) (*RunSummary, error) {
	p, err := ScanPortfolio(cfg.Input, cfg.Read, cfg.Classify)
	if err != nil {
		return nil, err
	}
	lookup := func(i int) (journal.State, bool) {
		return j.Lookup(journal.Key{ID: p.Companies[i].Key, Format: int(cfg.Format)})
	}
	res := func(i int) results.Result {
		st, known := lookup(i)
		return stateResult(p.Companies[i].SearchKey, st, known, msg.Message{})
	}
	known := 0
	for i := range p.Companies {
		if _, ok := lookup(i); ok {
			known++
		}
	}
	rep := &RunSummary{Output: cfg.Output, Summary: results.Summary{
		Input: cfg.Input, State: cfg.State, Start: start, End: cfg.Now(), Version: cfg.Version,
		Rows: p.Rows, Companies: len(p.Companies), Counts: portfolioCounts(p, res)}}
	if st := j.Stats(); known*2 < len(p.Companies) && st.Companies > 0 {
		rep.Warnings = append(rep.Warnings, fmt.Sprintf("only %d of the %d companies of %s are in the state file (format %s): is it the right input, state file and --format? The others are written not_ordered",
			known, len(p.Companies), cfg.Input, cfg.Format.String()))
	}
	if err := writePortfolioResults(cfg.Output, p, res, rep.Summary, cfg.ResultsLang); err != nil {
		return rep, err
	}
	rep.Split, err = writeSplits(cfg.Output, p, res, rep.Summary, cfg.ResultsLang, nil)
	return rep, err
}

// exportState writes one row per company of j, in the state file's order.
func exportState(cfg ExportConfig, j *journal.Journal, start time.Time) (*RunSummary, error) {
	var rows []results.Result
	counts := outcome.NewCounts()
	j.Each(func(st journal.State) bool {
		rr := stateResult(st.SearchKey, st, true, msg.Message{})
		rows = append(rows, rr)
		counts[rr.Outcome]++
		return true
	})
	rep := &RunSummary{Output: cfg.Output, Summary: results.Summary{
		State: cfg.State, Start: start, End: cfg.Now(), Version: cfg.Version,
		Rows: len(rows), Companies: len(rows), Counts: counts}}
	n := 0
	next := func() (input.Row, results.Result, error) {
		if n >= len(rows) {
			return input.Row{}, results.Result{}, io.EOF
		}
		n++
		return input.Row{Line: n + 1}, rows[n-1], nil
	}
	return rep, results.Write(cfg.Output, nil, next, rep.Summary, cfg.ResultsLang)
}
