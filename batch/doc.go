// Package batch is the qccbatch pipeline: reading a portfolio (input_*.go),
// classifying and de-duplicating identifiers (identifier.go), the crash-safe
// state journal (journal*.go), ordering and polling (order.go, poll.go) and
// writing the results (results*.go).
//
// batch never prints: it reports progress through counters and returns errors;
// the command line decides how to show them.
package batch
