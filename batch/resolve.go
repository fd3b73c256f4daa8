package batch

import (
	"fmt"
	"os"
	"time"

	"github.com/qccbatch/qccbatch/batch/identifier"
	"github.com/qccbatch/qccbatch/batch/input"
	"github.com/qccbatch/qccbatch/batch/journal"
	"github.com/qccbatch/qccbatch/batch/msg"
	"github.com/qccbatch/qccbatch/batch/outcome"
	"github.com/qccbatch/qccbatch/client"
)

// resolveSlack is how much earlier than its request an order in the
// vendor's list may be and still be that request's order (clocks differ).
const resolveSlack = 5 * time.Minute

// ResolveConfig is what `qccbatch resolve` was asked to do: settle uncertain
// companies from the vendor's order list, or one company by hand.
type ResolveConfig struct {
	State   string
	Version string
	Apply   bool // without it, only plan

	// From the vendor's order list:
	Orders           string // the list (xlsx or csv)
	AbsentNotOrdered bool   // uncertain companies absent from the list become not_ordered

	// One company by hand (Orders empty): Key is its identifier as in the
	// input (normalised like the input's), with OrderNo or NotOrdered.
	Key        string
	OrderNo    string
	NotOrdered bool
	Format     int // report format of the company [1, pdf]

	Now func() time.Time
	// Lang is the language of the errors [zh].
	Lang string
}

// ResolveAction is one change a resolution makes, or would make.
type ResolveAction struct {
	Key        journal.Key
	SearchKey  string
	From       outcome.Outcome // the company's outcome before
	OrderNo    string          // the order it becomes pending with, or ""
	NotOrdered bool            // it becomes not_ordered
	Why        string          // for people
}

// ResolvePlan is what a resolution does (Applied) or would do.
type ResolvePlan struct {
	Actions   []ResolveAction
	Unknown   []VendorOrder // list orders for companies the state file does not know: reported, not added
	Remaining int           // uncertain companies left uncertain
	Applied   bool
	// Damage is the state file's loss of records that holds back new
	// orders (see journal.Damage), nil if none; DamageCleared is set when
	// this resolution reconciled it (resolve_damage.go).
	Damage        *journal.Damage
	DamageCleared bool
}

// Resolve settles uncertain companies of a state file from the vendor's
// order list (or one company by hand): an uncertain company found in the
// list (ordered no earlier than 5 minutes before its request, when the list
// has times) becomes pending with that order number, so the next run polls
// it and orders nothing; with AbsentNotOrdered, one absent from a list
// whose time span covers its request becomes not_ordered. An order in the
// list for a known company with no order is added the same way. Without
// Apply nothing changes; with it, every resolution is journaled with who,
// when and the list's SHA-256. The state file's lock is taken either way, so
// a resolve during a run is refused.
func Resolve(cfg ResolveConfig) (*ResolvePlan, error) {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Format == 0 {
		cfg.Format = 1
	}
	var list *OrderList
	if cfg.Orders != "" {
		var err error
		if list, err = ReadOrderList(cfg.Orders, cfg.Lang); err != nil {
			return nil, err
		}
	} else if cfg.Key == "" || (cfg.OrderNo == "") == !cfg.NotOrdered {
		return nil, configErrorf(cfg.Lang, msg.CfgResolveNeeds)
	}
	if _, err := os.Stat(cfg.State); err != nil {
		return nil, journal.InLang(&journal.FileError{Path: cfg.State, Err: err}, cfg.Lang)
	}
	j, err := journal.Open(cfg.State, journal.Options{Now: cfg.Now, History: true, Lang: cfg.Lang})
	if err != nil {
		return nil, err
	}
	defer j.Close()
	plan := &ResolvePlan{}
	if list == nil {
		id := identifier.Classify(input.Cell{Value: cfg.Key, Type: input.CellString}, identifier.Options{AllowBadChecksum: true})
		if id.Invalid {
			why := id.Message
			if outcome.Lang(cfg.Lang) == "en" {
				why = id.MessageEN
			}
			return nil, configErrorf(cfg.Lang, msg.CfgResolveKey, cfg.Key, why)
		}
		k := journal.Key{ID: id.Key, Format: cfg.Format}
		st, known := j.Lookup(k)
		a := ResolveAction{Key: k, SearchKey: id.SearchKey, From: st.Outcome, OrderNo: cfg.OrderNo, NotOrdered: cfg.NotOrdered, Why: "by hand"}
		if !known {
			return nil, configErrorf(cfg.Lang, msg.CfgResolveUnknown, cfg.Key, client.Format(cfg.Format).String())
		}
		plan.Actions = append(plan.Actions, a)
	} else if uncovered := planFromList(j, list, cfg, plan); uncovered > 0 {
		span := msg.Text(cfg.Lang, msg.CfgSpanNone)
		if !list.From.IsZero() {
			span = msg.Text(cfg.Lang, msg.CfgSpan, list.From.Format(time.RFC3339), list.To.Format(time.RFC3339))
		}
		return nil, configErrorf(cfg.Lang, msg.CfgResolveUncovered, span, uncovered)
	}
	if list != nil {
		plan.Damage = planDamage(j, list, cfg, plan)
	}
	if !cfg.Apply || (len(plan.Actions) == 0 && plan.Damage == nil) {
		return plan, nil
	}
	src, sum := cfg.Orders, ""
	if list != nil {
		sum = list.SHA256
	}
	runID, err := j.StartRun(journal.RunInfo{Kind: journal.KindResolve, Version: cfg.Version, User: osUser(), PID: os.Getpid(), Input: src, InputSHA256: sum})
	if err != nil {
		return nil, err
	}
	placed := 0
	for _, a := range plan.Actions {
		res := journal.Resolution{OrderNo: a.OrderNo, NotOrdered: a.NotOrdered, SearchKey: a.SearchKey, By: osUser(), Source: src, SourceSHA256: sum}
		if err := j.Resolve(a.Key, res); err != nil {
			_ = j.EndRun(runID, journal.RunEnd{NewOrders: placed, Exit: -1, Reason: err.Error()})
			return nil, err
		}
		if a.OrderNo != "" {
			placed++
		}
	}
	if err := clearDamage(j, list, plan); err != nil {
		_ = j.EndRun(runID, journal.RunEnd{NewOrders: placed, Exit: -1, Reason: err.Error()})
		return nil, err
	}
	plan.Applied = true
	return plan, j.EndRun(runID, journal.RunEnd{NewOrders: placed})
}

