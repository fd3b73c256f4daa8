// Package cli is the qccbatch command line: the root command and one file
// per subcommand (run.go, status.go, export.go, validate.go, sandbox.go,
// repair.go, resolve.go, ledger.go, version.go), the flag groups they share
// (flags.go, flagvalues.go, args.go), credentials (credentials*.go), the one
// place that maps errors to exit codes (exit.go), and what a run shows while
// it works: the progress display (progress*.go: the loop, the line drawn on a
// terminal, the ETA, the final summary) and the logger (logger.go: human
// lines, logfmt or JSON).
//
// The root package main calls Main; the pipeline itself is package batch,
// which never prints: this package chooses how to show its counters.
package cli
