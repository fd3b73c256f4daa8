package results

import (
	"time"

	"github.com/qccbatch/qccbatch/batch/msg"
)

// RatingCount is one risk rating's line of a refresh by rating
// (--refresh-after 高=1y,…): its customers (companies), those due at the
// start of the run, those ordered this run, those left for the next run,
// and when its oldest ready report became ready.
type RatingCount struct {
	Rating    string // as the command line gave it; "" for Other
	Other     bool   // the line of the ratings no label names (msg.RatingOther)
	Customers int
	Due       int // companies due at the start of the run (never ordered or due for a refresh)
	DueRows   int // the rows of those companies
	Ordered   int
	Left      int
	Oldest    time.Time // zero: no ready report
}

// Name returns the rating as shown in language t.
func (r RatingCount) Name(t msg.Language) string {
	if r.Other {
		return t.Text(msg.RatingOther)
	}
	return r.Rating
}

// writeRatingRows adds the table per rating to the Summary sheet: due,
// ordered this run, left for the next run.
func writeRatingRows(sh *summaryWriter, ss summaryStyles, sum Summary, t msg.Language) {
	if len(sum.Ratings) == 0 {
		return
	}
	sh.n++
	sh.row(ss.bold, t.Text(msg.SumRatings), t.Text(msg.SumRatingDue), t.Text(msg.SumRatingOrdered), t.Text(msg.SumRatingLeft))
	for c := 2; c <= 4; c++ {
		sh.style(ss.bold, c)
	}
	for _, r := range sum.Ratings {
		sh.row(ss.left, r.Name(t), r.Due, r.Ordered, r.Left)
		for c := 2; c <= 4; c++ {
			sh.style(ss.left, c)
		}
	}
}
