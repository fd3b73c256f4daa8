package batch

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/qccbatch/qccbatch/batch/identifier"
	"github.com/qccbatch/qccbatch/batch/input"
	"github.com/qccbatch/qccbatch/batch/journal"
	"github.com/qccbatch/qccbatch/batch/msg"
	"github.com/qccbatch/qccbatch/batch/outcome"
	"github.com/qccbatch/qccbatch/client"
)

// What a resolution checks before it trusts a person or a list (issue 18):
// an order number belongs to one company, a list's times are real, and a
// list said to be complete has every order the state file knows in its
// span. Every refusal is a *ConfigError (exit 2) and changes nothing.

// maxNamed is how many offending orders or lines a refusal names.
const maxNamed = 20

// resolveByHand plans the resolution of one company given by hand: the
// company must be known, an order number must not be another company's
// nor an earlier order of the same company, and the state file must
// accept the resolution.
func resolveByHand(j *journal.Journal, cfg ResolveConfig) (ResolveAction, error) {
	id := identifier.Classify(input.Cell{Value: cfg.Key, Type: input.CellString}, identifier.Options{AllowBadChecksum: true})
	if id.Invalid {
		return ResolveAction{}, configErrorf(msg.CfgResolveKey, cfg.Key, id.Message)
	}
	k := journal.Key{ID: id.Key, Format: cfg.Format}
	st, known := j.Lookup(k)
	if !known {
		return ResolveAction{}, configErrorf(msg.CfgResolveUnknown, cfg.Key, client.Format(cfg.Format).String())
	}
	no := strings.TrimSpace(cfg.OrderNo)
	if no != "" {
		for _, o := range j.Orders() {
			if o.OrderNo != no {
				continue
			}
			if o.Key != k {
				return ResolveAction{}, configErrorf(msg.CfgResolveOtherCompany, no, companyName(o), cfg.Key)
			}
			if !o.Current {
				return ResolveAction{}, configErrorf(msg.CfgResolveOlderOrder, no, cfg.Key, orderTime(o).Format(time.RFC3339))
			}
		}
	}
	if err := j.CanResolve(k, journal.Resolution{OrderNo: no, NotOrdered: cfg.NotOrdered}); err != nil {
		return ResolveAction{}, refusedResolution(err)
	}
	why := msg.M(msg.ResolveByHand)
	if cfg.NotOrdered && st.Outcome == outcome.Pending {
		why = msg.M(msg.ResolveByHandUndo, st.OrderNo)
	}
	return ResolveAction{Key: k, SearchKey: id.SearchKey, From: st.Outcome, OrderNo: no, NotOrdered: cfg.NotOrdered, Why: why}, nil
}

// checkOrderNo asks the API, once, whether it knows the order number given
// by hand: an unknown number (201, or 202 for one it cannot read) is
// refused, and so is one it could not check.
func checkOrderNo(ctx context.Context, cfg ResolveConfig) error {
	no := strings.TrimSpace(cfg.OrderNo)
	if cfg.API == nil {
		return configErrorf(msg.CfgResolveAPICheck, no, errors.New("no API client"))
	}
	if ctx == nil {
		ctx = context.Background()
	}
	_, err := cfg.API.GetReportInfo(ctx, no)
	var ae *client.APIError
	switch {
	case err == nil:
		return nil
	case errors.As(err, &ae) && (ae.Code == 201 || ae.Code == 202):
		return configErrorf(msg.CfgResolveAPIUnknown, no, fmt.Sprintf("%d %s", ae.Code, ae.Message))
	}
	return configErrorf(msg.CfgResolveAPICheck, no, err)
}

// refusedResolution turns the state file's refusal of a resolution into a
// *ConfigError (exit 2); other errors pass unchanged.
func refusedResolution(err error) error {
	var re *journal.ResolveError
	if errors.As(err, &re) {
		return configErrorf(msg.CfgResolveRefused, err)
	}
	return err
}

