package ratelimit

import "time"

// rateWindow counts the requests sent in the current and the previous whole
// second, to estimate the rate actually achieved when no ceiling is set.
type rateWindow struct {
	sec       int64 // Unix second of cur
	cur, prev float64
	peak      float64
}

func (w *rateWindow) roll(now time.Time) {
	s := now.Unix()
	switch {
	case s == w.sec:
		return
	case s == w.sec+1:
		w.prev = w.cur
	default:
		w.prev = 0
	}
	if w.prev > w.peak {
		w.peak = w.prev
	}
	w.sec, w.cur = s, 0
}

func (w *rateWindow) add(now time.Time) {
	w.roll(now)
	w.cur++
}

// rate returns the requests of the last whole second, or of the current
// partial one when that is larger.
func (w *rateWindow) rate(now time.Time) float64 {
	w.roll(now)
	if w.cur > w.prev {
		return w.cur
	}
	return w.prev
}

// recentSeconds is the window of RecentRate.
const recentSeconds = 10

// recentWindow counts the slots granted in each of the last whole seconds,
// for the request rate actually achieved (the progress display).
type recentWindow struct {
	sec    int64                    // Unix second of the newest bucket
	counts [recentSeconds + 1]int64 // ring of per-second counts, by second
	first  int64                    // Unix second of the first grant
	total  int64
}

func ringIndex(s int64) int {
	const n = recentSeconds + 1
	return int((s%n + n) % n)
}

// advance moves the newest bucket to second s, clearing the seconds skipped.
func (w *recentWindow) advance(s int64) {
	if s <= w.sec {
		return
	}
	if s-w.sec > recentSeconds {
		w.counts = [recentSeconds + 1]int64{}
	} else {
		for x := w.sec + 1; x <= s; x++ {
			w.counts[ringIndex(x)] = 0
		}
	}
	w.sec = s
}

func (w *recentWindow) add(now time.Time) {
	s := now.Unix()
	if w.total == 0 {
		w.first, w.sec = s, s
	}
	w.advance(s)
	w.counts[ringIndex(w.sec)]++
	w.total++
}

// rate returns the grants per second over the last recentSeconds whole
// seconds (fewer when the first grant is more recent), 0 before one whole
// second has passed since the first grant.
func (w *recentWindow) rate(now time.Time) float64 {
	if w.total == 0 {
		return 0
	}
	s := now.Unix()
	w.advance(s)
	n := min(int64(recentSeconds), s-w.first)
	if n <= 0 {
		return 0
	}
	var sum int64
	for x := s - n; x < s; x++ {
		sum += w.counts[ringIndex(x)]
	}
	return float64(sum) / float64(n)
}

// granted records one slot given out. Must be called with mu held.
func (l *Limiter) granted(now time.Time, lane Lane) {
	l.window.add(now)
	l.recent.add(now)
	if l.onGrant != nil {
		l.onGrant(now, lane)
	}
}

// RecentRate returns the requests granted per second over the last ten
// whole seconds (over the whole seconds since the first request when the
// run is younger): the rate actually achieved, for a progress display. It
// lags by up to a second and is 0 until a whole second has passed.
func (l *Limiter) RecentRate() float64 {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.recent.rate(l.now())
}

// Granted returns how many requests the limiter has let through.
func (l *Limiter) Granted() int64 {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.recent.total
}
