package batch

import "sync"

// workers runs functions on a fixed set of goroutines, at most n at once.
// An errgroup with a limit would start a goroutine per function: each
// order's and each poll's goroutine then grew its stack again through the
// same deep call (request, journal, ledger), and copying stacks took 8 % of
// the CPU of a million-order run. These goroutines live for the whole run,
// so their stacks grow once.
type workers struct {
	jobs chan func()
	wg   sync.WaitGroup
}

// startWorkers starts n workers (at least one).
func startWorkers(n int) *workers {
	w := &workers{jobs: make(chan func())}
	for range max(n, 1) {
		w.wg.Go(func() {
			for f := range w.jobs {
				f()
			}
		})
	}
	return w
}

// Go runs f on the next free worker; it blocks until one is free. f must
// not call Go on the same workers (it could wait for itself).
func (w *workers) Go(f func()) { w.jobs <- f }

// Wait waits for every function given to Go to return; Go must not be
// called after it.
func (w *workers) Wait() {
	close(w.jobs)
	w.wg.Wait()
}
