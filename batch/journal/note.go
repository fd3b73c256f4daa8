package journal

import (
	"fmt"
	"strings"

	"github.com/qccbatch/qccbatch/batch/msg"
)

// noteIDs are the stable names under which the state file keeps the
// messages of uncertain companies ("mid" of an ambiguous or snapshot
// record, with their arguments in "margs"). The catalogue's numbers change
// as it grows; these names never do, and a name is never reused.
var noteIDs = map[string]msg.ID{
	"no_answer":             msg.NoAnswer,
	"repaired":              msg.RepairedUncertain,
	"dup_order_no":          msg.DupOrderNo,
	"dup_order_no_this_run": msg.DupOrderNoThisRun,
	"unknown_order_no":      msg.UnknownOrderNo,
}

// noteNames maps a note's id to its stable name (the inverse of noteIDs).
var noteNames = func() map[msg.ID]string {
	m := make(map[msg.ID]string, len(noteIDs))
	for name, id := range noteIDs {
		m[id] = name
	}
	return m
}()

// NoteName returns the stable name under which the state file keeps
// message id, and whether it has one.
func NoteName(id msg.ID) (string, bool) {
	name, ok := noteNames[id]
	return name, ok
}

// note is why a company is uncertain, as the ledger keeps it: a message of
// the catalogue (id and its string arguments), or the cause's own text (a
// network or OS error, kept as it came; in the entry's message), or
// neither: only the advice.
type note struct {
	id   msg.ID
	args []string
	// whole is a text of an older state file that already ends with the
	// advice and matches no known sentence: shown as it is.
	whole bool
}

// complete reports whether the note's message carries its own advice.
func (n *note) complete() bool {
	return n != nil && (n.id == msg.NoAnswer || n.id == msg.RepairedUncertain)
}

// message returns the note with cause text as the message shown to people:
// the cause and what to do about it (msg.ResolveAdvice).
func (n *note) message(text string) msg.Message {
	switch {
	case n.complete():
		return msg.M(n.id)
	case n != nil && n.whole:
		return msg.Plain(text)
	case n != nil && n.id != msg.None:
		args := make([]any, len(n.args))
		for i, a := range n.args {
			args[i] = a
		}
		return msg.M(msg.CauseResolveAdvice, msg.M(n.id, args...))
	case text != "":
		return msg.M(msg.CauseResolveAdvice, text)
	}
	return msg.M(msg.ResolveAdvice)
}

// recordNote returns the note of an ambiguous or snapshot record: its
// "mid" and "margs", or, in a state file written before they existed, the
// English sentence of its "msg" (see legacyNote). text is what stays of
// msg: the cause's own text.
func recordNote(mid string, margs []string, m string) (n *note, text string) {
	if mid == "" {
		return legacyNote(m)
	}
	id, ok := noteIDs[mid]
	if !ok { // written by a newer qccbatch: keep what can be shown
		return nil, strings.TrimSpace(m + " " + mid + " " + strings.Join(margs, " "))
	}
	return &note{id: id, args: margs}, m
}

// The English sentences an older qccbatch wrote into the state file for an
// uncertain company. They are only read, never written any more.
const (
	legacyAdvice   = "an order may have been placed: look it up in Qichacha's order list, then `qccbatch resolve`"
	legacyNoAnswer = "order request sent but no answer recorded (program stopped): " + legacyAdvice
	legacyRepaired = "a damaged record of this company was dropped by `qccbatch repair`: an order may have been placed; " +
		"look it up in Qichacha's order list, then `qccbatch resolve`"
	legacyOldAdvice   = ": an order may have been placed"
	legacyOldNoAnswer = "order request sent but no answer recorded (program stopped)"
)

// legacyNote reads the message of an uncertain company as an older
// qccbatch wrote it: an English sentence ending with the advice, or, older
// still, without it.
func legacyNote(m string) (*note, string) {
	switch {
	case m == "" || m == legacyAdvice:
		return nil, ""
	case m == legacyNoAnswer:
		return &note{id: msg.NoAnswer}, ""
	case m == legacyRepaired:
		return &note{id: msg.RepairedUncertain}, ""
	case strings.HasSuffix(m, ": "+legacyAdvice):
		return nil, strings.TrimSuffix(m, ": "+legacyAdvice)
	case strings.Contains(m, "`qccbatch resolve`"):
		return &note{whole: true}, m
	}
	cause := strings.TrimSuffix(m, legacyOldAdvice)
	if cause == legacyOldNoAnswer {
		return &note{id: msg.NoAnswer}, ""
	}
	return nil, cause
}

// noteRecord returns the "mid" and "margs" of a record for message why.
func noteRecord(why msg.Message) (mid string, margs []string, err error) {
	name, ok := noteNames[why.ID]
	if !ok {
		return "", nil, fmt.Errorf("message %d has no name in the state file", why.ID)
	}
	for _, a := range why.Args {
		margs = append(margs, fmt.Sprint(a))
	}
	return name, margs, nil
}
