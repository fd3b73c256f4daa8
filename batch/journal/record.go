package journal

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"errors"
	"hash/crc32"
	"maps"
	"strings"
	"time"

	"github.com/qccbatch/qccbatch/batch/outcome"
)

// journalVersion is the format version written in the header record. A
// state file with a version this program does not read is refused rather
// than misread.
//
// Version 2 numbers every record ("n", the line number, header 1), records
// the account in the header, and adds record kinds an older qccbatch does
// not know, so it must refuse such a file: a write-open upgrades a version 1
// file by rewriting it whole (every record kept, numbered).
//
// Version 3 adds the audit records (runs, resolutions, repairs with their
// ids), the run id of each intent, resolutions, and the history of
// superseded orders that compaction keeps. A write-open upgrades a version 1
// or 2 file the same way.
const journalVersion = 3

// oldestVersion is the oldest format version still read.
const oldestVersion = 1

// Record kinds ("op" field of a journal line).
const (
	opHeader     = "header"
	opIntent     = "intent"
	opOrdered    = "ordered"
	opRefused    = "refused"
	opCancelled  = "cancelled"
	opAmbiguous  = "ambiguous"
	opPolled     = "polled"
	opDownloaded = "downloaded"
	opCooldown   = "cooldown"
	opSnapshot   = "state"    // one company's whole state, written by compaction
	opAccount    = "account"  // the API endpoint and key a state file was adopted by
	opRepair     = "repair"   // Repair rebuilt the file; Message says what it did
	opRun        = "run"      // a run, resolution or repair started (audit)
	opEnd        = "end"      // it ended (audit)
	opOrder      = "order"    // a superseded order, written by compaction (history)
	opResolved   = "resolved" // a person settled an uncertain company (see Resolve)
	opDamage     = "damage"   // Repair found records lost: new orders wait (see damage.go)
	opCleared    = "cleared"  // a resolution from the vendor's order list settled the damage
)

// isAudit reports whether op is an audit record: about runs, not companies.
// Compaction copies audit records as they are.
func isAudit(op string) bool {
	return op == opRun || op == opEnd || op == opRepair || op == opDamage || op == opCleared
}

// record is one line of the journal. Every line is a JSON object whose last
// member is "crc": the CRC-32C (Castagnoli) of the line with that member
// removed, as 8 lower-case hex digits. Times are UTC with millisecond
// precision.
type record struct {
	Op        string          `json:"op"`
	Seq       int             `json:"n,omitempty"` // line number, from version 2
	At        time.Time       `json:"at,omitzero"`
	Version   int             `json:"version,omitempty"`       // header only
	Endpoint  string          `json:"endpoint,omitempty"`      // header, account
	KeyFP     string          `json:"key_fp,omitempty"`        // header, account
	FromEP    string          `json:"prev_endpoint,omitempty"` // run: the endpoint it re-bound the file from
	Key       string          `json:"k,omitempty"`
	Format    int             `json:"f,omitempty"`
	SearchKey string          `json:"sk,omitempty"`
	OrderNo   string          `json:"order_no,omitempty"`
	Code      int             `json:"code,omitempty"`
	Message   string          `json:"msg,omitempty"`
	MID       string          `json:"mid,omitempty"`   // ambiguous: the stable name of its message (see noteIDs)
	MArgs     []string        `json:"margs,omitempty"` // ambiguous: the message's arguments
	Outcome   outcome.Outcome `json:"outcome,omitempty"`
	Status    string          `json:"status,omitempty"`
	URL       string          `json:"url,omitempty"`
	File      string          `json:"file,omitempty"`
	SHA256    string          `json:"sha256,omitempty"`
	Until     time.Time       `json:"until,omitzero"`
	// Pend is, in a poll that found the report finished (S or F), the
	// last poll of this run that found it pending: the order time when
	// none did (see PollHistory).
	Pend time.Time `json:"pend,omitzero"`

	// Run is the id of the run (or resolution, or repair) a record belongs
	// to: of an audit record, of an intent (the run that sent it), of a
	// resolution.
	Run       string                  `json:"run,omitempty"`
	Kind      string                  `json:"kind,omitempty"`         // run: run, resolve or repair
	Prog      string                  `json:"prog,omitempty"`         // run: qccbatch version
	Host      string                  `json:"host,omitempty"`         // run
	User      string                  `json:"user,omitempty"`         // run, resolved: OS user
	PID       int                     `json:"pid,omitempty"`          // run
	Input     string                  `json:"input,omitempty"`        // run: input (or order list) path
	InputSHA  string                  `json:"input_sha256,omitempty"` // run: its SHA-256
	Flags     []string                `json:"flags,omitempty"`        // run: command-line flags, no secret
	NewOrders int                     `json:"new_orders,omitempty"`   // end
	Counts    map[outcome.Outcome]int `json:"counts,omitempty"`       // end: companies per outcome
	Exit      int                     `json:"exit,omitempty"`         // end: exit code
	Reason    string                  `json:"reason,omitempty"`       // end: why it stopped (zh)
	ReasonEn  string                  `json:"reason_en,omitempty"`    // end: the same in English

	// The fields of an order's row (see OrderRecord) that its company's
	// state does not hold: in a superseded order's record, and for the
	// current one in a snapshot (Run, Req, Res).
	Req     time.Time `json:"req,omitzero"`        // order: when it was requested
	Ordered time.Time `json:"ordered_at,omitzero"` // order: when it was ordered
	Done    time.Time `json:"done,omitzero"`       // order: when it became ready or failed
	Res     string    `json:"res,omitempty"`       // order, snapshot: the resolution's run id

	State *snapshot `json:"s,omitempty"` // opSnapshot only
	CRC   string    `json:"crc,omitempty"`
}

