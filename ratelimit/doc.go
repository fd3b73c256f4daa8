// Package ratelimit is the one request-rate limiter a qccbatch process shares
// between all its API calls. It is built on golang.org/x/time/rate and adapts:
// on a slow-down signal it lowers the rate multiplicatively and recovers it
// additively up to the configured ceiling.
//
// Callers wait in a lane: WaitLane(ctx, Order) for CreateReport, Wait(ctx)
// (the Poll lane) for everything else. While an order waits, the next slot
// is its: polls take only the slots no order is waiting for, so ordering
// runs at the full rate and polling uses what ordering leaves. The lanes
// decide who gets a slot, never how many slots there are: the ceiling holds
// whatever the mix, and polls run at the full rate while no order waits.
//
// RecentRate and Granted measure the rate actually achieved, for progress
// displays.
package ratelimit
