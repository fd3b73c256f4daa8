package batch

import (
	"context"

	"golang.org/x/sync/errgroup"
)

// pool runs jobs on n long-lived workers of one errgroup, fed through a
// channel by one producer: errgroup's pipeline pattern. errgroup.SetLimit
// would start a goroutine per job instead, and each order's and each poll's
// goroutine then grew its stack again through the same deep call (request,
// journal, ledger): copying stacks took 8 % of the CPU of a million-order
// run. These goroutines live for the whole run, so their stacks grow once.
//
// A job returns an error only for a fatal condition (the account refused,
// the state file unwritable): the group's context is then cancelled, the
// producer stops handing out jobs and Wait returns that error. A row's
// failure is never an error here: it is recorded in the state file and the
// workers go on.
type pool[T any] struct {
	g    *errgroup.Group
	ctx  context.Context
	jobs chan T
}

// startPool starts n workers (at least one) that run work on every job
// sent, under a context derived from ctx.
func startPool[T any](ctx context.Context, n int, work func(T) error) *pool[T] {
	g, gctx := errgroup.WithContext(ctx)
	p := &pool[T]{g: g, ctx: gctx, jobs: make(chan T)}
	for range max(n, 1) {
		g.Go(func() error {
			for job := range p.jobs {
				if err := work(job); err != nil {
					return err
				}
			}
			return nil
		})
	}
	return p
}

// Context is done once a job returned a fatal error or ctx is done: the
// producer stops there.
func (p *pool[T]) Context() context.Context { return p.ctx }

// send hands job to the next free worker; it blocks until one is free and
// reports false, without handing it out, once the pool's context is done.
// Only the producer calls it, never a job (a job could wait for itself).
func (p *pool[T]) send(job T) bool {
	if p.ctx.Err() != nil {
		return false
	}
	select {
	case p.jobs <- job:
		return true
	case <-p.ctx.Done():
		return false
	}
}

// Wait tells the workers no job follows, waits for them to return and
// returns the first fatal error. send must not be called after it.
func (p *pool[T]) Wait() error {
	close(p.jobs)
	return p.g.Wait()
}
