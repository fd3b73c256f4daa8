package batch

import (
	"github.com/qccbatch/qccbatch/batch/journal"
	"github.com/qccbatch/qccbatch/batch/msg"
)

// A state file that lost records (journal.Damage) holds back every new
// order until the vendor's order list is reconciled with it: the list's
// orders the state file no longer knows are recorded, for companies it
// does not know at all (a lost snapshot) and for known companies whose
// newer order was lost; then the damage is cleared, and the next run
// orders only what the vendor never saw.

// planDamage adds to plan, while the state file's damage is pending, the
// list's orders that the state file lost. It returns the damage, or nil.
func planDamage(j *journal.Journal, list *orderList, cfg ResolveConfig, plan *ResolvePlan) *journal.Damage {
	d, ok := j.Damage()
	if !ok {
		return nil
	}
	used := map[string]bool{}
	for _, o := range j.Orders() {
		used[o.OrderNo] = true
	}
	for _, a := range plan.Actions {
		used[a.OrderNo] = true
	}
	unknown := plan.Unknown[:0:0]
	for _, o := range list.Orders {
		if used[o.OrderNo] {
			continue
		}
		k := journal.Key{ID: o.Key, Format: cfg.Format}
		st, known := j.Lookup(k)
		if known && (st.OrderNo == "" || o.OrderedAt.IsZero() || !o.OrderedAt.After(st.OrderedAt.Add(resolveSlack))) {
			continue // planFromList matched it, or it is no newer order
		}
		used[o.OrderNo] = true
		plan.Actions = append(plan.Actions, ResolveAction{Key: k, SearchKey: o.SearchKey, From: st.Outcome, OrderNo: o.OrderNo,
			Why: msg.Text(cfg.Lang, msg.ResolveDamageAdded, o.Line)})
	}
	for _, o := range plan.Unknown {
		if !used[o.OrderNo] {
			unknown = append(unknown, o)
		}
	}
	plan.Unknown = unknown
	return &d
}

// clearDamage records, within the resolution's run, that the order list
// was reconciled with the damaged state file.
func clearDamage(j *journal.Journal, list *orderList, plan *ResolvePlan) error {
	if plan.Damage == nil || list == nil {
		return nil
	}
	if err := j.ClearDamage(journal.Clearance{By: osUser(), Source: list.Path, SourceSHA256: list.SHA256}); err != nil {
		return err
	}
	plan.DamageCleared = true
	return nil
}
