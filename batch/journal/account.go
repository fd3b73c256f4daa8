package journal

import (
	"crypto/sha256"
	"encoding/hex"
	"net"
	"net/url"
	"path"
	"strings"

	"github.com/qccbatch/qccbatch/batch/msg"
)

// A state file belongs to one API endpoint and one API key: its orders were
// paid by that account, so another account's run must not take them as its
// own (a sandbox trial standing in for the real ledger, or the reverse).
//
// The binding is written when the API first accepts the run's key (Bind),
// not when the file is opened: a first run with a mistyped key, which the
// API refuses (101), must not bind the ledger to that key, or every run
// with the right key would be refused and a new ledger would order the
// whole book again. A state file that holds no order yet, bound or not,
// takes the key and endpoint of the first run the API accepts.

// Account names the API account a state file belongs to.
type Account struct {
	// Endpoint is the API base URL (normalised, see normalizeEndpoint), or
	// for the built-in sandbox, whose address changes from run to run, a
	// name that is not a URL (batch.SandboxEndpoint).
	Endpoint string
	// KeyFingerprint is Fingerprint of the API key; never the key itself,
	// nor the secret key.
	KeyFingerprint string
}

// Fingerprint returns a short fingerprint of an API key for the state
// file: the first 12 hex digits of its SHA-256. It identifies the key
// without revealing it.
func Fingerprint(key string) string {
	sum := sha256.Sum256([]byte(key))
	return hex.EncodeToString(sum[:])[:12]
}

// normalizeEndpoint returns the form of an API base URL in which two
// spellings of the same endpoint are equal: scheme and host in lower case,
// the scheme's default port dropped, dot segments resolved, no trailing
// slash, no query or fragment. Anything that is not an absolute URL
// (a sandbox's name) is returned trimmed.
func normalizeEndpoint(e string) string {
	e = strings.TrimSpace(e)
	u, err := url.Parse(e)
	if err != nil || u.Scheme == "" || u.Host == "" {
		return strings.TrimRight(e, "/")
	}
	scheme := strings.ToLower(u.Scheme)
	host, port := strings.ToLower(u.Hostname()), u.Port()
	if (scheme == "https" && port == "443") || (scheme == "http" && port == "80") {
		port = ""
	}
	if port != "" {
		host = net.JoinHostPort(host, port)
	} else if strings.Contains(host, ":") { // an IPv6 literal
		host = "[" + host + "]"
	}
	p := u.EscapedPath()
	if p != "" {
		p = path.Clean("/" + p)
	}
	p = strings.TrimRight(p, "/")
	return scheme + "://" + host + p
}

// normalize returns a with its endpoint in the form it is compared and
// recorded in.
func (a Account) normalize() Account {
	a.Endpoint = normalizeEndpoint(a.Endpoint)
	return a
}

// merge returns a with the fields it lacks taken from b.
func (a Account) merge(b Account) Account {
	if a.Endpoint == "" {
		a.Endpoint = b.Endpoint
	}
	if a.KeyFingerprint == "" {
		a.KeyFingerprint = b.KeyFingerprint
	}
	return a
}

// rebind returns a with the fields b knows replaced: a later account
// record (a re-binding) overrides the header's.
func (a Account) rebind(b Account) Account {
	return b.merge(a)
}

// isSandbox reports whether an endpoint (normalised) is the built-in
// sandbox's: a name, not a URL.
func isSandbox(e string) bool { return e != "" && !strings.Contains(e, "://") }

// Conflicts of a run's account with a state file's (AccountError.Kind).
const (
	ConflictKey      = "key"      // another API key: refused
	ConflictEndpoint = "endpoint" // another host, same key: refused without --new-endpoint
	ConflictSandbox  = "sandbox"  // a sandbox file and a real run, or the reverse: always refused
)

// conflict returns how the file's account have differs from the run's
// want (one of the Conflict constants), or "" if it does not. A field
// either side does not know does not conflict; endpoints are compared
// normalised.
func (want Account) conflict(have Account) string {
	we, he := normalizeEndpoint(want.Endpoint), normalizeEndpoint(have.Endpoint)
	switch {
	case we != "" && he != "" && isSandbox(we) != isSandbox(he):
		return ConflictSandbox
	case want.KeyFingerprint != "" && have.KeyFingerprint != "" && want.KeyFingerprint != have.KeyFingerprint:
		return ConflictKey
	case we != "" && he != "" && we != he:
		return ConflictEndpoint
	}
	return ""
}

// describeEndpoint names an endpoint for a user.
func describeEndpoint(e string) any {
	if isSandbox(e) {
		return msg.M(msg.JEndpointSandbox)
	}
	if u, err := url.Parse(e); err == nil {
		h := u.Hostname()
		if ip := net.ParseIP(h); (ip != nil && ip.IsLoopback()) || strings.EqualFold(h, "localhost") {
			return msg.M(msg.JEndpointLocal, e)
		}
	}
	return e
}

// AccountError reports a write-open of a state file that holds orders of
// another API key or endpoint than the run's: its orders were placed with
// the other account. Nothing was changed. It never advises another state
// file, which would order the book again.
type AccountError struct {
	Path string
	Want Account // the run's account
	Have Account // the state file's account
}

// Kind returns how the accounts differ: ConflictKey, ConflictEndpoint or
// ConflictSandbox.
func (e *AccountError) Kind() string { return e.Want.conflict(e.Have) }

func (e *AccountError) Error() string { return e.Msg().String() }

// Msg returns the error's sentence, for msg.Render.
func (e *AccountError) Msg() msg.Message {
	have, want := describeEndpoint(e.Have.Endpoint), describeEndpoint(e.Want.Endpoint)
	switch e.Kind() {
	case ConflictKey:
		return msg.M(msg.KBAccountKey, e.Path, e.Have.KeyFingerprint, e.Want.KeyFingerprint)
	case ConflictSandbox:
		return msg.M(msg.KBAccountSandbox, e.Path, have, want)
	}
	return msg.M(msg.KBAccountEndpoint, e.Path, have, want)
}

// heldOrders counts the companies whose orders the account paid, or may
// have paid: an order number on record, an uncertain request, or a request
// left open by a run that was killed.
func (l *ledger) heldOrders() int {
	n := 0
	l.each(func(e *entry) bool {
		if e.holdsOrder() {
			n++
		}
		return true
	})
	return n
}

// holdsOrders reports whether heldOrders is not 0.
func (l *ledger) holdsOrders() bool {
	found := false
	l.each(func(e *entry) bool {
		found = e.holdsOrder()
		return !found
	})
	return found
}

// holdsOrder reports whether the account paid, or may have paid, for an
// order of e: an order number on record, an uncertain request, or a
// request left open by a run that was killed.
func (e *entry) holdsOrder() bool { return e.orders > 0 || e.open() || e.base == cUncertain }

// HeldOrders counts the companies of the state file whose orders its
// account paid or may have paid (ordered, uncertain, or requested by a run
// that was killed). A state file with none belongs to no account yet, in
// the sense that any key the API accepts may take it (see Bind).
func (j *Journal) HeldOrders() int {
	j.mu.Lock()
	defer j.mu.Unlock()
	return j.ledger.heldOrders()
}
