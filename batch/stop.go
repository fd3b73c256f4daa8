package batch

import "github.com/qccbatch/qccbatch/batch/msg"

// Stop says why a run ended before every row was final, or stopped early.
// The library never knows a process exit code: the command line maps a Stop
// to one in a single place (restic's main.go switch is the model).
type Stop int

// The reasons a run stops.
const (
	// StopIncomplete: interrupted, --max-orders reached, polling timed out,
	// a cooldown, or downloads failed. Rerun the same command to resume.
	StopIncomplete Stop = iota + 1
	// StopAccount: the API refused the account (key, token, clock, unknown
	// code). Every API call stopped; a rerun would stop the same way until
	// a person fixes the key or the account.
	StopAccount
	// StopQuota: the daily limit or the balance is used up. New orders
	// stopped; what had an order number was polled to the end.
	StopQuota
	// StopFailing: a breaker tripped (most orders rejected as bad
	// parameters, or the API failing). New orders stopped; polling went on.
	StopFailing
	// StopStateFile: the state file could not record an event. Everything
	// stopped at once.
	StopStateFile
	// StopResults: every row was settled in the state file but the results
	// file could not be written (`qccbatch export` writes it).
	StopResults
	// StopUncertain: every row is final, but some are uncertain: a person
	// must look them up in the vendor's order list.
	StopUncertain
)

// String names the stop for logs and JSON.
func (s Stop) String() string {
	switch s {
	case StopIncomplete:
		return "incomplete"
	case StopAccount:
		return "account"
	case StopQuota:
		return "quota"
	case StopFailing:
		return "failing"
	case StopStateFile:
		return "state_file"
	case StopResults:
		return "results"
	case StopUncertain:
		return "uncertain"
	}
	return "unknown"
}

// ordersOnly reports whether the stop lets polling go on (what has an order
// number is still worth finishing) or ends every call.
func (s Stop) ordersOnly() bool {
	return s == StopQuota || s == StopFailing
}

// StopError ends a run early or incomplete.
type StopError struct {
	Stop   Stop
	Reason msg.Message // one line for people: what happened and what to do
}

// Error returns the reason in zh; msg.Render writes it in any language.
func (e *StopError) Error() string { return e.Reason.String() }

// Msg returns the reason, for msg.Render.
func (e *StopError) Msg() msg.Message { return e.Reason }
