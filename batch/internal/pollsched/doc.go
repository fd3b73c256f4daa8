// Package pollsched learns, during a run, how long reports take to
// generate, and says when to poll each order next.
//
// The estimate is Kaplan–Meier on one-second bins over this run's orders:
// an order found finished contributes the interval between its last pending
// poll and the poll that saw it finished; an order still pending
// contributes a right-censored observation at its last poll. Counting the
// pending ones is what keeps the estimate honest: slow reports are exactly
// the ones not finished yet.
//
// The next poll of an order comes when its report is at least q likely to
// be finished given it was not at its last poll (q = 0.9 while orders are
// being placed; 0.5 once they all are, so the budget ordering used goes to
// polling). Until 20 orders have been seen finished, polls are a fixed
// interval apart (--poll-interval). Gaps are bounded by a minimum, a
// maximum and the order's deadline (--timeout).
//
// The package is pure: no clock, no goroutines, no I/O. Times come from the
// caller.
package pollsched
