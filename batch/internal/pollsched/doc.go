// Package pollsched learns how long reports take to generate, from the
// polls of this run and of earlier ones, and says when to poll each order
// next.
//
// Each poll brackets a generation time: not ready at one poll, ready at
// the next; an order still pending is right censored at its last poll. The
// estimate is Turnbull's self-consistent estimator for such
// interval-censored data, on one-second bins: the mass of each innermost
// interval, placed where the data allow — as early as possible for the
// interval that starts at 0 (reports found ready at their first poll, with
// nothing observed before it), evenly inside the others. Counting the
// pending orders is what keeps the estimate honest: slow reports are
// exactly the ones not finished yet. Past the oldest ages observed, the
// hazard is extrapolated as constant.
//
// An order's next poll comes when its report is at least q likely to be
// finished given it was not at its last poll: q = 0.99 for the first poll,
// which most orders need alone; for later polls 0.9 while orders are being
// placed and, after SetQuantile, lower (AfterOrdersQuantile, 0.75) once
// they all are, so the budget ordering used goes to the slow reports, one
// of which ends the run. Until
// 20 orders have been seen finished, polls are a fixed interval apart
// (--poll-interval). Gaps are bounded by a minimum, a maximum (120 s) and
// the order's deadline (--timeout); the first poll may come up to
// FirstMaxGap (5 min) after the order where the observations reach that
// far (a first poll at 120 s when most reports take 150 s would cost a
// second call for each of them); a later poll the estimate places past
// the oldest age observed, where it is a constant-hazard guess, comes at
// most half the order's age past it (Config.PastData). Once at most EndgameOrders are
// pending, the caller keeps their polls EndgameGap apart: one of them ends
// the run.
//
// Prior gives a schedule the orders of earlier runs on the same state
// file (order time, the last poll that found it pending, the poll that
// found it finished), weighted toward the newest, worth at most
// PriorWeight orders: the first polls of a run are placed by them, and
// the run's own observations take over as they come.
//
// NextPoll depends only on its arguments and on what has been learned, so
// a dispatcher asks it again when a poll comes due and puts the poll back
// if the answer is now later: polls planned before the schedule learned
// (all of them, when orders take every slot) then cost no call.
//
// The package is pure: no clock, no goroutines, no I/O. Times come from the
// caller.
package pollsched
