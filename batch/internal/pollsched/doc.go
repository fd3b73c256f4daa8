// Package pollsched learns, during a run, how long reports take to
// generate, and says when to poll each order next.
//
// The estimate is Kaplan–Meier on one-second bins over this run's orders:
// an order found finished contributes the interval between its last pending
// poll and the poll that saw it finished; an order still pending
// contributes a right-censored observation at its last poll. Counting the
// pending ones is what keeps the estimate honest: slow reports are exactly
// the ones not finished yet. Past the oldest ages observed, the hazard is
// extrapolated as constant.
//
// An order's next poll comes when its report is at least q likely to be
// finished given it was not at its last poll: q = 0.9 for the first poll,
// which most orders need alone; for later polls 0.9 while orders are being
// placed and, after SetQuantile, 0.5 once they all are, so the budget
// ordering used goes to the slow reports, one of which ends the run. Until
// 20 orders have been seen finished, polls are a fixed interval apart
// (--poll-interval). Gaps are bounded by a minimum, a maximum and the
// order's deadline (--timeout).
//
// NextPoll depends only on its arguments and on what has been learned, so
// a dispatcher asks it again when a poll comes due and puts the poll back
// if the answer is now later: polls planned before the schedule learned
// (all of them, when orders take every slot) then cost no call.
//
// The package is pure: no clock, no goroutines, no I/O. Times come from the
// caller.
package pollsched