// snapshot is the part of a company's state that the events leave behind;
// compaction writes one per company.
type snapshot struct {
	Outcome     outcome.Outcome `json:"outcome"`
	OrderNo     string          `json:"order_no,omitempty"`
	Code        int             `json:"code,omitempty"`
	Message     string          `json:"msg,omitempty"`
	MID         string          `json:"mid,omitempty"`   // uncertain: see record.MID
	MArgs       []string        `json:"margs,omitempty"` // uncertain: see record.MArgs
	Status      string          `json:"status,omitempty"`
	URL         string          `json:"url,omitempty"`
	File        string          `json:"file,omitempty"`
	SHA256      string          `json:"sha256,omitempty"`
	OrderedAt   time.Time       `json:"ordered_at,omitzero"`
	CompletedAt time.Time       `json:"completed_at,omitzero"`
	// Pend is the order's last poll that found it pending (OrderedAt when
	// its first poll found it finished), kept for the latest finished
	// orders only, so the poll history (PollHistory) outlives compaction.
	Pend          time.Time `json:"pend,omitzero"`
	CooldownUntil time.Time `json:"cooldown_until,omitzero"`
	Orders        int       `json:"orders,omitempty"`
	Intents       int       `json:"intents,omitempty"`
}

// withSeq sets the record's number and returns it.
func (r *record) withSeq(n int) *record {
	r.Seq = n
	return r
}

// cloneRecord copies a decoded record out of the read buffer.
func cloneRecord(r *record) record {
	c := *r
	c.Op, c.Key, c.SearchKey, c.OrderNo = strings.Clone(r.Op), strings.Clone(r.Key), strings.Clone(r.SearchKey), strings.Clone(r.OrderNo)
	c.Message, c.Status, c.URL = strings.Clone(r.Message), strings.Clone(r.Status), strings.Clone(r.URL)
	c.File, c.SHA256, c.Outcome = strings.Clone(r.File), strings.Clone(r.SHA256), outcome.Outcome(strings.Clone(string(r.Outcome)))
	c.Endpoint, c.KeyFP, c.CRC = strings.Clone(r.Endpoint), strings.Clone(r.KeyFP), ""
	c.Run, c.Kind, c.Prog, c.Host, c.User = strings.Clone(r.Run), strings.Clone(r.Kind), strings.Clone(r.Prog), strings.Clone(r.Host), strings.Clone(r.User)
	c.Input, c.InputSHA, c.Reason, c.Flags = strings.Clone(r.Input), strings.Clone(r.InputSHA), strings.Clone(r.Reason), cloneStrings(r.Flags)
	c.ReasonEn = strings.Clone(r.ReasonEn)
	c.Counts = maps.Clone(r.Counts)
	c.MID, c.MArgs = strings.Clone(r.MID), cloneStrings(r.MArgs)
	if r.State != nil {
		s := *r.State
		s.MID, s.MArgs = strings.Clone(s.MID), cloneStrings(s.MArgs)
		s.OrderNo, s.Message, s.Status, s.URL = strings.Clone(s.OrderNo), strings.Clone(s.Message), strings.Clone(s.Status), strings.Clone(s.URL)
		s.File, s.SHA256, s.Outcome = strings.Clone(s.File), strings.Clone(s.SHA256), outcome.Outcome(strings.Clone(string(s.Outcome)))
		c.State = &s
	}
	return c
}

