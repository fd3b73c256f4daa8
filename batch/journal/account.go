package journal

import (
	"crypto/sha256"
	"encoding/hex"
	"net"
	"net/url"
	"strings"

	"github.com/qccbatch/qccbatch/batch/msg"
)

// A state file belongs to one API endpoint and one API key: its orders were
// paid by that account, so another account's run must not take them as its
// own (a sandbox trial standing in for the real ledger, or the reverse).

// SandboxEndpoint is the Endpoint of the built-in sandbox (--sandbox),
// whose address changes from run to run.
const SandboxEndpoint = "sandbox"

// Account names the API account a state file belongs to.
type Account struct {
	// Endpoint is the API base URL (normalised: lower-case scheme and host,
	// no trailing slash), or SandboxEndpoint.
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

// normalize returns a with its endpoint in the form it is recorded in.
func (a Account) normalize() Account {
	e := strings.TrimSpace(a.Endpoint)
	if u, err := url.Parse(e); err == nil && u.Scheme != "" && u.Host != "" {
		u.Scheme, u.Host = strings.ToLower(u.Scheme), strings.ToLower(u.Host)
		e = u.String()
	}
	a.Endpoint = strings.TrimRight(e, "/")
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

// conflict returns the field in which the file's account have differs from
// the run's want ("endpoint" or "key"), or "" if none. A field either side
// does not know does not conflict.
func (want Account) conflict(have Account) string {
	switch {
	case want.Endpoint != "" && have.Endpoint != "" && want.Endpoint != have.Endpoint:
		return "endpoint"
	case want.KeyFingerprint != "" && have.KeyFingerprint != "" && want.KeyFingerprint != have.KeyFingerprint:
		return "key"
	}
	return ""
}

// describeEndpoint names an endpoint for a user.
func describeEndpoint(e, lang string) string {
	if e == SandboxEndpoint {
		return msg.Text(lang, msg.JEndpointSandbox)
	}
	if u, err := url.Parse(e); err == nil {
		h := u.Hostname()
		if ip := net.ParseIP(h); (ip != nil && ip.IsLoopback()) || strings.EqualFold(h, "localhost") {
			return msg.Text(lang, msg.JEndpointLocal, e)
		}
	}
	return e
}

// AccountError reports a write-open of a state file that belongs to another
// API endpoint or key than the run's: its orders were placed with the other
// account. Nothing was changed.
type AccountError struct {
	Path string
	Want Account // the run's account
	Have Account // the state file's account

	inLang // the language of Error
}

func (e *AccountError) Error() string {
	if e.Want.conflict(e.Have) == "key" {
		return msg.Text(e.lang, msg.JAccountKey, e.Path, e.Have.KeyFingerprint, e.Want.KeyFingerprint)
	}
	advice := msg.Text(e.lang, msg.JAdviceOwnState)
	if e.Have.Endpoint == SandboxEndpoint {
		advice = msg.Text(e.lang, msg.JAdviceSandbox)
	}
	return msg.Text(e.lang, msg.JAccountEndpoint,
		describeEndpoint(e.Have.Endpoint, e.lang), describeEndpoint(e.Want.Endpoint, e.lang), advice, e.Path)
}
