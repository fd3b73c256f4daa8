// Package ratelimit is the one request-rate limiter a qccbatch process shares
// between all its API calls. It is built on golang.org/x/time/rate and adapts:
// on a slow-down signal it lowers the rate multiplicatively and recovers it
// additively up to the configured ceiling.
package ratelimit
