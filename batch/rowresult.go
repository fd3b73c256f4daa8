package batch

import (
	"fmt"
	"io"
	"reflect"
	"time"

	"github.com/qccbatch/qccbatch/batch/identifier"
	"github.com/qccbatch/qccbatch/batch/input"
	"github.com/qccbatch/qccbatch/batch/journal"
	"github.com/qccbatch/qccbatch/batch/msg"
	"github.com/qccbatch/qccbatch/batch/outcome"
	"github.com/qccbatch/qccbatch/batch/results"
	"github.com/qccbatch/qccbatch/client"
)

// stateResult returns the appended result columns for a company from its
// state (known is false when the state file has never heard of it) and what
// this run noted about it.
func stateResult(searchKey string, st journal.State, known bool, note msg.Message) results.Result {
	rr := results.Result{SearchKey: searchKey, Outcome: outcome.NotOrdered}
	if known {
		rr = results.Result{
			SearchKey:    st.SearchKey,
			Outcome:      st.Outcome,
			Code:         st.Code,
			Message:      stateMessage(st),
			OrderNo:      st.OrderNo,
			ReportStatus: st.ReportStatus,
			ReportURL:    st.ReportURL,
			File:         st.File,
			OrderedAt:    st.OrderedAt,
			CompletedAt:  st.CompletedAt,
		}
		if rr.SearchKey == "" {
			rr.SearchKey = searchKey
		}
		if rr.Outcome == "" {
			rr.Outcome = outcome.NotOrdered
		}
		if rr.Outcome == outcome.Failed && rr.Message.Zero() {
			rr.Message = msg.M(msg.ReportFailed)
		}
	}
	rr.Message = joinMessage(rr.Message, note)
	return rr
}

// stateMessage is what the state says of a company: why it is uncertain
// (its note), or the API's message of a refusal or cooldown.
func stateMessage(st journal.State) msg.Message {
	if !st.Note.Zero() {
		return st.Note
	}
	if st.Message != "" {
		return msg.Plain(st.Message)
	}
	return msg.Message{}
}

// joinMessage joins two notes of a row, once if they are the same.
func joinMessage(a, b msg.Message) msg.Message {
	if reflect.DeepEqual(a, b) {
		return a
	}
	return msg.JoinText("; ", a, b)
}

// resultLookup gives the result columns of company i of a portfolio.
type resultLookup func(i int) results.Result

// portfolioCounts counts rows per outcome.
func portfolioCounts(p *Portfolio, res resultLookup) map[outcome.Outcome]int {
	rows, _ := outcomeCounts(p, res)
	return rows
}

// outcomeCounts counts rows and companies per outcome, in one pass over the
// companies' results.
func outcomeCounts(p *Portfolio, res resultLookup) (rows, companies map[outcome.Outcome]int) {
	rows, companies = outcome.NewCounts(), outcome.NewCounts()
	for i, c := range p.Companies {
		o := res(i).Outcome
		rows[o] += c.Rows
		companies[o]++
	}
	for _, ci := range p.RowCompany {
		if ci < 0 {
			rows[outcome.Invalid]++
		}
	}
	return rows, companies
}

// writePortfolioResults writes the results table for every row of the
// portfolio, reading the input a second time so that memory holds only the
// identifiers, never the whole table. Each row's identifier is classified
// again and must still name the company of the first pass: a file edited
// while a long run went on must not get its results on the wrong rows.
func writePortfolioResults(out string, p *Portfolio, res resultLookup, sum results.Summary, t msg.Language) error {
	return writeRowsResults(out, p, res, sum, t, nil)
}

// writeRowsResults is writePortfolioResults for the rows keep selects (nil:
// every row; --split-by writes one file per value): every row is still
// read and checked against pass 1.
func writeRowsResults(out string, p *Portfolio, res resultLookup, sum results.Summary, t msg.Language, keep func(row int) bool) error {
	in, err := input.Open(p.Path, p.read)
	if err != nil {
		return err
	}
	defer in.Close()
	row := 0
	next := func() (input.Row, results.Result, error) {
		for {
			r, err := in.Next()
			if err == io.EOF && row < len(p.RowCompany) {
				err = errInputChanged(p.Path, r.Line)
			}
			if err != nil {
				return input.Row{}, results.Result{}, err
			}
			if row >= len(p.RowCompany) {
				return input.Row{}, results.Result{}, errInputChanged(p.Path, r.Line)
			}
			i := row
			ci, note := p.RowCompany[i], p.RowMessage[i]
			row++
			id := identifier.Classify(in.Identifier(r), p.classify)
			if !p.rowMatches(i, id) {
				return input.Row{}, results.Result{}, errInputChanged(p.Path, r.Line)
			}
			if keep != nil && !keep(i) {
				continue
			}
			if ci < 0 {
				return r, results.Result{Outcome: outcome.Invalid, Message: note}, nil
			}
			rr := res(int(ci))
			rr.Message = joinMessage(note, rr.Message)
			return r, rr, nil
		}
	}
	src, stop := prefetch(next)
	defer stop() // before in.Close
	return results.Write(out, in.Header(), src, p.printSummary(sum), t)
}

