package batch

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"time"

	"github.com/qccbatch/qccbatch/batch/journal"
)

// DryRunPlan is the plan of a run that calls nothing: the validation plan
// plus what the state file already holds.
type DryRunPlan struct {
	Portfolio *Portfolio
	Done      int // companies already final in the state file
	ToOrder   int
	ToPoll    int
	ToFetch   int
	Estimate  time.Duration // at the configured rate; 0 when unlimited
}

// DryRun computes the plan of cfg without sending a request or changing
// the state file.
func DryRun(cfg Config, qps float64) (*DryRunPlan, error) {
	cfg = cfg.withDefaults()
	p, err := ScanPortfolio(cfg.Input, cfg.Read, cfg.Classify)
	if err != nil {
		return nil, err
	}
	r := &runner{cfg: cfg, p: p, format: int(cfg.Format), comps: make([]compRun, len(p.Companies))}
	if _, err := os.Stat(cfg.State); err == nil {
		j, err := journal.Open(cfg.State, journal.Options{Now: cfg.Now, ReadOnly: true})
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
	if qps > 0 {
		// One create and at least one poll per order, one poll per pending order.
		calls := float64(2*orders + len(pl.polls) + len(pl.downloads))
		dp.Estimate = time.Duration(calls/qps*float64(time.Second)) + cfg.PollInterval
	}
	return dp, nil
}

// Write prints the plan for a person.
func (d *DryRunPlan) Write(w io.Writer) {
	d.Portfolio.WritePlan(w)
	fmt.Fprintf(w, "already done in the state file: %d companies\n", d.Done)
	fmt.Fprintf(w, "new orders this run:            %d\n", d.ToOrder)
	fmt.Fprintf(w, "orders to poll:                 %d\n", d.ToPoll)
	if d.ToFetch > 0 {
		fmt.Fprintf(w, "reports to download:            %d\n", d.ToFetch)
	}
	if d.Estimate > 0 {
		fmt.Fprintf(w, "estimated duration:             %s\n", d.Estimate.Round(time.Second))
	} else {
		fmt.Fprintf(w, "estimated duration:             unlimited rate (--qps 0)\n")
	}
}
