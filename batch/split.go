package batch

import (
	"fmt"
	"github.com/qccbatch/qccbatch/batch/msg"
	"strings"

	"golang.org/x/text/unicode/norm"

	"github.com/qccbatch/qccbatch/batch/outcome"
	"github.com/qccbatch/qccbatch/batch/results"
)

// splitBlank names the file of the rows whose split cell is empty.
const splitBlank = "(blank)"

// writeSplits writes, besides the whole results at out, one results file
// per value of the split column (--split-by): OUT-<value>.xlsx with that
// value's rows and a Summary of its own (its rows, companies, outcomes and
// the companies ordered this run: ordered(i)). It reads the input once per
// value. It returns the files written.
func writeSplits(out string, p *Portfolio, res resultLookup, sum results.Summary, t msg.Language, ordered func(i int) bool) ([]string, error) {
	v := &p.Extra.splits
	if p.Extra.Split < 0 || out == "" {
		return nil, nil
	}
	taken := map[string]bool{} // the names given, folded: Windows and macOS ignore case, macOS the Unicode form
	fold := func(s string) string { return strings.ToLower(norm.NFC.String(s)) }
	var files []string
	for k, val := range v.Texts {
		base := results.SafeName(val, splitBlank)
		name := base
		// A value made safe to a name already given gets a number, and
		// so does a value that is itself such a numbered name (a-2), or
		// one whose file would be the input (book-A.xlsx, -o book.xlsx).
		for n := 2; taken[fold(name)] || same(results.SplitPath(out, name), p.Path); n++ {
			name = fmt.Sprintf("%s-%d", base, n)
		}
		taken[fold(name)] = true
		path := results.SplitPath(out, name)
		s := sum
		s.Rows, s.Companies, s.NewOrders, s.APICalls, s.PossiblyCharged, s.PollsPending = 0, 0, 0, 0, 0, 0
		s.Ratings = nil
		s.ToOrder = 0 // the whole book's plan
		s.Counts = outcome.NewCounts()
		if s.CompanyCounts != nil {
			s.CompanyCounts = outcome.NewCounts()
		}
		seen := map[int32]bool{}
		for row, ci := range p.RowCompany {
			if v.Row[row] != int32(k) {
				continue
			}
			s.Rows++
			if ci < 0 {
				s.Counts[outcome.Invalid]++
				continue
			}
			s.Counts[res(int(ci)).Outcome]++
			if !seen[ci] {
				seen[ci] = true
				s.Companies++
				if s.CompanyCounts != nil {
					s.CompanyCounts[res(int(ci)).Outcome]++
				}
				if ordered != nil && ordered(int(ci)) {
					s.NewOrders++
				}
			}
		}
		if s.Formats != nil {
			s.Formats = map[string]int{}
			for f := range sum.Formats {
				s.Formats[f] = s.Companies
			}
		}
		keep := func(row int) bool { return v.Row[row] == int32(k) }
		if err := writeRowsResults(path, p, res, s, t, keep); err != nil {
			return files, err
		}
		files = append(files, path)
	}
	return files, nil
}

// writeSplits writes the run's results per value of --split-by.
func (r *runner) writeSplits(rep *RunSummary) ([]string, error) {
	sum := rep.Summary
	sum.End = r.cfg.Now()
	files, err := writeSplits(r.cfg.Output, r.p, r.result, sum, r.cfg.ResultsLang,
		r.placedThisRun)
	if len(files) > 0 {
		r.cfg.Logger.Info("results per value written", "split_by", r.cfg.Read.SplitBy, "files", len(files))
	}
	return files, err
}
