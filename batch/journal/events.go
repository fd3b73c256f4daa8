package journal

import (
	"context"
	"fmt"
	"time"

	"github.com/qccbatch/qccbatch/batch/msg"
	"github.com/qccbatch/qccbatch/batch/outcome"
)

// The events of an order's life, each about one company (a Key). Every
// method writes one record and updates the ledger; only Intent waits for an
// fsync.

// Intent announces that a CreateReport for searchKey is about to be sent.
// It returns once the record is durable on disk; only then may the request
// go out. It refuses to write if ctx is already done. Once written, the
// intent must be answered by Ordered, Refused, Cancelled, Ambiguous or
// Cooldown; an intent never answered replays as uncertain.
func (j *Journal) Intent(ctx context.Context, k Key, searchKey string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	return j.append(&record{Op: opIntent, Key: k.ID, Format: k.Format, SearchKey: searchKey}, true)
}

// Ordered records that CreateReport answered with an order number: the
// company is pending until a poll says S or F.
func (j *Journal) Ordered(k Key, orderNo string) error {
	return j.append(&record{Op: opOrdered, Key: k.ID, Format: k.Format, OrderNo: orderNo}, false)
}

// Refusal is a row-level answer to CreateReport (API code 201 and the like).
type Refusal struct {
	Code    int             // the API status code
	Message string          // the API's message
	Outcome outcome.Outcome // outcome.NotFound or outcome.Rejected
}

// Refused records a row-level answer to CreateReport.
func (j *Journal) Refused(k Key, r Refusal) error {
	if r.Outcome != outcome.NotFound && r.Outcome != outcome.Rejected {
		return fmt.Errorf("state file: refusal of %q must be not_found or rejected, not %q", k.ID, r.Outcome)
	}
	return j.append(&record{Op: opRefused, Key: k.ID, Format: k.Format, Code: r.Code, Message: r.Message, Outcome: r.Outcome}, false)
}

// Cancelled voids the last intent: the CreateReport certainly never reached
// the server and will not be sent. The company goes back to the state it
// had before the intent.
func (j *Journal) Cancelled(k Key, reason string) error {
	return j.append(&record{Op: opCancelled, Key: k.ID, Format: k.Format, Message: reason}, false)
}

// Ambiguous records that the CreateReport may have reached the server but
// no answer came: the company is uncertain and is only ordered again when
// the user asks for it. cause is why, as it came (a network error, say);
// the state shows it with what to do about it (State.Note).
func (j *Journal) Ambiguous(k Key, cause string) error {
	return j.append(&record{Op: opAmbiguous, Key: k.ID, Format: k.Format, Message: cause}, false)
}

// AmbiguousBecause is Ambiguous with a cause of the catalogue, which the
// state file keeps as its stable name and arguments (see NoteName), never
// as a sentence: it is rendered in a language where it is shown. A
// message without such a name is an error.
func (j *Journal) AmbiguousBecause(k Key, why msg.Message) error {
	mid, margs, err := noteRecord(why)
	if err != nil {
		return err
	}
	return j.append(&record{Op: opAmbiguous, Key: k.ID, Format: k.Format, MID: mid, MArgs: margs}, false)
}

// Poll is a GetReportInfo answer.
type Poll struct {
	OrderNo string // the order polled
	Status  string // report status: N or P (pending), S (ready) or F (failed)
	URL     string // the report's address, with S
	// Pending is, with S or F, the last poll that found the report
	// pending, or the order time when the first poll found it finished;
	// zero when unknown (an order placed by an earlier run). It is the
	// state file's record of how long reports take (PollHistory).
	Pending time.Time
}

// Polled records a GetReportInfo answer. A poll of an order other than the
// company's current one is kept in the file but changes nothing.
func (j *Journal) Polled(k Key, p Poll) error {
	return j.append(&record{Op: opPolled, Key: k.ID, Format: k.Format, OrderNo: p.OrderNo, Status: p.Status, URL: p.URL, Pend: journalTime(p.Pending)}, false)
}

// File is a downloaded report on disk.
type File struct {
	Path   string // where it was saved
	SHA256 string // hex SHA-256 of its content
}

// Downloaded records that the ready report was saved.
func (j *Journal) Downloaded(k Key, f File) error {
	return j.append(&record{Op: opDownloaded, Key: k.ID, Format: k.Format, File: f.Path, SHA256: f.SHA256}, false)
}

// Cooldown records that the search key may not be ordered before until
// (API code 110, with its message). It answers the last intent: the company
// keeps the state it had before, with the cooldown.
func (j *Journal) Cooldown(k Key, until time.Time, code int, msg string) error {
	return j.append(&record{Op: opCooldown, Key: k.ID, Format: k.Format, Until: until, Code: code, Message: msg}, false)
}
