package journal

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/qccbatch/qccbatch/batch/msg"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// sandboxEndpoint is batch.SandboxEndpoint.
const sandboxEndpoint = "sandbox"

var (
	realAcct = Account{Endpoint: "https://pro.qcc.com/api/yj", KeyFingerprint: Fingerprint("real-key")}
	sandbox  = Account{Endpoint: sandboxEndpoint, KeyFingerprint: Fingerprint("sandbox")}
)

// boundFile creates a state file bound to acct (as after the API accepted
// its key), holding an order of company "a" when ordered.
func boundFile(t *testing.T, acct Account, ordered bool) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "s.qccstate")
	j, err := Open(path, Options{Account: acct})
	require.NoError(t, err)
	require.NoError(t, j.Bind())
	if ordered {
		require.NoError(t, j.Intent(t.Context(), Key{"a", 1}, "a"))
		require.NoError(t, j.Ordered(Key{"a", 1}, "o1"))
	}
	require.NoError(t, j.Close())
	return path
}

func readAccount(t *testing.T, path string) Account {
	t.Helper()
	ro, err := Open(path, Options{ReadOnly: true})
	require.NoError(t, err)
	defer ro.Close()
	return ro.Account()
}

// TestJournal_Account: a state file that holds orders belongs to the key
// and endpoint of the run the API accepted; another key, another host of
// the same key (without NewEndpoint) and a sandbox file for a real run, or
// the reverse, are refused, and no refusal advises another state file.
func TestJournal_Account(t *testing.T) {
	otherKey := Account{Endpoint: realAcct.Endpoint, KeyFingerprint: Fingerprint("other-key")}
	proxy := Account{Endpoint: "https://qcc-proxy.bank.example/api/yj", KeyFingerprint: realAcct.KeyFingerprint}
	tests := []struct {
		name        string
		have, want  Account
		newEndpoint bool
		wantError   string // "" = opens
	}{
		{"same", realAcct, realAcct, false, ""},
		{"no account asked", realAcct, Account{}, false, ""},
		{"sandbox file, real run", sandbox, realAcct, true, "belongs to the built-in sandbox (--sandbox), not https://pro.qcc.com/api/yj: a sandbox ledger never stands in for real orders"},
		{"real file, sandbox run", realAcct, sandbox, true, "belongs to https://pro.qcc.com/api/yj, not the built-in sandbox (--sandbox)"},
		{"other key", realAcct, otherKey, true, "belongs to another API key (fingerprint " + realAcct.KeyFingerprint},
		{"other host, same key", realAcct, proxy, false, "not https://qcc-proxy.bank.example/api/yj (the same API key): if the API has moved (a new proxy or host name), run again with --new-endpoint"},
		{"other host, --new-endpoint", realAcct, proxy, true, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := boundFile(t, tt.have, true)
			before, err := os.ReadFile(path)
			require.NoError(t, err)

			j, err := Open(path, Options{Account: tt.want, NewEndpoint: tt.newEndpoint})
			if tt.wantError == "" {
				require.NoError(t, err)
				assert.Equal(t, tt.have, j.Account(), "bound by Bind, not by Open")
				require.NoError(t, j.Close())
				return
			}
			var ae *AccountError
			require.ErrorAs(t, err, &ae)
			assert.Contains(t, en(err), tt.wantError)
			assert.Equal(t, tt.have, ae.Have)
			for _, lang := range []string{"en", "zh"} {
				text := msg.Render(err, msg.Language(lang))
				for _, advice := range []string{"--state", "aside", "别处", "单独"} {
					assert.NotContains(t, text, advice, "a refusal must not advise another state file (%s)", lang)
				}
			}
			after, err := os.ReadFile(path)
			require.NoError(t, err)
			assert.Equal(t, string(before), string(after), "a refused state file was changed")
		})
	}

	t.Run("sandbox never becomes real, even without orders", func(t *testing.T) {
		path := boundFile(t, sandbox, false)
		_, err := Open(path, Options{Account: realAcct, NewEndpoint: true})
		var ae *AccountError
		require.ErrorAs(t, err, &ae)
		path = boundFile(t, realAcct, false)
		_, err = Open(path, Options{Account: sandbox, NewEndpoint: true})
		require.ErrorAs(t, err, &ae)
	})

	t.Run("fingerprint", func(t *testing.T) {
		assert.Len(t, Fingerprint("k"), 12)
		assert.NotEqual(t, Fingerprint("k"), Fingerprint("k2"))
		assert.NotContains(t, Fingerprint("secret"), "secret")
	})
}

