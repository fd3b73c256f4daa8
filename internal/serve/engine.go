package serve

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/qccbatch/qccbatch/batch"
)

// The server talks to the batch engine through this small interface, so
// that only the adapter below changes when the engine grows its own
// plan/confirm/start API.

// enginePlan is what a run of a book would do.
type enginePlan struct {
	Dry *batch.DryRunPlan
}

// planChangedError refuses a start whose confirmed count is not the plan's
// new orders any more (someone ordered in between): it carries the new plan.
type planChangedError struct {
	Confirmed int
	Plan      *enginePlan
}

func (e *planChangedError) Error() string {
	return fmt.Sprintf("the plan changed: %d new orders confirmed, %d now", e.Confirmed, e.Plan.Dry.ToOrder)
}

// engineEvent is one thing a run reports while it goes: a progress snapshot,
// or the end (Done set, with the report and the error).
type engineEvent struct {
	Progress batch.Snapshot
	Done     bool
	Report   *batch.Report
	Err      error
}

// runHandle is a run going on.
type runHandle interface {
	// Events delivers progress snapshots and, last, the end; it is closed
	// after the end.
	Events() <-chan engineEvent
	// Cancel stops the run as Ctrl-C does: no new order, requests in flight
	// finish, the results are written.
	Cancel()
	// Wait blocks until the run ends and returns its report and error.
	Wait() (*batch.Report, error)
}

// engine plans and starts runs.
type engine interface {
	Plan(cfg batch.Config) (*enginePlan, error)
	Start(ctx context.Context, cfg batch.Config, confirmed int) (runHandle, error)
}

// batchEngine adapts today's batch API: batch.DryRun for the plan,
// batch.Run with Config.Progress polled for the events, Config.Confirm and
// MaxOrders to hold the run to the confirmed count, and the context's
// cancellation as Ctrl-C.
type batchEngine struct {
	api   batch.API
	qps   float64
	every time.Duration // progress poll interval [200 ms]
}

func (e *batchEngine) Plan(cfg batch.Config) (*enginePlan, error) {
	d, err := batch.DryRun(cfg, e.qps)
	if err != nil {
		return nil, err
	}
	return &enginePlan{Dry: d}, nil
}

func (e *batchEngine) Start(ctx context.Context, cfg batch.Config, confirmed int) (runHandle, error) {
	p, err := e.Plan(cfg)
	if err != nil {
		return nil, err
	}
	if p.Dry.ToOrder != confirmed {
		return nil, &planChangedError{Confirmed: confirmed, Plan: p}
	}
	// Never more orders than confirmed, even if the book changed between
	// the check above and the run's own plan.
	if confirmed > 0 && (cfg.MaxOrders == 0 || cfg.MaxOrders > confirmed) {
		cfg.MaxOrders = confirmed
	}
	cfg.Confirm = func(orders int, _ float64) bool { return orders <= confirmed }
	if cfg.Progress == nil {
		cfg.Progress = &batch.Progress{}
	}
	ctx, cancel := context.WithCancel(ctx)
	h := &batchHandle{events: make(chan engineEvent, 16), cancel: cancel, done: make(chan struct{})}
	every := e.every
	if every <= 0 {
		every = 200 * time.Millisecond
	}
	go func() {
		defer cancel()
		stopPoll := make(chan struct{})
		var wg sync.WaitGroup
		wg.Add(1)
		go func() {
			defer wg.Done()
			t := time.NewTicker(every)
			defer t.Stop()
			var last batch.Snapshot
			for {
				select {
				case <-stopPoll:
					return
				case <-t.C:
					if s := cfg.Progress.Snapshot(); s != last {
						last = s
						select {
						case h.events <- engineEvent{Progress: s}:
						default: // a slow reader misses a snapshot, never the end
						}
					}
				}
			}
		}()
		rep, err := batch.Run(ctx, e.api, cfg)
		close(stopPoll)
		wg.Wait()
		h.rep, h.err = rep, err
		h.events <- engineEvent{Progress: cfg.Progress.Snapshot(), Done: true, Report: rep, Err: err}
		close(h.events)
		close(h.done)
	}()
	return h, nil
}

type batchHandle struct {
	events chan engineEvent
	cancel context.CancelFunc
	done   chan struct{}
	rep    *batch.Report
	err    error
}

func (h *batchHandle) Events() <-chan engineEvent { return h.events }
func (h *batchHandle) Cancel()                    { h.cancel() }
func (h *batchHandle) Wait() (*batch.Report, error) {
	<-h.done
	return h.rep, h.err
}
