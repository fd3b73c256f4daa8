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
	Rating    string
	Customers int
	Due       int // companies due at the start of the run (never ordered or due for a refresh)
	DueRows   int // the rows of those companies
	Ordered   int
	Left      int
	Oldest    time.Time // zero: no ready report
}

// writeRatingRows adds the table per rating to the Summary sheet: due,
// ordered this run, left for the next run.
func writeRatingRows(sh *summaryWriter, ss summaryStyles, sum Summary, lang string) {
	if len(sum.Ratings) == 0 {
		return
	}
	t := msg.For(lang)
	sh.n++
	sh.row(ss.bold, t.Text(msg.SumRatings), t.Text(msg.SumRatingDue), t.Text(msg.SumRatingOrdered), t.Text(msg.SumRatingLeft))
	for c := 2; c <= 4; c++ {
		sh.style(ss.bold, c)
	}
	for _, r := range sum.Ratings {
		sh.row(ss.left, r.Rating, r.Due, r.Ordered, r.Left)
		for c := 2; c <= 4; c++ {
			sh.style(ss.left, c)
		}
	}
}
