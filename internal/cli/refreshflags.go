package cli

import (
	"io"
	"time"

	"github.com/spf13/pflag"

	"github.com/qccbatch/qccbatch/batch"
	"github.com/qccbatch/qccbatch/batch/input"
)

// refreshFlags are the flags of a back-book refresh: by one age, by risk
// rating, by review date (issue 20 items 1, 2).
type refreshFlags struct {
	refreshAfter, riskColumn, dueColumn string
	dueWithin                           durationValue
}

// AddFlags declares the refresh flags on f.
func (o *refreshFlags) AddFlags(f *pflag.FlagSet) {
	f.StringVar(&o.refreshAfter, "refresh-after", "",
		"re-order companies whose last ready report is older than this, e.g. 365d or 1y; or one age per risk rating, refreshed in this order: 高=1y,中=2y,低=3y,*=2y [never]")
	f.StringVar(&o.riskColumn, "risk-column", "", "header or column letter of the risk rating [auto-detected: 风险等级, 风险评级, 客户风险等级, 洗钱风险等级, risk, risk rating]")
	f.StringVar(&o.dueColumn, "due-column", "", "header or column letter of the next review date (e.g. 下次复核日期): a row due by it is refreshed when its report predates the review cycle")
	f.Var(&o.dueWithin, "due-within", "with --due-column: a review date within this of today is due now, e.g. 30d [today or earlier]")
}

// apply puts the refresh flags into cfg.
func (o *refreshFlags) apply(cfg *batch.Config) error {
	age, rf, err := batch.ParseRefreshAfter(o.refreshAfter)
	if err != nil {
		return usagef("%v", err)
	}
	if o.dueWithin != 0 && o.dueColumn == "" {
		return usagef("--due-within needs --due-column")
	}
	rf.DueWithin = time.Duration(o.dueWithin)
	cfg.RefreshAfter, cfg.Refresh = age, rf
	cfg.Read.RiskColumn, cfg.Read.DueColumn = o.riskColumn, o.dueColumn
	return nil
}

// addSplitFlag declares --split-by (run and export).
func addSplitFlag(f *pflag.FlagSet, v *string) {
	f.StringVar(v, "split-by", "", "besides the whole results, one results file per value of this column (e.g. 客户经理, 支行): OUT-<value>.xlsx, each with its own Summary")
}

// validateRatings prints, for validate with a per-rating --refresh-after,
// the customers, the due now (against the input's state file, when there
// is one) and the oldest report per rating; a rating the mapping does not
// cover is the same exit 2 as run's.
func validateRatings(w io.Writer, cfg validateConfig, read input.Options) error {
	if cfg.Refresh.refreshAfter == "" && cfg.Refresh.dueColumn == "" {
		return nil
	}
	bc := batch.Config{Input: cfg.Input, State: cfg.Input + ".qccstate", Read: read, Classify: cfg.In.classify(), Lang: cfg.Output.lang}
	if err := cfg.Refresh.apply(&bc); err != nil {
		return err
	}
	plan, err := batch.PlanRun(bc)
	if err != nil {
		return err
	}
	plan.WriteRatings(w, cfg.Output.lang)
	return nil
}
