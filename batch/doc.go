// Package batch is the qccbatch pipeline: it turns a portfolio into orders,
// polls and downloads, and the results, with the state file as its ledger.
//
// # The engine's API
//
// A front end (the command line, a web server) drives a run in four steps
// and never needs to know the other front ends:
//
//  1. Plan. PlanRun(cfg) reads the portfolio and the state file, calls
//     nothing and changes nothing, and returns the *Plan: rows, companies,
//     invalid rows with their sheet row and reason
//     (Plan.Portfolio.InvalidRows), duplicates with the row they repeat
//     (Plan.Portfolio.DuplicateRows), companies already done, new orders,
//     orders to poll, files to fetch, the cost at Config.Price, the time
//     at Config.QPS, a ledger beside the input that a new one would order
//     again, new orders held back by a damaged state file, and the refusal
//     Start would give (Plan.Refusal). This is `validate` and
//     `run --dry-run`.
//  2. Confirm. A plan of more than ConfirmAbove new orders wants a person's
//     yes: the front end shows it, asks, and passes Plan.Confirmation()
//     (the number of orders and the Digest of what would be ordered) to
//     Start. Start plans again under the state file's lock and refuses with
//     a *PlanChangedError carrying the new plan when it is not the one
//     confirmed (another run ordered in between): the front end asks again.
//     A Confirmation of a smaller plan is held to that plan too: a run
//     never places orders of another plan than the one a person agreed to.
//     Confirmed{All: true} is the answer of a front end with nobody to ask
//     (run --yes, no terminal).
//  3. Run. Start(ctx, api, cfg, confirmed) returns a *Handle once the run
//     holds the state file's lock and recorded its start; the run goes on
//     in the background. Handle.Events delivers, numbered (Event.Seq): one
//     EventPlan, EventProgress with the Counters every ProgressEvery,
//     EventRow as each data row becomes final (row, sheet row, company,
//     outcome, message, order number), at most one EventStop with the stop
//     and its reason, a last EventProgress and EventDone. The run never
//     waits for the reader: progress events are coalesced to the latest,
//     the others are kept until read. Handle.Cancel (or ctx ending) is
//     Ctrl-C: no new order, the requests in flight finish within
//     Config.Grace, the results and the run's record are written, and a
//     rerun resumes.
//  4. Report. Handle.Wait returns the *RunSummary and how the run ended:
//     nil when every row is final, a *StopError whose Stop says why it
//     stopped or left rows to resume. The front end maps that to what it
//     shows (the command line: a process exit code, in one place);
//     Config.ExitCodes, a table, gives the number the run's record in the
//     state file shows (`ledger --runs`).
//
// Run(ctx, api, cfg) is steps 3 and 4 for a caller with no one to ask and
// no events to read: Start with Confirmed{All: true}, then Wait.
//
// # Inside a run
//
// A run reads the portfolio once to classify and de-duplicate its
// identifiers (ScanPortfolio, over the leaf packages input and identifier;
// the Portfolio keeps the read options for the second read), opens the
// state file (journal), plans what to do for every company (new orders
// first, then re-orders, then refreshes oldest first; polls of orders an
// earlier run placed; downloads), refuses before any order what would
// spend money the user did not mean to (paths, a --format change, a column
// of people, a plan not confirmed), then orders, polls and downloads
// through one rate limiter with orders first, and finally reads the
// portfolio a second time to write the results (results) row by row.
//
// The money rules live here: an order's intent is durable before the
// request goes out; a CreateReport is retried only when it certainly did
// not reach the API (client.OrderDecision); an ambiguous answer makes the
// company uncertain, never ordered again by itself; an outage breaker stops
// orders when the API is failing; every wait is bounded by the run's stop
// and a poll's --timeout. Polls follow a schedule learned from this run's
// orders (internal/pollsched).
//
// batch never prints, never reads a terminal and never knows an exit code:
// it reports through events, counters (Progress, Counters) and a
// slog.Logger, and ends with a typed stop (StopError and its Stop) or a
// typed error (input.Error, the journal's errors, ConfigError,
// PlanChangedError) that a front end maps to what it shows.
package batch
