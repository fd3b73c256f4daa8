// Package journal is qccbatch's state file: the append-only, crash-safe
// ledger of every order a portfolio's runs placed, and the state replayed
// from it.
//
// # What it is
//
// A state file (book.xlsx.qccstate) records, company by company (a Key: the
// normalised identifier and the report format), every step that can cost
// money or lose it: the intent to order, sent before the request; the
// order number, a refusal, a cooldown or an ambiguous answer; the polls
// and the download. Opening it replays those records into a ledger, one
// packed entry per company, whose State says what a run must do next.
// Audit records say which runs, resolutions and repairs touched the file
// (RunRecord), and the history keeps every order request that may have
// been charged (OrderRecord), for the vendor's invoice.
//
// # Guarantees
//
//   - An intent is durable (fsynced) before its method returns, so an order
//     request is never sent without a record of it. Other records reach the
//     operating system before their method returns and are fsynced within
//     Options.BatchDelay (group commit, commit.go).
//   - An intent that has no answer when the file is next opened makes its
//     company uncertain: it may have been ordered, and no run orders it
//     again by itself (a person resolves it, see Resolve).
//   - An order the API accepted is never lost: if its record cannot be
//     written, it goes to the fallback file, else into the error
//     (OrderNotRecordedError, fallback.go).
//   - A torn last record (a crash mid-write) is cut off; damage anywhere
//     else stops the program (*CorruptError) until Repair mends the file,
//     and a repaired file never lets a run re-order what it can no longer
//     see (damage.go).
//   - One writer per file whatever the path (lock.go); readers need no lock.
//   - A state file belongs to one API account (account.go): another key's
//     run, or a sandbox's, does not take its orders for its own.
//
// # Record format
//
// Each line is one JSON object (record.go): "op" first, then "n", the
// line number (the header is 1), the fields of its kind, and last "crc",
// the CRC-32C of the line without that member, in 8 hex digits. Times are
// UTC, in milliseconds. The header names the format version and the
// account. Versions: 1, the first; 2 numbers the lines, records the
// account and adds record kinds; 3 adds the audit records, run ids and the
// order history. Older versions are read, and a write-open rewrites them in
// the current one; a newer version is refused (*VersionError). When the
// records outnumber the companies, a write-open compacts the file: one
// snapshot per company, the audit records and the superseded orders
// (rewrite.go).
//
// # Files beside the state file STATE
//
//   - STATE.lock names the process holding the lock, for the error message
//     only; the lock itself is on STATE (lock.go). Left behind, it is the
//     sign that the last writer crashed (crashEvidence).
//   - STATE.pending-orders, the fallback file, holds accepted orders that
//     STATE could not record; the next open merges it (fallback.go).
//   - STATE.tmp is a rewrite in progress (compaction, upgrade, repair);
//     .STATE.new-XXXX is a state file being created. Both are removed if a
//     crash leaves them.
//   - STATE.damaged-<time> (and STATE.pending-orders.damaged-<time>) are the
//     damaged files Repair kept aside.
//
// # Files of the package
//
// journal.go opens the file (Open, Options, Journal); events.go writes the
// company records (Intent, Ordered, Polled...) and commit.go writes and
// syncs them; record.go, encode.go and decode.go with jscan.go are the
// format; replay.go reads a file back; ledger.go folds records into the
// state, over entry.go (the packed entry) and table.go (the table of
// companies); view.go, history.go, runs.go and ordernos.go answer
// questions; resolve.go, account.go, damage.go, fallback.go, lock*.go,
// rewrite.go, repair.go and scan.go are what their names say; errors.go
// holds the typed errors.
package journal
