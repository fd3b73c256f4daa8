package batch

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"time"

	"github.com/qccbatch/qccbatch/batch/journal"
	"github.com/qccbatch/qccbatch/batch/msg"
	"github.com/qccbatch/qccbatch/batch/results"
)

// DryRunPlan is the plan of a run that calls nothing: the validation plan
// plus what the state file already holds.
type DryRunPlan struct {
	Portfolio *Portfolio
	Done      int // companies already final in the state file
	ToOrder   int
	ToPoll    int
	ToFetch   int
	Cost      float64       // ToOrder × Config.Price, in yuan (0 when no price is known)
	Estimate  time.Duration // at the configured rate; 0: nothing to do; < 0: unlimited rate

	// Beside is the state file beside the input that holds orders of the
	// run's key while the run names another (--state NEW), with the number
	// of its orders; Beside.Path is "" when there is none. State is the run's
	// state file and NewLedger says whether --new-ledger confirms it: a
	// run without it is refused.
	Beside    LedgerBeside
	State     string
	NewLedger bool

	// Ratings are the customers, the due and the oldest report per risk
	// rating of a refresh by rating; Now is the plan's clock, for ages.
	Ratings []results.RatingCount
	Now     time.Time
}

// DryRun computes the plan of cfg without sending a request or changing
// the state file.
func DryRun(cfg Config, qps float64) (*DryRunPlan, error) {
	cfg = cfg.withDefaults()
	p, err := ScanPortfolio(cfg.Input, cfg.Read, cfg.Classify)
	if err != nil {
		return nil, err
	}
	rule, err := newRefreshRule(cfg, p)
	if err != nil {
		return nil, err
	}
	r := &runner{cfg: cfg, p: p, format: int(cfg.Format), perCompany: make([]companyRun, len(p.Companies)), refresh: rule}
	if _, err := os.Stat(cfg.State); err == nil {
		j, err := journal.Open(cfg.State, journal.Options{Now: cfg.Now, ReadOnly: true, Lang: cfg.Lang})
		if err != nil {
			return nil, err
		}
		defer j.Close()
		r.j = j
	} else if !errors.Is(err, fs.ErrNotExist) {
		return nil, err
	}
	if r.j == nil {
		r.j = journal.Empty()
	}
	pl := r.plan()
	orders := len(pl.orders)
	if cfg.MaxOrders > 0 && orders > cfg.MaxOrders {
		orders = cfg.MaxOrders
	}
	dp := &DryRunPlan{Portfolio: p, Done: pl.done, ToOrder: orders, ToPoll: len(pl.polls), ToFetch: len(pl.downloads)}
	dp.Cost = float64(orders) * cfg.Price
	if r.ratings != nil && len(rule.rf.Ratings) > 0 {
		dp.Ratings, dp.Now = r.ratings.counts(), cfg.Now()
	}
	dp.State, dp.NewLedger = cfg.State, cfg.NewLedger
	if o, ok := ledgerBeside(cfg); ok && r.j.HeldOrders() == 0 { // only a new ledger would order them again
		dp.Beside = o
	}
	// The schedule a run follows: orders first at --qps, then about 1.2
	// polls per order (the learned schedule's measured figure) plus one per
	// order already pending and one call per download, at --qps; reports
	// take a poll interval or so to generate.
	calls := float64(orders) + 1.2*float64(orders) + float64(len(pl.polls)+len(pl.downloads))
	switch {
	case calls == 0:
		dp.Estimate = 0
	case qps > 0:
		dp.Estimate = time.Duration(calls/qps*float64(time.Second)) + cfg.PollInterval
	default:
		dp.Estimate = -1 // unlimited rate
	}
	return dp, nil
}

// Write prints the plan for a person, in lang.
func (d *DryRunPlan) Write(w io.Writer, lang string) {
	t := msg.For(lang)
	d.Portfolio.WritePlan(w, lang)
	d.writeRatings(w, t)
	fmt.Fprint(w, t.Text(msg.DryDone, d.Done))
	fmt.Fprint(w, t.Text(msg.DryNewOrders, d.ToOrder))
	if d.Cost > 0 {
		fmt.Fprint(w, t.Text(msg.DryCost, d.Cost))
	}
	fmt.Fprint(w, t.Text(msg.DryPoll, d.ToPoll))
	if d.ToFetch > 0 {
		fmt.Fprint(w, t.Text(msg.DryDownload, d.ToFetch))
	}
	switch {
	case d.Estimate > 0:
		fmt.Fprint(w, t.Text(msg.DryDuration, d.Estimate.Round(time.Second)))
	case d.Estimate == 0:
		fmt.Fprint(w, t.Text(msg.DryNothing))
	default:
		fmt.Fprint(w, t.Text(msg.DryUnlimited))
	}
	switch {
	case d.Beside.Path == "":
	case d.NewLedger:
		fmt.Fprint(w, t.Text(msg.KBDryLedgerBesideNew, d.Beside.Path, d.Beside.Orders, d.State))
	default:
		fmt.Fprint(w, t.Text(msg.KBDryLedgerBeside, d.Beside.Path, d.Beside.Orders, d.State))
	}
}
