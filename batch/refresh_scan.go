package batch

import (
	"cmp"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/qccbatch/qccbatch/batch/input"
	"github.com/qccbatch/qccbatch/batch/journal"
	"github.com/qccbatch/qccbatch/batch/msg"
	"github.com/qccbatch/qccbatch/batch/outcome"
	"github.com/qccbatch/qccbatch/batch/results"
)

// rowExtras are the cells of pass 1 beside the identifier: each row's risk
// rating, review date and split value. Ratings and split values are
// interned (a book has a handful of ratings and managers), so memory stays
// at a few bytes per row.
type rowExtras struct {
	input.Extras
	ratings  values  // per row, when Risk >= 0
	splits   values  // per row, when Split >= 0
	due      []int32 // per row, when Due >= 0: days since 1970-01-01 + 1; 0 blank; -1 unreadable
	dueValid int     // rows with a readable date
	date1904 bool    // the workbook counts dates from 1904 (input.Reader.Date1904)
}

// values interns the texts of one column, per row.
type values struct {
	Texts []string // distinct texts, first-appearance order
	Row   []int32  // per row: index into Texts
	First []int32  // per text: its first data row
	Count []int32  // per text: its rows
	index map[string]int32
}

func (v *values) add(s string, row int) {
	if v.index == nil {
		v.index = map[string]int32{}
	}
	i, ok := v.index[s]
	if !ok {
		i = int32(len(v.Texts))
		v.index[s] = i
		v.Texts = append(v.Texts, s)
		v.First = append(v.First, int32(row))
		v.Count = append(v.Count, 0)
	}
	v.Count[i]++
	v.Row = append(v.Row, i)
}

// init finds the extra columns of the portfolio's header.
func (x *rowExtras) init(path string, header []string, opt input.Options) error {
	e, err := input.FindExtras(path, header, opt)
	x.Extras = e
	return err
}

// add reads the extra cells of data row row (0-based) of p.
func (x *rowExtras) add(p *Portfolio, row int, r input.Row) {
	if x.Risk >= 0 {
		x.ratings.add(r.Cell(x.Risk).Text(), row)
	}
	if x.Split >= 0 {
		x.splits.add(r.Cell(x.Split).Text(), row)
	}
	if x.Due >= 0 {
		d, blank, ok := r.Cell(x.Due).DateIn(x.date1904)
		var v int32
		switch {
		case ok:
			v = int32(d.Unix()/86400) + 1
			x.dueValid++
		case !blank:
			v = -1
			p.warnRow(row, msg.DueDateReason, msg.DueDateUnreadable, r.Cell(x.Due).Text())
		}
		x.due = append(x.due, v)
	}
}

// warnRow adds a warning to a valid data row (or a second message to an
// invalid one): the plan counts it, the results show it.
func (p *Portfolio) warnRow(row int, reason, id msg.ID, args ...any) {
	m := msg.M(id, args...)
	if old, ok := p.RowMessage[row]; ok {
		m = msg.Join(msg.StopJoin, old, m)
	} else if p.RowCompany[row] >= 0 {
		p.RowReason[row] = reason
		p.WarningByReason[reason]++
	}
	p.RowMessage[row] = m
}

// refreshRule is what decides a ready company's refresh in this run.
type refreshRule struct {
	rf     Refresh
	x      *rowExtras
	byText []int     // per rating text of the file: index in rf.Ratings, -1 other
	class  []int     // per company: its rating's index in Refresh.Ratings, len(Ratings) for the ratings `*=` covers
	due    []int32   // per company: earliest review date (days + 1), 0 none
	now    time.Time // the run's clock
	today  int32     // today's date, days + 1, in local time
	labels []string  // per rank: the rating's label, the last one "" (other: its writer names it)
}

