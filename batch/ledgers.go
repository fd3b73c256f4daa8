package batch

import (
	"errors"
	"os"
	"path/filepath"
	"strings"

	"github.com/qccbatch/qccbatch/batch/journal"
	"github.com/qccbatch/qccbatch/batch/msg"
	"github.com/qccbatch/qccbatch/client"
)

// A second ledger beside the input's own orders the book again: run
// --state NEW while the input's default state file (INPUT.qccstate), or
// another state file named for the input in its folder, holds orders of
// the same key is refused unless Config.NewLedger confirms it (SPEC "The
// state file").

// LedgerBeside is a state file beside the input that holds orders of the
// run's key.
type LedgerBeside struct {
	Path   string
	Orders int // companies ordered (or maybe ordered) in it
}

// ledgerBeside returns the first state file in the input's folder, named
// for the input, that is not cfg.State and holds orders of the run's key
// (of any key when cfg.Account does not know the key: a dry run without
// credentials). A sandbox run has none: its orders cost nothing. A state
// file that cannot be read is passed over.
func ledgerBeside(cfg Config) (LedgerBeside, bool) {
	if cfg.Account.Endpoint == SandboxEndpoint {
		return LedgerBeside{}, false
	}
	dir, base := filepath.Split(cfg.Input)
	if dir == "" {
		dir = "."
	}
	stem := strings.TrimSuffix(base, filepath.Ext(base))
	entries, err := os.ReadDir(dir)
	if err != nil {
		return LedgerBeside{}, false
	}
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || !strings.EqualFold(filepath.Ext(name), ".qccstate") || !namedFor(name, base, stem) {
			continue
		}
		path := filepath.Join(dir, name)
		if same(path, cfg.State) {
			continue
		}
		if n := ordersOfKey(path, cfg); n > 0 {
			return LedgerBeside{Path: path, Orders: n}, true
		}
	}
	return LedgerBeside{}, false
}

// namedFor reports whether a state file's name is one of the input's:
// the input's name (book.xlsx.qccstate, book.xlsx.2025.qccstate) or its
// stem followed by a separator (book.qccstate, book-2025.qccstate).
func namedFor(name, base, stem string) bool {
	if strings.HasPrefix(name, base+".") {
		return true
	}
	rest, ok := strings.CutPrefix(name, stem)
	return ok && rest != "" && strings.ContainsRune(".-_ ", rune(rest[0]))
}

// ordersOfKey counts the orders the state file at path holds, if it
// belongs to the run's key (or to no key yet, or the run's key is not
// known) and to the same kind of endpoint (sandbox or real); else 0.
func ordersOfKey(path string, cfg Config) int {
	j, err := journal.Open(path, journal.Options{ReadOnly: true})
	if err != nil {
		return 0
	}
	defer j.Close()
	have, want := j.Account(), cfg.Account
	if have.KeyFingerprint != "" && want.KeyFingerprint != "" && have.KeyFingerprint != want.KeyFingerprint {
		return 0
	}
	if have.Endpoint == SandboxEndpoint {
		return 0
	}
	return j.HeldOrders()
}

// checkLedgerBeside refuses a run on a new ledger (a state file that does
// not exist or holds no order) beside the input's own, unless
// cfg.NewLedger. A run on a ledger that holds orders resumes it: it is
// not refused because another one exists.
func checkLedgerBeside(cfg Config) error {
	if cfg.NewLedger {
		return nil
	}
	o, _ := ledgerBeside(cfg)
	return o.refusal(cfg)
}

// refusal is the error of a run with cfg beside the ledger o (nil when
// there is none, or --new-ledger confirms a second one).
func (o LedgerBeside) refusal(cfg Config) error {
	if o.Path == "" || cfg.NewLedger {
		return nil
	}
	return configErrorf(msg.KBLedgerBeside, o.Path, o.Orders, cfg.State, o.Path)
}

// keyAccepted reports whether err, the outcome of an order or a poll,
// is an answer of the API that shows it accepted the key: a success, or a
// code about the row, the order or the account's quota. An account error
// (101 and the other fatal codes), a slow-down, a transient code, a
// network error or a page that is not the API's says nothing of the key.
func keyAccepted(err error) bool {
	if err == nil {
		return true
	}
	switch client.ClassOf(err) {
	case client.ClassNotFound, client.ClassRejected, client.ClassWait, client.ClassCooldown, client.ClassQuota:
		var ae *client.APIError
		return errors.As(err, &ae)
	}
	return false
}

// bindOnAnswer binds the state file to the run's account when err, the
// outcome of an order or a poll, shows that the API accepted the key (see
// journal.Journal.Bind): never before, so a key the API refused binds
// nothing.
func (r *runner) bindOnAnswer(err error) {
	if r.bound.Load() || !keyAccepted(err) {
		return
	}
	if err := r.j.Bind(); err != nil {
		r.halt(StopStateFile, msg.M(msg.StopStateFile, err))
		return
	}
	if r.bound.CompareAndSwap(false, true) {
		a := r.j.Account()
		r.cfg.Logger.Info("state file bound to the API key", "endpoint", a.Endpoint, "key_fp", a.KeyFingerprint)
	}
}