// TestJournal_BindOnlyWhenAccepted: opening a state file binds nothing; a
// run whose key the API refused leaves it unbound, and the next run's key
// binds it (issue 18 item 1: a mistyped key bound the ledger, and every
// run with the right key was refused).
func TestJournal_BindOnlyWhenAccepted(t *testing.T) {
	wrong := Account{Endpoint: realAcct.Endpoint, KeyFingerprint: Fingerprint("typo-key")}
	path := filepath.Join(t.TempDir(), "s.qccstate")
	j, err := Open(path, Options{Account: wrong})
	require.NoError(t, err)
	assert.False(t, j.Bound())
	// The API answered 101 to the one order request: cancelled, no Bind.
	require.NoError(t, j.Intent(t.Context(), Key{"a", 1}, "a"))
	require.NoError(t, j.Cancelled(Key{"a", 1}, "qcc CreateReport: status 101"))
	require.NoError(t, j.Close())
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	assert.NotContains(t, string(data), wrong.KeyFingerprint, "a refused key is recorded nowhere but in its run's record")
	assert.Equal(t, Account{}, readAccount(t, path))

	j, err = Open(path, Options{Account: realAcct})
	require.NoError(t, err, "the right key opens the file the wrong one left")
	assert.False(t, j.Bound())
	require.NoError(t, j.Bind())
	assert.True(t, j.Bound())
	require.NoError(t, j.Bind(), "binding twice records nothing")
	require.NoError(t, j.Close())
	assert.Equal(t, realAcct, readAccount(t, path))
	data, err = os.ReadFile(path)
	require.NoError(t, err)
	assert.Equal(t, 1, strings.Count(string(data), `"op":"account"`))

	_, err = Open(path, Options{Account: wrong})
	assert.NoError(t, err, "no order yet: any key the API accepts may still take the file")
}

// TestJournal_RebindWithoutOrders: a state file bound to a key (by an older
// qccbatch, at open) that holds no order is taken by the first key the API
// accepts.
func TestJournal_RebindWithoutOrders(t *testing.T) {
	old := Account{Endpoint: realAcct.Endpoint, KeyFingerprint: Fingerprint("typo-key")}
	path := boundFile(t, old, false)
	j, err := Open(path, Options{Account: realAcct})
	require.NoError(t, err)
	require.NoError(t, j.Bind())
	require.NoError(t, j.Intent(t.Context(), Key{"a", 1}, "a"))
	require.NoError(t, j.Ordered(Key{"a", 1}, "o1"))
	require.NoError(t, j.Close())
	assert.Equal(t, realAcct, readAccount(t, path))
	_, err = Open(path, Options{Account: old})
	var ae *AccountError
	require.ErrorAs(t, err, &ae, "now it holds an order of the right key")
	assert.Equal(t, ConflictKey, ae.Kind())
}