// newRefreshRule builds the rule of cfg for portfolio p; nil when the run
// refreshes by one age (or not at all). An uncovered rating, or a mapping
// without a rating column, is a *ConfigError (exit 2, before any order).
func newRefreshRule(cfg Config, p *Portfolio) (*refreshRule, error) {
	x := &p.Extra
	if !cfg.Refresh.active() && x.Due < 0 {
		return nil, nil
	}
	rf := cfg.Refresh
	if !rf.active() && cfg.RefreshAfter > 0 {
		rf.Default = cfg.RefreshAfter
	}
	now := cfg.Now()
	y, m, d := now.In(time.Local).Date()
	today := int32(time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Unix()/86400) + 1
	rr := &refreshRule{rf: rf, x: x, now: now, today: today}
	for _, r := range rf.Ratings {
		rr.labels = append(rr.labels, r.Label)
	}
	rr.labels = append(rr.labels, "") // other (results.RatingCount.Other)
	if len(rf.Ratings) > 0 {
		if x.Risk < 0 {
			return nil, configErrorf(msg.CfgNoRiskColumn, p.Path, strings.Join(p.Header, ", "))
		}
		// Only the rows of a customer count: a 合计 row or an invalid
		// identifier is never ordered, so its rating (often blank) does
		// not stop the refresh.
		count, first := make([]int, len(x.ratings.Texts)), make([]int, len(x.ratings.Texts))
		for row, ci := range p.RowCompany {
			if k := x.ratings.Row[row]; ci >= 0 {
				if count[k] == 0 {
					first[k] = row
				}
				count[k]++
			}
		}
		var parts []msg.Message
		for i, t := range x.ratings.Texts {
			k, ok := rf.Match(t)
			if !ok {
				k = -1
				if rf.Default == 0 && count[i] > 0 {
					var shown any = t
					if t == "" {
						shown = msg.M(msg.RatingBlank)
					}
					parts = append(parts, msg.M(msg.CfgUnknownRating, shown, count[i], p.RowLine[first[i]]))
				}
			}
			rr.byText = append(rr.byText, k)
		}
		if len(parts) > 0 {
			return nil, configErrorf(msg.CfgUnknownRatings, p.Path, msg.JoinText(", ", parts...))
		}
	}
	// Per company: its most urgent rating (the first listed) and its
	// earliest review date, over the rows that name it.
	rr.class = make([]int, len(p.Companies))
	rr.due = make([]int32, len(p.Companies))
	for i := range rr.class {
		rr.class[i] = len(rf.Ratings)
	}
	for row, ci := range p.RowCompany {
		if ci < 0 {
			continue
		}
		if len(rr.byText) > 0 {
			if k := rr.byText[x.ratings.Row[row]]; k >= 0 && k < rr.class[ci] {
				rr.class[ci] = k
			}
		}
		if x.Due >= 0 {
			if d := x.due[row]; d > 0 && (rr.due[ci] == 0 || d < rr.due[ci]) {
				rr.due[ci] = d
			}
		}
	}
	return rr, nil
}

// age is the refresh age of company i (0: not refreshed by age).
func (rr *refreshRule) age(i int) time.Duration {
	if k := rr.class[i]; k < len(rr.rf.Ratings) {
		return rr.rf.Ratings[k].Age
	}
	return rr.rf.Default
}

// due reports whether company i, whose report became ready at completed,
// is to be ordered again now. A company with a review date is due when the
// date is today or earlier (within Refresh.DueWithin) and its report
// predates the start of that review cycle (the date minus one cycle: its
// age, else DefaultReviewCycle); one without is due by its age.
func (rr *refreshRule) dueNow(i int, completed time.Time) bool {
	if completed.IsZero() {
		return false
	}
	if d := rr.due[i]; d > 0 {
		within := int32(rr.rf.DueWithin / (24 * time.Hour))
		if d > rr.today+within {
			return false
		}
		cycle := rr.age(i)
		if cycle <= 0 {
			cycle = DefaultReviewCycle
		}
		date := time.Unix(int64(d-1)*86400, 0).UTC()
		start := time.Date(date.Year(), date.Month(), date.Day(), 0, 0, 0, 0, time.Local).Add(-cycle)
		return completed.Before(start)
	}
	a := rr.age(i)
	return a > 0 && !completed.After(rr.now.Add(-a))
}

// ratingStats counts, per rank, the customers (companies), the ones due
// now, and the oldest ready report; ordered is filled in after the run.
type ratingStats struct {
	labels                       []string
	customers, due, orders, left []int
	dueRows                      []int
	oldest                       []time.Time
	isDue                        []bool // per company: due at the plan
	settled                      bool   // orders and left counted after the run (else every due one is left)
}

func (rr *refreshRule) newStats() *ratingStats {
	n := len(rr.labels)
	return &ratingStats{labels: rr.labels, customers: make([]int, n), due: make([]int, n), orders: make([]int, n),
		left: make([]int, n), dueRows: make([]int, n), oldest: make([]time.Time, n), isDue: make([]bool, len(rr.class))}
}

// note counts company i (rows of the input) of rank k in the stats.
func (s *ratingStats) note(i, k, rows int, completed time.Time, due bool) {
	s.customers[k]++
	if due {
		s.due[k]++
		s.dueRows[k] += rows
		s.isDue[i] = true
	}
	if !completed.IsZero() && (s.oldest[k].IsZero() || completed.Before(s.oldest[k])) {
		s.oldest[k] = completed
	}
}

