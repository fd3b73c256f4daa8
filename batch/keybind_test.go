package batch_test

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/qccbatch/qccbatch/batch"
	"github.com/qccbatch/qccbatch/batch/journal"
	"github.com/qccbatch/qccbatch/client"
)

// runAs runs the pipeline with key against the fake API at baseURL,
// recording endpoint as the run's account (as the command line does with
// --base-url), within a deadline.
func (e *env) runAs(endpoint, baseURL, key string, cfg batch.Config) (*batch.RunSummary, error) {
	e.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	c, err := client.New(baseURL, key, "sandbox", client.WithTimeout(2*time.Second))
	require.NoError(e.t, err)
	cfg.Account = journal.Account{Endpoint: endpoint, KeyFingerprint: journal.Fingerprint(key)}
	e.cfg = cfg
	return e.run(ctx, c)
}

func readAccount(t *testing.T, path string) (journal.Account, []journal.RunRecord) {
	t.Helper()
	ro, err := journal.Open(path, journal.Options{ReadOnly: true})
	require.NoError(t, err)
	defer ro.Close()
	return ro.Account(), ro.Runs()
}

// TestRun_WrongKeyDoesNotBindLedger: a first run with a mistyped key (the
// API answers 101, nothing is ordered) binds nothing; once the key is
// fixed, the next run proceeds on the same state file and orders each
// company once (issue 18 item 1: every later run was refused, and a new
// --state ordered the whole book again).
func TestRun_WrongKeyDoesNotBindLedger(t *testing.T) {
	names := companyNames(12)
	e := newEnv(t, names)
	base := e.srv.BaseURL()
	cfg := e.cfg

	_, err := e.runAs(base, base, "wrong-key", cfg)
	var se *batch.StopError
	require.ErrorAs(t, err, &se)
	assert.Equal(t, batch.StopAccount, se.Stop)
	assert.Equal(t, 0, e.srv.TotalOrders())
	creates, _, _ := e.srv.Requests()
	assert.Equal(t, 1, creates, "an unbound ledger's first order goes alone: one request under the refused key")
	acct, runs := readAccount(t, cfg.State)
	assert.Equal(t, journal.Account{}, acct, "a key the API refused binds nothing")
	require.Len(t, runs, 1)
	assert.Equal(t, journal.Fingerprint("wrong-key"), runs[0].KeyFingerprint, "the run's record names the key it tried")

	_, err = e.runAs(base, base, "sandbox", cfg)
	requireFinal(t, err, "the right key resumes the same state file")
	for _, n := range names {
		assert.Equal(t, 1, e.srv.Orders(n), n)
	}
	assert.Equal(t, len(names), e.srv.TotalOrders())
	acct, _ = readAccount(t, cfg.State)
	assert.Equal(t, journal.Account{Endpoint: base, KeyFingerprint: journal.Fingerprint("sandbox")}, acct)

	_, err = e.runAs(base, base, "sandbox", cfg)
	requireFinal(t, err)
	assert.Equal(t, len(names), e.srv.TotalOrders(), "a rerun orders nothing again")
	_, err = e.runAs(base, base, "wrong-key", cfg)
	var ae *journal.AccountError
	require.ErrorAs(t, err, &ae, "now that it holds orders, the ledger belongs to the accepted key")
	assert.Equal(t, journal.ConflictKey, ae.Kind())
	assert.NotContains(t, err.Error(), "--state")
}

// TestRun_EndpointIdentity: the same endpoint written differently is the
// same endpoint; another host of the same key is refused naming
// --new-endpoint, which re-binds the ledger and records the change in the
// run's record (issue 18 item 3).
func TestRun_EndpointIdentity(t *testing.T) {
	names := companyNames(6)
	e := newEnv(t, names)
	base := e.srv.BaseURL() // http://127.0.0.1:PORT/api/yj
	cfg := e.cfg
	_, err := e.runAs(base, base, "sandbox", cfg)
	requireFinal(t, err)
	require.Equal(t, len(names), e.srv.TotalOrders())

	hostPort := strings.TrimPrefix(strings.TrimSuffix(base, "/api/yj"), "http://")
	for _, spelled := range []string{
		"HTTP://" + hostPort + "/api/yj",
		base + "/",
		"http://" + hostPort + "/api/x/../yj",
		"http://" + hostPort + "/api/./yj/",
	} {
		_, err := e.runAs(spelled, base, "sandbox", cfg)
		requireFinal(t, err, spelled)
	}
	assert.Equal(t, len(names), e.srv.TotalOrders(), "nothing ordered again")

	// Another host name for the same API and key: a new proxy, say.
	port := hostPort[strings.LastIndexByte(hostPort, ':')+1:]
	other := "http://localhost:" + port + "/api/yj"
	// New companies, so that the run has something to ask the API.
	more := append(append([]string{}, names...), "新增科技有限公司0001", "新增科技有限公司0002")
	var b strings.Builder
	b.WriteString("客户编号,企业名称\r\n")
	for i, n := range more {
		fmt.Fprintf(&b, "C%04d,%s\r\n", i+1, n)
	}
	require.NoError(t, os.WriteFile(cfg.Input, []byte(b.String()), 0o600))
	_, err = e.runAs(other, other, "sandbox", cfg)
	var ae *journal.AccountError
	require.ErrorAs(t, err, &ae)
	assert.Contains(t, err.Error(), "--new-endpoint")
	assert.NotContains(t, err.Error(), "--state")
	assert.Equal(t, len(names), e.srv.TotalOrders(), "the refused run ordered nothing")

	cfg.NewEndpoint = true
	_, err = e.runAs(other, other, "sandbox", cfg)
	requireFinal(t, err)
	for _, n := range more {
		assert.Equal(t, 1, e.srv.Orders(n), n)
	}
	acct, runs := readAccount(t, cfg.State)
	assert.Equal(t, other, acct.Endpoint, "re-bound")
	last := runs[len(runs)-1]
	assert.Equal(t, other, last.Endpoint)
	assert.Equal(t, base, last.PrevEndpoint, "the run's record names the change")

	cfg.NewEndpoint = false
	_, err = e.runAs(other, other, "sandbox", cfg)
	requireFinal(t, err, "the new endpoint is the ledger's now")
	_, err = e.runAs(base, base, "sandbox", cfg)
	require.ErrorAs(t, err, &ae, "the old one is another host now")
	assert.Equal(t, len(more), e.srv.TotalOrders())
}

// TestRun_SandboxNeverReal: a sandbox state file never serves a real run,
// nor the reverse, even with --new-endpoint.
func TestRun_SandboxNeverReal(t *testing.T) {
	e := newEnv(t, companyNames(3))
	base := e.srv.BaseURL()
	cfg := e.cfg
	_, err := e.runAs(batch.SandboxEndpoint, base, "sandbox", cfg)
	requireFinal(t, err)
	require.Equal(t, 3, e.srv.TotalOrders())
	cfg.NewEndpoint = true
	_, err = e.runAs(base, base, "sandbox", cfg)
	var ae *journal.AccountError
	require.ErrorAs(t, err, &ae)
	assert.Equal(t, journal.ConflictSandbox, ae.Kind())
	assert.Equal(t, 3, e.srv.TotalOrders())

	cfg.State += ".real"
	_, err = e.runAs(base, base, "sandbox", cfg)
	requireFinal(t, err)
	_, err = e.runAs(batch.SandboxEndpoint, base, "sandbox", cfg)
	require.ErrorAs(t, err, &ae)
	assert.Equal(t, journal.ConflictSandbox, ae.Kind())
}