// TestJournal_EndpointSpellings: the same endpoint written differently is
// the same endpoint.
func TestJournal_EndpointSpellings(t *testing.T) {
	for _, e := range []string{
		"https://pro.qcc.com/api/yj",
		"HTTPS://PRO.QCC.COM/api/yj",
		"https://Pro.Qcc.Com:443/api/yj/",
		"https://pro.qcc.com/api/x/../yj",
		"https://pro.qcc.com/api/./yj//",
		" https://pro.qcc.com/api/yj ",
	} {
		assert.Equal(t, "https://pro.qcc.com/api/yj", normalizeEndpoint(e), e)
	}
	assert.Equal(t, "http://127.0.0.1:8080", normalizeEndpoint("HTTP://127.0.0.1:8080/"))
	assert.Equal(t, "http://localhost", normalizeEndpoint("http://LOCALHOST:80"))
	assert.Equal(t, "http://[::1]:9", normalizeEndpoint("http://[::1]:9/"))
	assert.Equal(t, sandboxEndpoint, normalizeEndpoint(sandboxEndpoint))
	assert.NotEqual(t, normalizeEndpoint("https://pro.qcc.com:8443/api/yj"), normalizeEndpoint("https://pro.qcc.com/api/yj"))

	for _, e := range []string{"HTTPS://PRO.QCC.COM:443/api/yj/", "https://pro.qcc.com/api/v/../yj/."} {
		path := boundFile(t, realAcct, true)
		before, err := os.ReadFile(path)
		require.NoError(t, err)
		j, err := Open(path, Options{Account: Account{Endpoint: e, KeyFingerprint: realAcct.KeyFingerprint}})
		require.NoError(t, err, e)
		assert.True(t, j.Bound(), e)
		require.NoError(t, j.Bind())
		require.NoError(t, j.Close())
		after, err := os.ReadFile(path)
		require.NoError(t, err)
		assert.Equal(t, string(before), string(after), "%s: nothing to re-bind", e)
	}
}

// TestJournal_NewEndpointRecorded: --new-endpoint re-binds the file and the
// run's record names the endpoint it replaced.
func TestJournal_NewEndpointRecorded(t *testing.T) {
	proxy := Account{Endpoint: "https://qcc-proxy.bank.example/api/yj/", KeyFingerprint: realAcct.KeyFingerprint}
	path := boundFile(t, realAcct, true)
	j, err := Open(path, Options{Account: proxy, NewEndpoint: true})
	require.NoError(t, err)
	id, err := j.StartRun(RunInfo{})
	require.NoError(t, err)
	require.NoError(t, j.Bind())
	require.NoError(t, j.EndRun(id, RunEnd{}))
	require.NoError(t, j.Close())

	want := Account{Endpoint: "https://qcc-proxy.bank.example/api/yj", KeyFingerprint: realAcct.KeyFingerprint}
	assert.Equal(t, want, readAccount(t, path))
	ro, err := Open(path, Options{ReadOnly: true})
	require.NoError(t, err)
	runs := ro.Runs()
	require.Len(t, runs, 1)
	assert.Equal(t, want.Endpoint, runs[0].Endpoint)
	assert.Equal(t, realAcct.Endpoint, runs[0].PrevEndpoint, "the run's record names the change")
	require.NoError(t, ro.Close())

	j, err = Open(path, Options{Account: want})
	require.NoError(t, err, "the new endpoint is the file's now")
	assert.True(t, j.Bound())
	require.NoError(t, j.Close())
	_, err = Open(path, Options{Account: realAcct})
	var ae *AccountError
	require.ErrorAs(t, err, &ae, "and the old one is another host now")
	assert.Equal(t, ConflictEndpoint, ae.Kind())
}

// TestJournal_SandboxIsANameNotAURL: the journal takes any endpoint that is
// not a URL for the built-in sandbox's (batch.SandboxEndpoint), so it needs
// no constant of the sandbox's own.
func TestJournal_SandboxIsANameNotAURL(t *testing.T) {
	assert.True(t, isSandbox(sandboxEndpoint))
	assert.True(t, isSandbox(normalizeEndpoint(" sandbox/ ")))
	assert.False(t, isSandbox(""), "an unknown endpoint conflicts with nothing")
	assert.False(t, isSandbox(normalizeEndpoint("https://pro.qcc.com/api/yj")))
	assert.False(t, isSandbox(normalizeEndpoint("http://127.0.0.1:8080")))
	assert.Equal(t, ConflictSandbox, Account{Endpoint: sandboxEndpoint}.conflict(Account{Endpoint: "https://pro.qcc.com/api/yj"}))
}