var crcTable = crc32.MakeTable(crc32.Castagnoli)

var closeBrace = []byte{'}'}

// crcSuffixLen is the length of `,"crc":"xxxxxxxx"}`.
const crcSuffixLen = len(`,"crc":"`) + 8 + len(`"}`)

// journalTime normalises a time for the journal: UTC, millisecond precision,
// no monotonic reading.
func journalTime(t time.Time) time.Time {
	if t.IsZero() {
		return time.Time{}
	}
	return t.UTC().Truncate(time.Millisecond)
}

var (
	errBadChecksum = errors.New("checksum mismatch")
	errNoChecksum  = errors.New("no checksum")
	errBadJSON     = errors.New("not a valid record")
)

// decodeRecord checks the checksum of one line (without its newline) and
// decodes it into r.
func decodeRecord(line []byte, r *record) error {
	n := len(line)
	if n < crcSuffixLen+2 || line[0] != '{' {
		return errNoChecksum
	}
	suffix := line[n-crcSuffixLen:]
	if !bytes.HasPrefix(suffix, []byte(`,"crc":"`)) || !bytes.HasSuffix(suffix, []byte(`"}`)) {
		return errNoChecksum
	}
	var want [4]byte
	if _, err := hex.Decode(want[:], suffix[len(`,"crc":"`):len(`,"crc":"`)+8]); err != nil {
		return errNoChecksum
	}
	sum := crc32.Update(0, crcTable, line[:n-crcSuffixLen])
	sum = crc32.Update(sum, crcTable, closeBrace)
	if sum != uint32(want[0])<<24|uint32(want[1])<<16|uint32(want[2])<<8|uint32(want[3]) {
		return errBadChecksum
	}
	*r = record{}
	if !decodeFast(line, r) {
		*r = record{}
		if err := json.Unmarshal(line, r); err != nil {
			return errBadJSON
		}
	}
	r.At, r.Until = journalTime(r.At), journalTime(r.Until)
	r.Req, r.Ordered, r.Done = journalTime(r.Req), journalTime(r.Ordered), journalTime(r.Done)
	if s := r.State; s != nil {
		s.OrderedAt, s.CompletedAt, s.CooldownUntil = journalTime(s.OrderedAt), journalTime(s.CompletedAt), journalTime(s.CooldownUntil)
	}
	return r.validate()
}

// validate checks the fields a record of its kind must have, so that a
// record with a good checksum but impossible content is not applied.
func (r *record) validate() error {
	switch r.Op {
	case opHeader, opAccount, opRepair, opDamage, opCleared:
		return nil
	case opRun:
		if r.Run != "" && validKind(RunKind(r.Kind)) {
			return nil
		}
		return errBadJSON
	case opEnd:
		if r.Run != "" {
			return nil
		}
		return errBadJSON
	}
	if r.Key == "" || r.Format < 1 || r.Format > 2 {
		return errBadJSON
	}
	switch r.Op {
	case opIntent, opOrdered, opCancelled, opAmbiguous, opPolled, opDownloaded, opCooldown, opResolved:
		return nil
	case opOrder:
		if r.Outcome.Known() && r.Outcome != outcome.Invalid && r.Outcome != outcome.NotOrdered {
			return nil
		}
	case opRefused:
		if r.Outcome == outcome.NotFound || r.Outcome == outcome.Rejected {
			return nil
		}
	case opSnapshot:
		if r.State != nil && r.State.Outcome != outcome.Invalid && r.State.Outcome.Known() {
			return nil
		}
	}
	return errBadJSON
}
