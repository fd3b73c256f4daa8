package batch

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
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

// Plan is what a run of a Config would do, decided from the portfolio and
// the state file before any request: the validation plan (Portfolio: rows,
// companies, invalid rows with their sheet row and reason, duplicates with
// the row they repeat) plus what the state file already holds. PlanRun
// computes it without calling anything (validate, run --dry-run, the
// confirmation); Start computes it again under the state file's lock and
// sends it as the run's first event.
type Plan struct {
	Portfolio *Portfolio
	Done      int     // companies already final in the state file
	ToOrder   int     // new orders the run would place (at most Config.MaxOrders)
	ToPoll    int     // orders of earlier runs still pending
	ToFetch   int     // ready companies whose report file is missing from Config.DownloadDir
	Cost      float64 // ToOrder × Config.Price, in yuan (0 when no price is known)
	// Estimate is how long the run would take at Config.QPS: 0 when there
	// is nothing to do, < 0 at an unlimited rate.
	Estimate time.Duration

	// Held is how many new orders the plan holds back because the state
	// file lost records no resolution has reconciled yet (journal.Damage);
	// HeldReason says so (rendered where it is shown). Such a run polls and downloads
	// only, and ends with StopUncertain.
	Held       int
	HeldReason msg.Message

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

	// Refusal is the error Start would refuse this plan with before any
	// order (a *ConfigError: a results path that replaces the input, a
	// column of people, a --format change, a second ledger): a front end
	// shows it instead of asking for a confirmation. nil: none found.
	Refusal error

	// Digest identifies the companies the plan would order, in order, and
	// the report format: two plans with the same Digest order the same.
	// Confirmation carries it to Start.
	Digest string
}

// NeedsConfirm reports whether a run of the plan places more than
// ConfirmAbove new orders: Start then wants a Confirmed that covers it.
func (p *Plan) NeedsConfirm() bool { return p.ToOrder > ConfirmAbove }

// Confirmation is the Confirmed of a person who agreed to this plan: Start
// refuses it (a *PlanChangedError) when the plan it finds differs.
func (p *Plan) Confirmation() Confirmed { return Confirmed{Orders: p.ToOrder, Digest: p.Digest} }

// PlanRun computes the plan of cfg without sending a request, taking the
// state file's lock or changing any file. Errors are those of an unusable
// input (*input.Error) or state file (the journal's errors); what Start
// would refuse is Plan.Refusal.
func PlanRun(cfg Config) (*Plan, error) {
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
	held := r.holdForDamage(&pl)
	plan := r.publicPlan(pl, held)
	plan.Refusal = r.refusal(pl, plan.Beside)
	return plan, nil
}

// refusal is the first reason Start would refuse the plan pl before any
// order (see Plan.Refusal), found without taking the state file's lock;
// beside is the ledger beside the input that publicPlan found.
func (r *runner) refusal(pl runPlan, beside LedgerBeside) error {
	cfg := r.cfg
	if err := checkPaths(cfg.Input, cfg.Output, cfg.State, cfg.DownloadDir); err != nil {
		return err
	}
	if err := r.p.PeopleError(); err != nil {
		return err
	}
	if err := tooManyRows(cfg, r.p); err != nil {
		return err
	}
	if err := beside.refusal(cfg); err != nil {
		return err
	}
	return r.checkFormat(pl)
}

// publicPlan turns the run's plan into the Plan a front end sees; held is
// the number of new orders holdForDamage took out of it.
func (r *runner) publicPlan(pl runPlan, held int) *Plan {
	cfg := r.cfg
	orders := len(pl.orders)
	if cfg.MaxOrders > 0 && orders > cfg.MaxOrders {
		orders = cfg.MaxOrders
	}
	dp := &Plan{Portfolio: r.p, Done: pl.done, ToOrder: orders, ToPoll: len(pl.polls), ToFetch: len(pl.downloads),
		Held: held, HeldReason: r.damageHeld}
	dp.Cost = float64(orders) * cfg.Price
	if r.ratings != nil && len(r.refresh.rf.Ratings) > 0 {
		dp.Ratings, dp.Now = r.ratings.counts(), cfg.Now()
	}
	dp.State, dp.NewLedger = cfg.State, cfg.NewLedger
	if r.j.HeldOrders() == 0 { // only a new ledger would order them again
		dp.Beside, _ = ledgerBeside(cfg)
	}
	h := sha256.New()
	var b [8]byte
	binary.BigEndian.PutUint64(b[:], uint64(r.format))
	h.Write(b[:])
	for _, i := range pl.orders[:orders] {
		io.WriteString(h, r.p.Companies[i].Key)
		h.Write([]byte{0})
	}
	dp.Digest = hex.EncodeToString(h.Sum(nil)[:16])
	// The schedule a run follows: orders first at --qps, then about 1.2
	// polls per order (the learned schedule's measured figure) plus one per
	// order already pending and one call per download, at --qps; reports
	// take a poll interval or so to generate.
	calls := float64(orders) + 1.2*float64(orders) + float64(len(pl.polls)+len(pl.downloads))
	switch {
	case calls == 0:
		dp.Estimate = 0
	case cfg.QPS > 0:
		dp.Estimate = time.Duration(calls/cfg.QPS*float64(time.Second)) + cfg.PollInterval
	default:
		dp.Estimate = -1 // unlimited rate
	}
	return dp
}

// Write prints the plan for a person, in language t.
func (d *Plan) Write(w io.Writer, t msg.Language) {
	d.Portfolio.WritePlan(w, t)
	d.writeRatings(w, t)
	fmt.Fprint(w, t.Text(msg.DryDone, d.Done))
	fmt.Fprint(w, t.Text(msg.DryNewOrders, d.ToOrder))
	if d.ToOrder > 0 {
		fmt.Fprint(w, t.Text(msg.PlanToOrderNote))
	}
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
