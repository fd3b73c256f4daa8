package batch

import (
	"container/heap"
	"context"
	"sync"
	"sync/atomic"
	"time"

	"github.com/qccbatch/qccbatch/batch/internal/pollsched"
)

// pollItem is one order waiting for its next poll.
type pollItem struct {
	due     time.Time
	comp    int
	ordered time.Time // when the order was placed (this run) or resumed
	last    time.Time // the last poll that found it pending, or ordered
	since   time.Time // when this run began polling the order (--timeout counts from here)
	learn   bool      // placed in this run: its polls teach the schedule
}

type pollHeap []pollItem

func (h pollHeap) Len() int           { return len(h) }
func (h pollHeap) Less(i, j int) bool { return h[i].due.Before(h[j].due) }
func (h pollHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *pollHeap) Push(x any)        { *h = append(*h, x.(pollItem)) }
func (h *pollHeap) Pop() any {
	old := *h
	it := old[len(old)-1]
	*h = old[:len(old)-1]
	return it
}

// scheduler hands out polls when they are due, from a heap of next-poll
// times: one goroutine and one heap entry per pending order, whatever the
// number of rows.
type scheduler struct {
	mu     sync.Mutex
	h      pollHeap
	active int  // polls running now; they may add their order back
	closed bool // no more orders will be placed
	wake   chan struct{}
	now    func() time.Time
	start  time.Time // when the run began polling
	// ordered is closed, readable without mu: endgameLimit is asked
	// from run's again, which holds mu.
	ordered atomic.Bool
}

func newScheduler(now func() time.Time) *scheduler {
	return &scheduler{wake: make(chan struct{}, 1), now: now, start: now()}
}

// endgameLimit says, once every order is placed and at most
// pollsched.EndgameOrders orders are pending, the latest the next poll of
// each may come: one of them is the last report, which ends the run, and
// their polls are then at most pollsched.EndgameGap apart. ok is false
// before the endgame. It does not take mu.
func (s *scheduler) endgameLimit(pending int64) (limit time.Time, ok bool) {
	if !s.ordered.Load() || pending > pollsched.EndgameOrders {
		return time.Time{}, false
	}
	now := s.now()
	return now.Add(pollsched.EndgameGap(now.Sub(s.start))), true
}

// dueAgain says when a poll that came due (it.due) is due now, given next,
// when the schedule now says (see run's again): next, except in the
// endgame (see endgameLimit), where the poll was pulled in or capped to
// the endgame's limit and is due now. Asking the schedule again there put
// each such poll back by another endgame gap every time it came due: the
// endgame's polls never came, and the last reports waited for the
// schedule's own gaps (a run ended 1.1× after its last report).
func (s *scheduler) dueAgain(it pollItem, pending int64, next time.Time) time.Time {
	if _, ok := s.endgameLimit(pending); ok {
		return it.due
	}
	return next
}

// pullIn brings every scheduled poll due after limit forward to limit.
func (s *scheduler) pullIn(limit time.Time) {
	s.mu.Lock()
	moved := false
	for i := range s.h {
		if s.h[i].due.After(limit) {
			s.h[i].due, moved = limit, true
		}
	}
	if moved {
		heap.Init(&s.h)
	}
	s.mu.Unlock()
	if moved {
		s.signal()
	}
}

func (s *scheduler) signal() {
	select {
	case s.wake <- struct{}{}:
	default:
	}
}

// add schedules a poll.
func (s *scheduler) add(it pollItem) {
	s.mu.Lock()
	heap.Push(&s.h, it)
	s.mu.Unlock()
	s.signal()
}

// producersDone says no order will be added except by running polls.
func (s *scheduler) producersDone() {
	s.mu.Lock()
	s.closed = true
	s.mu.Unlock()
	s.ordered.Store(true)
	s.signal()
}

// done says a poll handed out by run has returned (after it added its item
// back, if it did).
func (s *scheduler) done() {
	s.mu.Lock()
	s.active--
	s.mu.Unlock()
	s.signal()
}

// run is the producer of the poll workers: it hands due polls to send
// until there is nothing left to poll or ctx is done (send then reports
// false). Each poll handed out must call done when it returns, and may add
// its item back before. When an item comes due, again says when it is due
// now; a later time puts it back (the schedule learned since the poll was
// planned).
func (s *scheduler) run(ctx context.Context, send func(pollItem) bool, again func(pollItem) time.Time) {
	timer := time.NewTimer(time.Hour)
	defer timer.Stop()
	for {
		s.mu.Lock()
		if len(s.h) == 0 {
			done := s.closed && s.active == 0
			s.mu.Unlock()
			if done {
				return
			}
			select {
			case <-s.wake:
			case <-ctx.Done():
				return
			}
			continue
		}
		wait := s.h[0].due.Sub(s.now())
		if wait > 0 {
			s.mu.Unlock()
			timer.Reset(wait)
			select {
			case <-timer.C:
			case <-s.wake:
				timer.Stop() // Go 1.23 timers: no stale tick to drain
			case <-ctx.Done():
				return
			}
			continue
		}
		it := heap.Pop(&s.h).(pollItem)
		if at := again(it); at.After(it.due) && at.After(s.now()) {
			it.due = at
			heap.Push(&s.h, it)
			s.mu.Unlock()
			continue
		}
		s.active++
		s.mu.Unlock()
		if !send(it) { // ctx is done: the item stays scheduled for the state
			s.mu.Lock()
			heap.Push(&s.h, it)
			s.active--
			s.mu.Unlock()
			return
		}
	}
}