// sortRefreshes orders refreshes by rank (the order --refresh-after lists
// the ratings), then oldest report first, ties in input order.
func sortRefreshes[T any](rr *refreshRule, xs []T, comp func(T) int, at func(T) time.Time) {
	slices.SortStableFunc(xs, func(a, b T) int {
		if rr != nil {
			if c := cmp.Compare(rr.class[comp(a)], rr.class[comp(b)]); c != 0 {
				return c
			}
		}
		return at(a).Compare(at(b))
	})
}

// ageText renders an age for the plan: days, or hours under two days.
func ageText(d time.Duration) string {
	if d < 48*time.Hour {
		return d.Round(time.Second).String()
	}
	return fmt.Sprintf("%dd", int(d/(24*time.Hour)))
}

// decide is orderPolicy.Decide with the refresh by rating and review date
// (r.refresh), counting every company in the stats per rating.
func (r *runner) decide(pol orderPolicy, i int, st journal.State, known bool) action {
	r.perCompany[i].ordersBefore = int32(st.Orders)
	a := pol.Decide(st, known)
	if r.refresh == nil {
		return a
	}
	if a == actionNone && known && st.Outcome == outcome.Ready && !pol.Now.Before(st.CooldownUntil) &&
		r.refresh.dueNow(i, st.CompletedAt) {
		a = actionRefresh
	}
	var completed time.Time
	if known && st.Outcome == outcome.Ready {
		completed = st.CompletedAt
	}
	r.ratings.note(i, r.refresh.class[i], r.p.Companies[i].Rows, completed, a == actionOrder || a == actionRefresh)
	return a
}

// addRatings puts the counts per rating into the summary: due at the
// start, ordered this run, left for the next run (only when
// --refresh-after lists ratings).
func (r *runner) addRatings(sum *results.Summary) {
	if r.ratings == nil || len(r.refresh.rf.Ratings) == 0 {
		return
	}
	for i := range r.p.Companies {
		if !r.ratings.isDue[i] {
			continue
		}
		k := r.refresh.class[i]
		switch st, _ := r.lookup(i); {
		case r.placedIn(i, st):
			r.ratings.orders[k]++
		case st.Outcome == outcome.NotOrdered || st.Outcome == outcome.Ready:
			r.ratings.left[k]++ // not tried, or refused for now (a cooldown, a request that failed)
		}
	}
	r.ratings.settled = true
	sum.Ratings = r.ratings.counts()
}

// placedThisRun reports whether the API placed an order for company i in
// this run (a request answered 201, refused or never sent is none): what
// the Summary counts as new orders.
func (r *runner) placedThisRun(i int) bool {
	st, _ := r.lookup(i)
	return r.placedIn(i, st)
}

// placedIn is placedThisRun with company i's state already looked up.
func (r *runner) placedIn(i int, st journal.State) bool {
	return int32(st.Orders) > r.perCompany[i].ordersBefore
}

// counts are the stats as the results show them; the "other" line only
// when it has customers.
func (s *ratingStats) counts() []results.RatingCount {
	var out []results.RatingCount
	for k, l := range s.labels {
		if k == len(s.labels)-1 && s.customers[k] == 0 {
			break
		}
		left := s.left[k]
		if !s.settled {
			left = s.due[k]
		}
		out = append(out, results.RatingCount{Rating: l, Other: k == len(s.labels)-1, Customers: s.customers[k], Due: s.due[k], DueRows: s.dueRows[k],
			Ordered: s.orders[k], Left: left, Oldest: s.oldest[k]})
	}
	return out
}

// WriteRatings prints the plan per risk rating alone, in language t
// (validate).
func (d *Plan) WriteRatings(w io.Writer, t msg.Language) { d.writeRatings(w, t) }

// writeRatings prints the plan per risk rating: customers, due now, the
// oldest report's age.
func (d *Plan) writeRatings(w io.Writer, t msg.Language) {
	if len(d.Ratings) == 0 {
		return
	}
	fmt.Fprint(w, t.Text(msg.PlanRatings))
	for _, r := range d.Ratings {
		age := t.Text(msg.PlanRatingNoReport)
		if !r.Oldest.IsZero() {
			age = ageText(d.Now.Sub(r.Oldest))
		}
		name := r.Name(t)
		pad := 12 - results.DisplayWidth(name) + utf8.RuneCountInString(name)
		fmt.Fprintf(w, "  %-*s %7d %7d  %s\n", pad, name, r.Customers, r.Due, age)
	}
}
