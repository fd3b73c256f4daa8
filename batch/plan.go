package batch

import (
	"time"

	"github.com/qccbatch/qccbatch/batch/msg"
	"github.com/qccbatch/qccbatch/batch/outcome"
)

// runPlan is what a run has to do, decided from the portfolio and the state
// file before any request is sent.
type runPlan struct {
	orders    []int // companies to order: never ordered first, then re-orders, then refreshes oldest first
	polls     []int // companies ordered in an earlier run and still pending
	downloads []int // ready companies whose report file is missing
	doneRows  int   // rows already final (invalid rows included)
	ready     int   // companies already ready
	done      int   // companies with a final outcome in the state file
}

// plan decides, for every company of the portfolio, what this run does.
func (r *runner) plan() runPlan {
	pol := orderPolicy{
		ReorderFailed:    r.cfg.ReorderFailed,
		ReorderUncertain: r.cfg.ReorderUncertain,
		RefreshAfter:     r.cfg.RefreshAfter,
		Now:              r.cfg.Now(),
	}
	if r.refresh != nil { // by rating or review date: decide below
		pol.RefreshAfter = 0
		r.ratings = r.refresh.newStats()
	}
	var pl runPlan
	var reorders []int
	type refresh struct {
		comp int
		at   time.Time // when its report became ready
	}
	var refreshes []refresh
	for i, c := range r.p.Companies {
		st, known := r.lookup(i)
		switch r.decide(pol, i, st, known) {
		case actionOrder:
			if known && (st.Outcome == outcome.Uncertain || st.Outcome == outcome.Failed) {
				reorders = append(reorders, i)
			} else {
				pl.orders = append(pl.orders, i)
			}
		case actionRefresh:
			refreshes = append(refreshes, refresh{i, st.CompletedAt})
		case actionPoll:
			pl.polls = append(pl.polls, i)
		default:
			if st.Outcome.Final() {
				pl.doneRows += c.Rows
				pl.done++
			}
			if st.Outcome == outcome.Ready {
				pl.ready++
				if r.cfg.DownloadDir != "" && !r.haveFile(st) {
					pl.downloads = append(pl.downloads, i)
				}
			}
			if known && st.Outcome == outcome.NotOrdered && st.CooldownUntil.After(pol.Now) {
				r.perCompany[i].note = r.text(msg.Cooldown, st.CooldownUntil.Local().Format(time.RFC3339))
				r.incompleteBecause(r.text(msg.StopCooldown))
			}
		}
	}
	// by rating (in the order --refresh-after lists them), then oldest first, ties in input order
	sortRefreshes(r.refresh, refreshes, func(f refresh) int { return f.comp }, func(f refresh) time.Time { return f.at })
	pl.orders = append(pl.orders, reorders...)
	for _, f := range refreshes {
		pl.orders = append(pl.orders, f.comp)
	}
	for i := range r.p.RowCompany {
		if r.p.RowCompany[i] < 0 {
			pl.doneRows++
		}
	}
	return pl
}
