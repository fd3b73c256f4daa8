// Package batch is the qccbatch pipeline, one concern per file:
//
//   - input.go, input_csv.go, input_sniff.go, input_xlsx*.go, input_xmlscan.go:
//     reading a portfolio (.csv/.txt with sniffed encoding and delimiter;
//     .xlsx streamed from the zip with cell types kept)
//   - identifier*.go: classifying one identifier (USCC, registration number,
//     name) and normalising it; portfolio*.go: pass 1, de-duplication, the plan
//   - journal*.go, ledger*.go: the crash-safe state file, its replay and the
//     re-order policy
//   - run.go (the pipeline), plan.go (what to do), order.go (CreateReport with
//     retries and stops), schedule.go and poll.go (GetReportInfo), download.go
//   - results*.go, atomic*.go, rowresult.go, export.go: writing the results
//   - dryrun.go: the plan without a request
//
// batch never prints: it reports progress through counters (Progress) and
// a slog.Logger, and returns errors whose types tell the command line the
// exit code (*StopError, *input.Error, *journal.LockedError, *journal.CorruptError).
package batch
