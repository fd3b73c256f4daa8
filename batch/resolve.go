package batch

import (
	"context"
	"os"
	"slices"
	"time"

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
	// OrdersTZ is the time zone of the list's times that carry no offset
	// (--orders-tz, see parseOrdersTZ) [China time, UTC+8].
	OrdersTZ string

	// One company by hand (Orders empty): Key is its identifier as in the
	// input (normalised like the input's), with OrderNo or NotOrdered.
	Key        string
	OrderNo    string
	NotOrdered bool
	Format     int // report format of the company [1, pdf]

	// API checks an OrderNo given by hand with one GetReportInfo before it
	// is applied; it is needed for Apply with OrderNo.
	API ReportInfoAPI

	Now func() time.Time
}

// ReportInfoAPI is what a resolution needs of the API: to ask whether it
// knows an order number. *client.Client satisfies it.
type ReportInfoAPI interface {
	GetReportInfo(ctx context.Context, orderNo string) (client.ReportInfo, error)
}

// ResolveAction is one change a resolution makes, or would make.
type ResolveAction struct {
	Key        journal.Key
	SearchKey  string
	From       outcome.Outcome // the company's outcome before
	OrderNo    string          // the order it becomes pending with, or ""
	NotOrdered bool            // it becomes not_ordered
	Why        msg.Message     // for people, rendered where shown
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
//
// The list is not trusted (see checkList): it is refused when one order
// number is given to two companies, or to a company other than the state
// file's, when its times are in the future or before the state file began
// (times without an offset are China time, or OrdersTZ), and, with
// AbsentNotOrdered, when an order of the state file within its span is
// missing from it. By hand, an order number of another company or an
// earlier order of the same company is refused, and the API must know the
// number (one GetReportInfo) before it is applied. Every refusal is a
// *ConfigError and changes nothing.
func Resolve(ctx context.Context, cfg ResolveConfig) (*ResolvePlan, error) {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Format == 0 {
		cfg.Format = 1
	}
	list, err := resolveInput(cfg)
	if err != nil {
		return nil, err
	}
	if _, err := os.Stat(cfg.State); err != nil {
		return nil, &journal.FileError{Path: cfg.State, Err: err}
	}
	j, err := journal.Open(cfg.State, journal.Options{Now: cfg.Now, History: true})
	if err != nil {
		return nil, err
	}
	defer j.Close()
	plan := &ResolvePlan{}
	if list == nil {
		a, err := resolveByHand(j, cfg)
		if err != nil {
			return nil, err
		}
		plan.Actions = append(plan.Actions, a)
	} else {
		if err := checkList(j, list, cfg); err != nil {
			return nil, err
		}
		if uncovered := planFromList(j, list, cfg, plan); uncovered > 0 {
			span := msg.M(msg.CfgSpanNone)
			if !list.From.IsZero() {
				span = msg.M(msg.CfgSpan, list.From.Format(time.RFC3339), list.To.Format(time.RFC3339))
			}
			return nil, configErrorf(msg.CfgResolveUncovered, span, uncovered)
		}
	}
	if list != nil {
		plan.Damage = planDamage(j, list, cfg, plan)
	}
	if !cfg.Apply || (len(plan.Actions) == 0 && plan.Damage == nil) {
		return plan, nil
	}
	if list == nil && cfg.OrderNo != "" {
		if err := checkOrderNo(ctx, cfg); err != nil {
			return nil, err
		}
	}
	if err := applyResolution(j, list, cfg, plan); err != nil {
		return nil, err
	}
	return plan, nil
}

// resolveInput reads the vendor's order list of cfg, or checks that a
// resolution by hand names a company and exactly one of an order number
// and "not ordered". It returns nil for a resolution by hand.
func resolveInput(cfg ResolveConfig) (*orderList, error) {
	if cfg.Orders == "" {
		if cfg.Key == "" || (cfg.OrderNo == "") == !cfg.NotOrdered {
			return nil, configErrorf(msg.CfgResolveNeeds)
		}
		return nil, nil
	}
	loc, err := parseOrdersTZ(cfg.OrdersTZ)
	if err != nil {
		return nil, err
	}
	return readOrderList(cfg.Orders, loc)
}

// applyResolution records plan's actions (and the damage it clears) in
// the state file as one resolve run.
func applyResolution(j *journal.Journal, list *orderList, cfg ResolveConfig, plan *ResolvePlan) error {
	src, sum := cfg.Orders, ""
	if list != nil {
		sum = list.SHA256
	}
	runID, err := j.StartRun(journal.RunInfo{Kind: journal.KindResolve, Version: cfg.Version, User: osUser(), PID: os.Getpid(), Input: src, InputSHA256: sum})
	if err != nil {
		return err
	}
	placed := 0
	for _, a := range plan.Actions {
		res := journal.Resolution{OrderNo: a.OrderNo, NotOrdered: a.NotOrdered, SearchKey: a.SearchKey, By: osUser(), Source: src, SourceSHA256: sum}
		if err := j.Resolve(a.Key, res); err != nil {
			_ = j.EndRun(runID, journal.RunEnd{NewOrders: placed, Exit: -1, Reason: msg.Render(err, "zh"), ReasonEn: msg.Render(err, "en")})
			return refusedResolution(err)
		}
		if a.OrderNo != "" {
			placed++
		}
	}
	if err := clearDamage(j, list, plan); err != nil {
		_ = j.EndRun(runID, journal.RunEnd{NewOrders: placed, Exit: -1, Reason: msg.Render(err, "zh"), ReasonEn: msg.Render(err, "en")})
		return err
	}
	plan.Applied = true
	return j.EndRun(runID, journal.RunEnd{NewOrders: placed})
}

// planFromList matches the vendor's orders to the state file's companies.
// It returns how many uncertain companies absent from the list the list
// cannot speak for (with AbsentNotOrdered): their requests fall outside its
// time span, or it has no times.
func planFromList(j *journal.Journal, list *orderList, cfg ResolveConfig, plan *ResolvePlan) (uncovered int) {
	byKey := map[string][]VendorOrder{} // by every identifier of the line
	for _, o := range list.Orders {
		for _, k := range o.Keys {
			byKey[k] = append(byKey[k], o)
		}
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
					Why: msg.M(msg.ResolveInList, o.Line)})
				return true
			}
			if cfg.AbsentNotOrdered {
				if list.From.IsZero() || st.OrderedAt.IsZero() ||
					st.OrderedAt.Before(list.From.Add(-resolveSlack)) || st.OrderedAt.After(list.To.Add(resolveSlack)) {
					uncovered++ // the list cannot prove this absence
					return true
				}
				plan.Actions = append(plan.Actions, ResolveAction{Key: st.Key, SearchKey: st.SearchKey, From: st.Outcome, NotOrdered: true,
					Why: msg.M(msg.ResolveAbsent)})
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
					Why: msg.M(msg.ResolveNewInList, o.Line)})
				return true
			}
		}
		return true
	})
	for _, o := range list.Orders {
		if !slices.ContainsFunc(o.Keys, func(k string) bool { return known[k] }) {
			plan.Unknown = append(plan.Unknown, o)
		}
	}
	return uncovered
}