// checkList refuses an order list that cannot be trusted (see Resolve).
func checkList(j *journal.Journal, list *orderList, cfg ResolveConfig) error {
	orders := j.Orders()
	if err := checkListTimes(j, orders, list, cfg); err != nil {
		return err
	}
	// One number, two companies.
	byNo := map[string][]VendorOrder{}
	var nos []string
	for _, o := range list.Orders {
		if _, ok := byNo[o.OrderNo]; !ok {
			nos = append(nos, o.OrderNo)
		}
		byNo[o.OrderNo] = append(byNo[o.OrderNo], o)
	}
	var items []msg.Message
	for _, no := range nos {
		lines := byNo[no]
		for _, o := range lines[1:] {
			if !slices.ContainsFunc(o.Keys, lines[0].Of) {
				items = append(items, msg.M(msg.CfgOrdersSameNoItem, no, lineNumbers(lines)))
				break
			}
		}
	}
	if len(items) > 0 {
		return configErrorf(msg.CfgOrdersSameNo, joinNamed(items))
	}
	// A number the state file gives another company.
	ledgerNo := map[string][]journal.OrderRecord{}
	for _, o := range orders {
		if o.OrderNo != "" {
			ledgerNo[o.OrderNo] = append(ledgerNo[o.OrderNo], o)
		}
	}
	for _, o := range list.Orders {
		for _, lo := range ledgerNo[o.OrderNo] {
			if !o.Of(lo.ID) {
				items = append(items, msg.M(msg.CfgOrdersOtherCompanyItem, o.Line, o.OrderNo, o.SearchKey, companyName(lo)))
				break
			}
		}
	}
	if len(items) > 0 {
		return configErrorf(msg.CfgOrdersOtherCompany, joinNamed(items))
	}
	if !cfg.AbsentNotOrdered || list.From.IsZero() {
		return nil
	}
	// A list said to be complete has every order of its span.
	from, to := list.From.Add(-resolveSlack), list.To.Add(resolveSlack)
	for _, lo := range orders {
		t := orderTime(lo)
		if lo.OrderNo == "" || t.IsZero() || t.Before(from) || t.After(to) {
			continue
		}
		if !slices.ContainsFunc(byNo[lo.OrderNo], func(o VendorOrder) bool { return o.Of(lo.ID) }) {
			items = append(items, msg.M(msg.CfgOrdersMissingItem, lo.OrderNo, companyName(lo)))
		}
	}
	if len(items) > 0 {
		return configErrorf(msg.CfgOrdersMissing, len(items), list.From.Format(time.RFC3339), list.To.Format(time.RFC3339), joinNamed(items))
	}
	return nil
}

// checkListTimes refuses a list with times later than now or before the
// state file began: a list read in the wrong time zone, or another
// account's or another period's.
func checkListTimes(j *journal.Journal, orders []journal.OrderRecord, list *orderList, cfg ResolveConfig) error {
	if list.From.IsZero() {
		return nil
	}
	now := cfg.Now()
	var began time.Time
	for _, r := range j.Runs() {
		if began.IsZero() || (!r.Started.IsZero() && r.Started.Before(began)) {
			began = r.Started
		}
	}
	for _, o := range orders {
		if t := orderTime(o); !t.IsZero() && (began.IsZero() || t.Before(began)) {
			began = t
		}
	}
	var future, early []msg.Message
	for _, o := range list.Orders {
		switch {
		case o.OrderedAt.IsZero():
		case o.OrderedAt.After(now.Add(resolveSlack)):
			future = append(future, msg.M(msg.CfgOrdersTimeItem, o.Line, o.OrderedAt.Format(time.RFC3339)))
		case !began.IsZero() && o.OrderedAt.Before(began.Add(-resolveSlack)):
			early = append(early, msg.M(msg.CfgOrdersTimeItem, o.Line, o.OrderedAt.Format(time.RFC3339)))
		}
	}
	if len(future) > 0 {
		return configErrorf(msg.CfgOrdersFuture, now.Format(time.RFC3339), joinNamed(future))
	}
	if len(early) > 0 {
		return configErrorf(msg.CfgOrdersBeforeLedger, began.Format(time.RFC3339), joinNamed(early))
	}
	return nil
}

// orderTime is when an order of the state file was placed: its order time,
// else its request time.
func orderTime(o journal.OrderRecord) time.Time {
	if !o.OrderedAt.IsZero() {
		return o.OrderedAt
	}
	return o.RequestedAt
}

// companyName names the company of an order of the state file.
func companyName(o journal.OrderRecord) string {
	if o.SearchKey != "" {
		return o.SearchKey
	}
	return o.ID
}

// lineNumbers lists the lines of orders: "3, 7".
func lineNumbers(os []VendorOrder) string {
	s := make([]string, len(os))
	for i, o := range os {
		s[i] = fmt.Sprint(o.Line)
	}
	return strings.Join(s, ", ")
}

// joinNamed joins at most maxNamed items, saying how many more there are.
func joinNamed(items []msg.Message) msg.Message {
	if len(items) <= maxNamed {
		return msg.Join(msg.LogListSep, items...)
	}
	return msg.Join(msg.LogListSep, append(items[:maxNamed:maxNamed], msg.M(msg.CfgOrdersMore, len(items)-maxNamed))...)
}
