package batch

import (
	"io"
	"time"

	"github.com/qccbatch/qccbatch/batch/identifier"
	"github.com/qccbatch/qccbatch/batch/input"
	"github.com/qccbatch/qccbatch/batch/journal"
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
	Lang     string
	Version  string
	Now      func() time.Time
}

// Export rebuilds the results from the state file alone, without calling
// the API. With an input it writes every input row with its original
// columns; without, one row per company in the state file.
func Export(cfg ExportConfig) (*Report, error) {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Format == 0 {
		cfg.Format = client.FormatPDF
	}
	if cfg.Lang == "" {
		cfg.Lang = "zh"
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
	if cfg.Input != "" {
		p, err := ScanPortfolio(cfg.Input, cfg.Read, cfg.Classify)
		if err != nil {
			return nil, err
		}
		res := func(i int) results.Result {
			c := p.Companies[i]
			st, known := j.Lookup(journal.Key{ID: c.Key, Format: int(cfg.Format)})
			return stateResult(c.SearchKey, st, known, "")
		}
		rep := &Report{Output: cfg.Output, Summary: results.Summary{
			Input: cfg.Input, State: cfg.State, Start: start, End: cfg.Now(), Version: cfg.Version,
			Rows: p.Rows, Companies: len(p.Companies), Counts: portfolioCounts(p, res)}}
		return rep, writePortfolioResults(cfg.Output, p, cfg.Read, cfg.Classify, res, rep.Summary, cfg.Lang)
	}

	var rows []results.Result
	counts := outcome.NewCounts()
	j.Each(func(st journal.State) bool {
		rr := stateResult(st.SearchKey, st, true, "")
		rows = append(rows, rr)
		counts[rr.Outcome]++
		return true
	})
	rep := &Report{Output: cfg.Output, Summary: results.Summary{
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
	return rep, results.Write(cfg.Output, nil, next, rep.Summary, cfg.Lang)
}
