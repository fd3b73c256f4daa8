package batch

import "sync/atomic"

// Progress holds the live counters of a run. The pipeline only updates them;
// a front end reads them (Handle.Counters, the EventProgress events) to draw
// a bar or log a line.
type Progress struct {
	TotalRows  atomic.Int64 // rows in the input
	ToOrder    atomic.Int64 // new orders the plan places this run (lowered when ordering stops early)
	FinalRows  atomic.Int64 // rows whose outcome is final
	Ordered    atomic.Int64 // orders placed this run
	Ready      atomic.Int64 // companies ready
	Pending    atomic.Int64 // companies ordered and not yet finished
	Retries    atomic.Int64 // requests retried
	APICalls   atomic.Int64 // requests sent to the API (create, poll, download)
	Downloaded atomic.Int64 // report files written this run
	SlowDowns  atomic.Int64 // answers asking to slow down (120, HTTP 429/503)
	// PollsPending counts polls that found the report not ready yet: the
	// calls a perfect schedule would not have made.
	PollsPending atomic.Int64
}

// Counters is a plain copy of a run's live counters (Progress), as the
// progress events carry it.
type Counters struct {
	TotalRows, ToOrder, FinalRows, Ordered, Ready, Pending, Retries, APICalls, Downloaded, SlowDowns, PollsPending int64
}

// Counters returns the counters' current values.
func (p *Progress) Counters() Counters {
	return Counters{
		TotalRows:  p.TotalRows.Load(),
		ToOrder:    p.ToOrder.Load(),
		FinalRows:  p.FinalRows.Load(),
		Ordered:    p.Ordered.Load(),
		Ready:      p.Ready.Load(),
		Pending:    p.Pending.Load(),
		Retries:    p.Retries.Load(),
		APICalls:   p.APICalls.Load(),
		Downloaded: p.Downloaded.Load(),
		SlowDowns:  p.SlowDowns.Load(),

		PollsPending: p.PollsPending.Load(),
	}
}
