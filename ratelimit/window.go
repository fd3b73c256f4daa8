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
