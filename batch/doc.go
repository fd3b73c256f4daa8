// Package batch is the qccbatch pipeline: it turns a portfolio into orders,
// polls and downloads, and the results, with the state file as its ledger.
//
// A run (Run) reads the portfolio once to classify and de-duplicate its
// identifiers (ScanPortfolio, over the leaf packages input and identifier),
// opens the state file (journal), plans what to do for every company (new
// orders first, then re-orders, then refreshes oldest first; polls of
// orders an earlier run placed; downloads), refuses before any order what
// would spend money the user did not mean to (paths, a --format change, a
// column of people, a declined confirmation), then orders, polls and
// downloads through one rate limiter with orders first, and finally reads
// the portfolio a second time to write the results (results) row by row.
//
// The money rules live here: an order's intent is durable before the
// request goes out; a CreateReport is retried only when it certainly did
// not reach the API (client.OrderDecision); an ambiguous answer makes the
// company uncertain, never ordered again by itself; an outage breaker stops
// orders when the API is failing; every wait is bounded by the run's stop
// and a poll's --timeout. Polls follow a schedule learned from this run's
// orders (internal/pollsched).
//
// batch never prints and never knows an exit code: it reports progress
// through counters (Progress) and a slog.Logger, and ends with a typed stop
// (StopError and its Stop) or a typed error (input.Error, the journal's
// errors, ConfigError) that the command line maps to an exit code in one
// place.
package batch
