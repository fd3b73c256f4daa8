package serve

import (
	"context"

	"github.com/qccbatch/qccbatch/batch"
)

// The server talks to the batch engine through this small interface: the
// plan of a book (batch.PlanRun) and a run started on a confirmed count
// (batch.Start), whose events it relays to the page.

// engine plans and starts runs.
type engine interface {
	Plan(cfg batch.Config) (*batch.Plan, error)
	// Start starts a run that places the confirmed number of new orders
	// of the plan whose Digest is digest ("": any plan of that count); a
	// plan that changed since is a *batch.PlanChangedError.
	Start(ctx context.Context, cfg batch.Config, confirmed int, digest string) (runHandle, error)
}

// runHandle is a run going on (*batch.Handle).
type runHandle interface {
	Events() <-chan batch.Event
	Cancel()
	Wait() (*batch.RunSummary, error)
}

// batchEngine is the engine over batch's API and the process's one client.
type batchEngine struct {
	api batch.API
}

func (e *batchEngine) Plan(cfg batch.Config) (*batch.Plan, error) { return batch.PlanRun(cfg) }

func (e *batchEngine) Start(ctx context.Context, cfg batch.Config, confirmed int, digest string) (runHandle, error) {
	// Never more orders than confirmed, whatever the plan is by now: the
	// engine checks the confirmation of plans above batch.ConfirmAbove
	// only.
	if confirmed > 0 && (cfg.MaxOrders == 0 || cfg.MaxOrders > confirmed) {
		cfg.MaxOrders = confirmed
	}
	h, err := batch.Start(ctx, e.api, cfg, batch.Confirmed{Orders: confirmed, Digest: digest})
	if err != nil {
		return nil, err
	}
	return h, nil
}
