package ratelimit

import (
	"container/list"
	"context"
	"math"
	"time"
)

// Lane is the priority class of a request waiting at the limiter.
//
// While any Order waits, the next free slot goes to the longest-waiting
// Order; a Poll only takes a slot that no Order is waiting for. Within a
// lane, callers are served first come, first served. Lanes only choose who
// gets a slot: they never add slots, so the rate is the same whatever the
// mix, and polls are never held back while no order waits.
type Lane uint8

const (
	// Poll is the default lane: status polls, report downloads and every
	// request that is not an order. Wait uses it.
	Poll Lane = iota
	// Order is the lane of CreateReport requests: ahead of every Poll.
	Order
)

// String returns "poll" or "order".
func (l Lane) String() string {
	if l == Order {
		return "order"
	}
	return "poll"
}

// waiter is one caller queued in a lane.
type waiter struct {
	lane Lane
	elem *list.Element
	// kick wakes the waiter when it may have become the head of the queue.
	kick chan struct{}
	// stop cuts short the head's timed sleep; set and called under mu.
	stop context.CancelFunc
	// due is when the head's slot comes due, as the bucket said before it
	// slept (zero: not known).
	due time.Time
}

// wake tells w to look at the queue again. Must be called with mu held.
func (w *waiter) wake() {
	select {
	case w.kick <- struct{}{}:
	default:
	}
	if w.stop != nil {
		w.stop()
	}
}

// Wait blocks until one request may be sent or ctx is done. It waits in the
// Poll lane: WaitLane(ctx, Poll).
func (l *Limiter) Wait(ctx context.Context) error {
	return l.WaitLane(ctx, Poll)
}

// WaitLane blocks until one request of the given lane may be sent or ctx is
// done, in which case it returns ctx's error and takes no slot. An Order is
// served before every Poll waiting with it (see Lane).
func (l *Limiter) WaitLane(ctx context.Context, lane Lane) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if lane != Order {
		lane = Poll
	}
	l.mu.Lock()
	if l.ahead(lane) == 0 {
		if ok, _ := l.take(lane, time.Time{}); ok {
			l.mu.Unlock()
			return nil
		}
	}
	w := &waiter{lane: lane, kick: make(chan struct{}, 1)}
	w.elem = l.queue[lane].PushBack(w)
	l.mu.Unlock()

	for {
		l.mu.Lock()
		wait := time.Duration(-1) // not the head: wait to be kicked
		if l.head() == w {
			ok, d := l.take(lane, w.due)
			if ok {
				l.leave(w)
				l.mu.Unlock()
				return nil
			}
			wait = d
			w.due = l.now().Add(d)
		}
		var sleepCtx context.Context
		var cancel context.CancelFunc
		if wait >= 0 {
			sleepCtx, cancel = context.WithCancel(ctx)
			w.stop = cancel
		}
		l.mu.Unlock()

		var err error
		if wait >= 0 {
			err = l.sleep(sleepCtx, wait)
			cancel()
			l.mu.Lock()
			w.stop = nil
			l.mu.Unlock()
			if err != nil && ctx.Err() == nil {
				err = nil // kicked: the queue or the rate changed
			}
		} else {
			select {
			case <-w.kick:
			case <-ctx.Done():
				err = ctx.Err()
			}
		}
		if err != nil {
			l.mu.Lock()
			l.leave(w)
			l.mu.Unlock()
			return err
		}
	}
}

// ahead returns how many callers wait in lane or in a lane before it. Must
// be called with mu held.
func (l *Limiter) ahead(lane Lane) int {
	n := l.queue[Order].Len()
	if lane == Poll {
		n += l.queue[Poll].Len()
	}
	return n
}

// head returns the waiter the next slot belongs to, or nil. Must be called
// with mu held.
func (l *Limiter) head() *waiter {
	for _, lane := range []Lane{Order, Poll} {
		if e := l.queue[lane].Front(); e != nil {
			return e.Value.(*waiter)
		}
	}
	return nil
}

// leave removes w from its queue and wakes whoever is now the head. Must be
// called with mu held.
func (l *Limiter) leave(w *waiter) {
	l.queue[w.lane].Remove(w.elem)
	if h := l.head(); h != nil {
		h.wake()
	}
}

// wakeHead makes the head look at the clock again, after the rate or a
// pause changed. Must be called with mu held.
func (l *Limiter) wakeHead() {
	if h := l.head(); h != nil {
		h.wake()
	}
}

// take grants one slot to a caller of lane if the rate allows it now;
// otherwise it returns how long to wait before asking again. due is when
// the caller's slot came due by the bucket's reckoning before it slept
// (zero if it did not sleep): a caller its timer woke late is served as of
// that time (at most maxLateCredit earlier than now), so the lateness is
// not lost from the budget. The bucket holds a single slot, so without this
// every wake-up's lateness (about half a millisecond) was lost, and a run at
// --qps 40 used 97.6 % of it. The bucket's time never goes back (lastTake),
// so no slot is granted twice; two slots may go out up to maxLateCredit
// closer than the rate's spacing. Must be called with mu held.
func (l *Limiter) take(lane Lane, due time.Time) (bool, time.Duration) {
	now := l.now()
	if pause := l.pausedUntil.Sub(now); pause > 0 {
		return false, pause
	}
	if l.lim != nil {
		at := now
		if !due.IsZero() && due.Before(now) {
			at = latest(due, now.Add(-maxLateCredit), l.lastTake)
		}
		tokens := l.lim.TokensAt(at)
		if tokens < 1 || !l.lim.AllowN(at, 1) {
			secs := (1 - tokens) / float64(l.lim.Limit())
			return false, max(time.Duration(math.Ceil(secs*float64(time.Second))), time.Microsecond)
		}
		l.lastTake = at
	}
	l.granted(now, lane)
	return true, 0
}

// maxLateCredit bounds how much of a late wake-up take credits back.
const maxLateCredit = 2 * time.Millisecond

// latest returns the latest of the times.
func latest(ts ...time.Time) time.Time {
	var m time.Time
	for _, t := range ts {
		if t.After(m) {
			m = t
		}
	}
	return m
}

// Waiting returns how many callers wait in lane now.
func (l *Limiter) Waiting(lane Lane) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	if lane != Order {
		lane = Poll
	}
	return l.queue[lane].Len()
}
