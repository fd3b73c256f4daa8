package cli

import (
	"math"
	"time"

	"github.com/qccbatch/qccbatch/batch"
)

// etaWindow is the time constant of the smoothed rates: a sample loses
// about two thirds of its weight a minute later.
const etaWindow = 60 * time.Second

// etaEstimator measures how fast rows become final and orders are placed,
// smoothed exponentially over etaWindow, and estimates the time left.
//
// Each rate is a weighted count over a weighted time (both decaying at the
// same pace), so it is unbiased from the first sample: no warm-up from zero.
// Rows already final when the run started (done by an earlier run, invalid)
// are the baseline, not progress.
type etaEstimator struct {
	started        bool
	last           time.Time
	final, ordered int64   // counters at the last sample
	finalW, orderW float64 // decayed counts
	timeW          float64 // decayed seconds
	tau            float64 // seconds
}

// observe adds a sample of the counters taken at now.
func (e *etaEstimator) observe(now time.Time, s batch.Counters) {
	if s.TotalRows <= 0 { // the plan is not known yet
		return
	}
	if !e.started {
		e.started, e.last, e.final, e.ordered = true, now, s.FinalRows, s.Ordered
		if e.tau == 0 {
			e.tau = etaWindow.Seconds()
		}
		return
	}
	dt := now.Sub(e.last).Seconds()
	if dt <= 0 {
		return
	}
	decay := math.Exp(-dt / e.tau)
	e.finalW = e.finalW*decay + float64(s.FinalRows-e.final)
	e.orderW = e.orderW*decay + float64(s.Ordered-e.ordered)
	e.timeW = e.timeW*decay + dt
	e.last, e.final, e.ordered = now, s.FinalRows, s.Ordered
}

// rates returns the smoothed rows-final and orders-placed rates per second.
func (e *etaEstimator) rates() (final, orders float64) {
	if e.timeW <= 0 {
		return 0, 0
	}
	return max(e.finalW/e.timeW, 0), max(e.orderW/e.timeW, 0)
}

// eta estimates the time until every row is final: the rows left at the
// measured completion rate, and never less than the orders left
// (ordersLeft; < 0 when unknown) at the measured order rate. ok is false
// until rows have been seen becoming final.
func (e *etaEstimator) eta(s batch.Counters, ordersLeft int64) (d time.Duration, ok bool) {
	left := s.TotalRows - s.FinalRows
	if s.TotalRows > 0 && left <= 0 {
		return 0, true
	}
	finalRate, orderRate := e.rates()
	if finalRate <= 0 {
		return 0, false
	}
	sec := float64(left) / finalRate
	if ordersLeft > 0 && orderRate > 0 {
		sec = max(sec, float64(ordersLeft)/orderRate)
	}
	const maxETA = 100 * 24 * time.Hour // beyond that the number means nothing
	if sec >= maxETA.Seconds() {
		return maxETA, true
	}
	return time.Duration(sec * float64(time.Second)), true
}

// ordersLeft returns the new orders the run has still to place.
func ordersLeft(s batch.Counters) int64 { return max(s.ToOrder-s.Ordered, 0) }
