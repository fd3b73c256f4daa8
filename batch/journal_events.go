package batch

import (
	"context"
	"fmt"
	"time"

	"github.com/qccbatch/qccbatch/batch/outcome"
)

// The events of an order's life. key is the normalised de-duplication key
// and format the report format (1 pdf, 2 word); together they name a
// company in the ledger. Every method writes one record and updates the
// ledger; only Intent waits for an fsync.

// Intent announces that a CreateReport for searchKey is about to be sent.
// It returns once the record is durable on disk; only then may the request
// go out. It refuses to write if ctx is already done. Once written, the
// intent must be answered by Ordered, Refused, Cancelled, Ambiguous or
// Cooldown; an intent never answered replays as uncertain.
func (j *Journal) Intent(ctx context.Context, key string, format int, searchKey string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	return j.append(&record{Op: opIntent, Key: key, Format: format, SearchKey: searchKey}, true)
}

// Ordered records that CreateReport answered with an order number: the
// company is pending until a poll says S or F.
func (j *Journal) Ordered(key string, format int, orderNo string) error {
	return j.append(&record{Op: opOrdered, Key: key, Format: format, OrderNo: orderNo}, false)
}

// Refused records a row-level answer to CreateReport (code 201 and the
// like): outcome must be outcome.NotFound or outcome.Rejected.
func (j *Journal) Refused(key string, format int, code int, msg string, oc outcome.Outcome) error {
	if oc != outcome.NotFound && oc != outcome.Rejected {
		return fmt.Errorf("state file: refusal of %q must be not_found or rejected, not %q", key, oc)
	}
	return j.append(&record{Op: opRefused, Key: key, Format: format, Code: code, Message: msg, Outcome: oc}, false)
}

// Cancelled voids the last intent: the CreateReport certainly never reached
// the server and will not be sent. The company goes back to the state it
// had before the intent.
func (j *Journal) Cancelled(key string, format int, reason string) error {
	return j.append(&record{Op: opCancelled, Key: key, Format: format, Message: reason}, false)
}

// Ambiguous records that the CreateReport may have reached the server but
// no answer came: the company is uncertain and is only ordered again when
// the user asks for it.
func (j *Journal) Ambiguous(key string, format int, msg string) error {
	return j.append(&record{Op: opAmbiguous, Key: key, Format: format, Message: msg}, false)
}

// Polled records a GetReportInfo answer for orderNo: status P or N
// (pending), S (ready, with url) or F (failed). A poll of an order other
// than the company's current one is kept in the file but changes nothing.
func (j *Journal) Polled(key string, format int, orderNo, reportStatus, url string) error {
	return j.append(&record{Op: opPolled, Key: key, Format: format, OrderNo: orderNo, Status: reportStatus, URL: url}, false)
}

// Downloaded records that the ready report was saved at path.
func (j *Journal) Downloaded(key string, format int, path, sha256 string) error {
	return j.append(&record{Op: opDownloaded, Key: key, Format: format, File: path, SHA256: sha256}, false)
}

// Cooldown records that the search key may not be ordered before until
// (API code 110). It answers the last intent: the company keeps the state
// it had before, with the cooldown.
func (j *Journal) Cooldown(key string, format int, until time.Time, code int, msg string) error {
	return j.append(&record{Op: opCooldown, Key: key, Format: format, Until: until, Code: code, Message: msg}, false)
}
