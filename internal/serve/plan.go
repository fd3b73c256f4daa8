package serve

import (
	"sort"
	"time"

	"github.com/qccbatch/qccbatch/batch"
	"github.com/qccbatch/qccbatch/batch/input"
	"github.com/qccbatch/qccbatch/batch/msg"
)

// runConfig is the batch configuration of a run of b.
func (s *Server) runConfig(b *book, lang string) batch.Config {
	b.mu.Lock()
	m := b.meta
	b.mu.Unlock()
	return batch.Config{
		Input: b.input(), Output: b.results(".xlsx"), State: b.state(),
		Read:        input.Options{Sheet: m.Sheet, HeaderRow: m.HeaderRow, Column: m.Column, NameColumn: m.NameColumn},
		ResultsLang: msg.For(lang), Version: s.opt.Version,
		Concurrency: s.opt.Concurrency, PollInterval: s.opt.PollInterval,
		Price: s.opt.Price, DownloadDir: b.reports(),
		Account: s.opt.Account, APIHost: s.opt.APIHost, Limiter: s.limiter,
		QPS: s.opt.QPS, ExitCodes: s.opt.ExitCodes, Logger: s.opt.Logger,
	}
}

// planJSON is the plan of a book as the API answers it.
type planJSON struct {
	ID         string   `json:"id"`
	Name       string   `json:"name"`
	Error      string   `json:"error,omitempty"` // the file cannot be read as asked, or a run would refuse it
	Sheet      string   `json:"sheet"`
	HeaderRow  int      `json:"header_row"`
	Column     string   `json:"column"`      // the code column's letter, "" if none
	NameColumn string   `json:"name_column"` // the name column's letter, "" if none
	Header     []string `json:"header"`
	Format     string   `json:"format"`

	Rows           int            `json:"rows"`
	Companies      int            `json:"companies"`
	InvalidCount   int            `json:"invalid_count"`
	Invalid        []rowNote      `json:"invalid"`
	InvalidReasons map[string]int `json:"invalid_reasons"`
	DuplicateCount int            `json:"duplicate_count"`
	Duplicates     []rowNote      `json:"duplicates"`
	Warnings       []rowNote      `json:"warnings"`
	Done           int            `json:"done"`
	NewOrders      int            `json:"new_orders"`
	Polls          int            `json:"polls"`
	Price          float64        `json:"price"`
	Cost           float64        `json:"cost"`
	// EstimateSeconds is the estimated time at the configured rate; -1:
	// unlimited rate.
	EstimateSeconds int64 `json:"estimate_seconds"`
	// TypeToConfirm: above this many new orders the page asks to type the
	// count.
	TypeToConfirm int `json:"type_to_confirm_above"`
	// Running is the book's run going on, if any.
	Running string `json:"running,omitempty"`
	// Held new orders are held back until a resolution reconciles the
	// state file's lost records (HeldReason says so).
	Held       int    `json:"held,omitempty"`
	HeldReason string `json:"held_reason,omitempty"`
	// Digest identifies the companies the plan orders: a run may send it
	// back with its count ({"orders": N, "digest": D}).
	Digest string `json:"digest"`
}

// rowNote is one row of the plan: its sheet row number, a reason, and for
// a duplicate the row it repeats.
type rowNote struct {
	Row     int    `json:"row"`
	Reason  string `json:"reason,omitempty"`
	Repeats int    `json:"repeats,omitempty"`
}

// maxPlanRows bounds each list of rows in a plan.
const maxPlanRows = 500

// plan computes the plan of b in lang; on an error the plan names it.
func (s *Server) plan(b *book, lang string) (*planJSON, error) {
	b.mu.Lock()
	m := b.meta
	b.mu.Unlock()
	pj := &planJSON{ID: m.ID, Name: m.Name, Sheet: m.Sheet, HeaderRow: m.HeaderRow, Column: m.Column, NameColumn: m.NameColumn,
		Price: s.opt.Price, TypeToConfirm: batch.ConfirmAbove, Invalid: []rowNote{}, Duplicates: []rowNote{}, Warnings: []rowNote{},
		InvalidReasons: map[string]int{}, Header: []string{}}
	if r := s.activeRun(m.ID); r != nil {
		pj.Running = r.ID
	}
	cfg := s.runConfig(b, lang)
	ep, err := s.eng.Plan(cfg)
	if err != nil {
		pj.Error = msg.Render(err, msg.For(lang))
		return pj, err
	}
	fillPlan(pj, ep, lang)
	if ep.Refusal != nil { // a column of people, a --format change...: shown, not asked
		pj.Error = msg.Render(ep.Refusal, msg.For(lang))
	}
	return pj, nil
}

// fillPlan copies an engine plan into pj.
func fillPlan(pj *planJSON, ep *batch.Plan, lang string) {
	p := ep.Portfolio
	pj.Sheet, pj.HeaderRow, pj.Format = p.Sheet, p.HeaderRow, p.Format
	if p.Header != nil {
		pj.Header = p.Header
	}
	if p.CodeColumn >= 0 {
		pj.Column = input.ColumnName(p.CodeColumn)
	} else {
		pj.Column = ""
	}
	if p.NameColumn >= 0 {
		pj.NameColumn = input.ColumnName(p.NameColumn)
	} else {
		pj.NameColumn = ""
	}
	pj.Rows, pj.Companies = p.Rows, len(p.Companies)
	pj.InvalidCount, pj.DuplicateCount = p.Invalid(), p.Duplicates
	for id, n := range p.InvalidByReason {
		pj.InvalidReasons[msg.Text(lang, id)] += n
	}
	line := func(i int) int {
		if i >= 0 && i < len(p.RowLine) {
			return int(p.RowLine[i])
		}
		return i + 1
	}
	for i, c := range p.RowCompany {
		switch {
		case c < 0:
			if len(pj.Invalid) < maxPlanRows {
				pj.Invalid = append(pj.Invalid, rowNote{Row: line(i), Reason: msg.For(lang).Msg(p.RowMessage[i])})
			}
		case int32(i) != p.Companies[c].FirstRow:
			if len(pj.Duplicates) < maxPlanRows {
				pj.Duplicates = append(pj.Duplicates, rowNote{Row: line(i), Repeats: line(int(p.Companies[c].FirstRow))})
			}
		default:
			if _, warn := p.RowReason[i]; warn && len(pj.Warnings) < maxPlanRows {
				pj.Warnings = append(pj.Warnings, rowNote{Row: line(i), Reason: msg.For(lang).Msg(p.RowMessage[i])})
			}
		}
	}
	sort.Slice(pj.Warnings, func(a, b int) bool { return pj.Warnings[a].Row < pj.Warnings[b].Row })
	d := ep
	pj.Done, pj.NewOrders, pj.Polls, pj.Cost = d.Done, d.ToOrder, d.ToPoll, d.Cost
	pj.Held, pj.HeldReason, pj.Digest = d.Held, d.HeldReason.In(msg.For(lang)), d.Digest
	switch {
	case d.Estimate < 0:
		pj.EstimateSeconds = -1
	default:
		pj.EstimateSeconds = int64(d.Estimate.Round(time.Second) / time.Second)
	}
}