// printSummary adds to sum what the results workbook takes from the input:
// its title lines (for the Summary sheet) and its identifier columns (which
// repeat on every printed page).
func (p *Portfolio) printSummary(sum results.Summary) results.Summary {
	sum.TitleLines = p.TitleLines
	sum.IdentifierColumns = nil
	for _, c := range []int{p.CodeColumn, p.NameColumn} {
		if c >= 0 {
			sum.IdentifierColumns = append(sum.IdentifierColumns, c)
		}
	}
	return sum
}

func errInputChanged(path string, line int) error {
	if line <= 0 {
		return fmt.Errorf("%s changed while the run was going on (it has fewer rows than at the start), so its rows cannot be matched to their results", path)
	}
	return fmt.Errorf("%s changed while the run was going on (row %d is not what was read at the start), so its rows cannot be matched to their results", path, line)
}

// result is the runner's resultLookup: the journal's state plus this run's
// notes. A row left not_ordered by a stop says why.
func (r *runner) result(i int) results.Result {
	st, known := r.lookup(i)
	rr := stateResult(r.p.Companies[i].SearchKey, st, known, r.perCompany[i].note)
	if rr.Outcome == outcome.NotOrdered && rr.Message.Zero() {
		r.mu.Lock()
		if r.stop != nil {
			rr.Message = msg.M(msg.Stopped, r.stop.Reason)
		}
		r.mu.Unlock()
	}
	return rr
}

// report sums up the run; it also keeps the counts per company for the
// run's record (runEnd), from the same pass over the results.
func (r *runner) report(start time.Time) *RunSummary {
	var rows map[outcome.Outcome]int
	rows, r.companyCounts = outcomeCounts(r.p, r.result)
	return &RunSummary{
		Summary: results.Summary{
			Input: r.cfg.Input, State: r.cfg.State, Version: r.cfg.Version,
			Rows:      r.p.Rows,
			Companies: len(r.p.Companies),
			Counts:    rows,
			NewOrders: int(r.cfg.Progress.Ordered.Load()),
			ToOrder:   int(r.cfg.Progress.ToOrder.Load()),

			CompanyCounts: r.companyCounts,
			APICalls:      r.cfg.Progress.APICalls.Load(),
			Start:         start,
			End:           r.cfg.Now(),

			Price:        r.cfg.Price,
			PollsPending: r.cfg.Progress.PollsPending.Load(),

			PossiblyCharged: r.possiblyCharged(),
			Formats:         map[string]int{client.Format(r.format).String(): len(r.p.Companies)},
		},
		Downloaded: r.cfg.Progress.Downloaded.Load(),
		SlowDowns:  r.cfg.Progress.SlowDowns.Load(),
		Output:     r.cfg.Output,
	}
}

// possiblyCharged counts the order requests of this run that got no usable
// answer (uncertain): the API may have placed and charged them.
func (r *runner) possiblyCharged() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.ambiguousTotal
}

func (r *runner) writeResults(rep *RunSummary) error {
	sum := rep.Summary
	sum.End = r.cfg.Now()
	return writePortfolioResults(r.cfg.Output, r.p, r.result, sum, r.cfg.ResultsLang)
}

// WriteLocalResults writes the results table of a portfolio that was only
// validated: invalid rows with their reason, every other row not_ordered.
// It reads the input again like a run does, with the same check that the
// file did not change meanwhile.
//
// t is the language of the results.
func (p *Portfolio) WriteLocalResults(out string, sum results.Summary, t msg.Language) error {
	res := func(i int) results.Result {
		return results.Result{SearchKey: p.Companies[i].SearchKey, Outcome: outcome.NotOrdered}
	}
	sum.Counts, sum.CompanyCounts = outcomeCounts(p, res)
	sum.Rows, sum.Companies = p.Rows, len(p.Companies)
	return writePortfolioResults(out, p, res, sum, t)
}
