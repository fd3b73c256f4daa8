package cli

import (
	"errors"
	"fmt"

	"github.com/qccbatch/qccbatch/batch"
	"github.com/qccbatch/qccbatch/batch/input"
	"github.com/qccbatch/qccbatch/batch/journal"
)

// The exit codes of SPEC "Exit codes".
const (
	exitOK         = 0
	exitInternal   = 1 // a bug, or the state file could not record an event
	exitUsage      = 2 // usage, input or state-file error: nothing was ordered
	exitStopped    = 3 // quota, outage or failure-rate stop: rerun later
	exitIncomplete = 4 // interrupted, capped, timed out: rerun to resume
	exitPerson     = 5 // complete, but rows need a person (uncertain; validate --strict: invalid)
	exitAccount    = 6 // the key or the account needs a person: a rerun would stop the same way
)

// usageError is a usage problem the command line found itself: a bad flag
// value, a missing argument, a refused path. It exits 2.
type usageError struct{ err error }

func (e *usageError) Error() string { return e.err.Error() }
func (e *usageError) Unwrap() error { return e.err }

// usagef returns a *usageError with a formatted message.
func usagef(format string, a ...any) error {
	return &usageError{fmt.Errorf(format, a...)}
}

// personError ends a command whose work is complete but that needs a person
// (validate --strict with invalid rows). It exits 5.
type personError struct{ msg string }

func (e *personError) Error() string { return e.msg }

// exitCode maps the error a command returned to the process exit code: the
// one place that knows exit codes (restic's main.go switch is the model).
// The library returns typed errors and stop reasons; every command gives 2
// for every usage, input and state-file error.
func exitCode(err error) int {
	var (
		se  *batch.StopError
		ue  *usageError
		pe  *personError
		ie  *input.Error
		fe  *journal.FileError
		le  *journal.LockedError
		ce  *journal.CorruptError
		ve  *journal.VersionError
		nje *journal.NotJournalError
		ae  *journal.AccountError
		cfe *batch.ConfigError
		pce *batch.PlanChangedError
	)
	switch {
	case err == nil:
		return exitOK
	case errors.As(err, &se):
		switch se.Stop {
		case batch.StopAccount:
			// Not 3: schedulers treat 3 as "rerun later", and a revoked
			// key stays revoked (issue 18 item 2).
			return exitAccount
		case batch.StopQuota, batch.StopFailing:
			return exitStopped
		case batch.StopIncomplete, batch.StopResults:
			return exitIncomplete
		case batch.StopUncertain:
			return exitPerson
		}
		return exitInternal
	case errors.As(err, &pe):
		return exitPerson
	case errors.As(err, &ue), errors.As(err, &ie), errors.As(err, &fe), errors.As(err, &le),
		errors.As(err, &ce), errors.As(err, &ve), errors.As(err, &nje), errors.As(err, &ae), errors.As(err, &cfe), errors.As(err, &pce):
		return exitUsage
	}
	return exitInternal
}