// planFromList matches the vendor's orders to the state file's companies.
// It returns how many uncertain companies absent from the list the list
// cannot speak for (with AbsentNotOrdered): their requests fall outside its
// time span, or it has no times.
func planFromList(j *journal.Journal, list *OrderList, cfg ResolveConfig, plan *ResolvePlan) (uncovered int) {
	byKey := map[string][]VendorOrder{}
	for _, o := range list.Orders {
		byKey[o.Key] = append(byKey[o.Key], o)
	}
	known := map[string]bool{}
	j.Each(func(st journal.State) bool {
		known[st.ID] = true
		return true
	})
	used := map[string]bool{} // order numbers the state file has (current ones included), or this plan gives
	for _, o := range j.Orders() {
		if o.OrderNo != "" {
			used[o.OrderNo] = true
		}
	}
	j.Each(func(st journal.State) bool {
		if st.Format != cfg.Format {
			return true
		}
		switch {
		case st.Outcome == outcome.Uncertain:
			for _, o := range byKey[st.ID] {
				if used[o.OrderNo] {
					continue
				}
				if !o.OrderedAt.IsZero() && !st.OrderedAt.IsZero() && o.OrderedAt.Before(st.OrderedAt.Add(-resolveSlack)) {
					continue // ordered before this request: an earlier order of the company
				}
				used[o.OrderNo] = true
				plan.Actions = append(plan.Actions, ResolveAction{Key: st.Key, SearchKey: st.SearchKey, From: st.Outcome, OrderNo: o.OrderNo,
					Why: fmt.Sprintf("in the order list (row %d)", o.Line)})
				return true
			}
			if cfg.AbsentNotOrdered {
				if list.From.IsZero() || st.OrderedAt.IsZero() ||
					st.OrderedAt.Before(list.From.Add(-resolveSlack)) || st.OrderedAt.After(list.To.Add(resolveSlack)) {
					uncovered++ // the list cannot prove this absence
					return true
				}
				plan.Actions = append(plan.Actions, ResolveAction{Key: st.Key, SearchKey: st.SearchKey, From: st.Outcome, NotOrdered: true,
					Why: "absent from the order list, which covers its request"})
				return true
			}
			plan.Remaining++
		case st.OrderNo == "" && st.Outcome != outcome.Ready:
			for _, o := range byKey[st.ID] {
				if used[o.OrderNo] {
					continue
				}
				used[o.OrderNo] = true
				plan.Actions = append(plan.Actions, ResolveAction{Key: st.Key, SearchKey: st.SearchKey, From: st.Outcome, OrderNo: o.OrderNo,
					Why: fmt.Sprintf("an order in the list the state file did not know (row %d)", o.Line)})
				return true
			}
		}
		return true
	})
	for _, o := range list.Orders {
		if !known[o.Key] {
			plan.Unknown = append(plan.Unknown, o)
		}
	}
	return uncovered
}
