package serve

import (
	"context"
	"encoding/json"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/qccbatch/qccbatch/batch"
	"github.com/qccbatch/qccbatch/batch/journal"
	"github.com/qccbatch/qccbatch/client"
	"github.com/qccbatch/qccbatch/client/qcctest"
)

// heldEngine holds the first run's start until the server stops it and the
// test lets it go: the server is then inside its shutdown (StopAll waits
// for that run), deterministically.
type heldEngine struct {
	engine
	stopping chan struct{} // closed when the first run's context ended
	release  chan struct{}
	first    chan struct{}
}

func (e *heldEngine) Start(ctx context.Context, cfg batch.Config, confirmed int, digest string) (runHandle, error) {
	select {
	case <-e.first:
	default:
		close(e.first)
		<-ctx.Done()
		close(e.stopping)
		<-e.release
	}
	return e.engine.Start(ctx, cfg, confirmed, digest)
}

// TestShutdownStartsNoRun: once the server is stopping (Ctrl-C), a run
// POSTed meanwhile is refused with 503 and orders nothing: before, it was
// accepted, ordered after the "stop", and the process could exit under it.
func TestShutdownStartsNoRun(t *testing.T) {
	fake := qcctest.New(t, qcctest.WithGenDelay(50*time.Millisecond))
	c, err := client.New(fake.BaseURL(), fake.Key(), fake.Secret())
	require.NoError(t, err)
	s, err := New(Options{Data: t.TempDir(), API: c, APIHost: c.Host(), QPS: 50, PollInterval: 100 * time.Millisecond,
		Account: journal.Account{Endpoint: fake.BaseURL(), KeyFingerprint: journal.Fingerprint(fake.Key())}})
	require.NoError(t, err)
	held := &heldEngine{engine: s.eng, stopping: make(chan struct{}), release: make(chan struct{}), first: make(chan struct{})}
	s.eng = held
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	served := make(chan error, 1)
	s.Bind(ln)
	go func() { served <- s.Serve(ctx, ln, nil) }()
	ts := &testServer{Server: s, base: "http://" + ln.Addr().String(), fake: fake}

	a := ts.upload(t, "a.csv", names("甲", 3))
	b := ts.upload(t, "b.csv", names("乙", 3))
	status, out := ts.startRun(t, ts.bearer, a.ID, a.NewOrders)
	require.Equal(t, http.StatusAccepted, status, out)

	cancel() // Ctrl-C: the server stops its runs and waits for them
	select {
	case <-held.stopping:
	case <-time.After(20 * time.Second):
		t.Fatal("the server did not stop the run")
	}
	status, out = ts.startRun(t, ts.bearer, b.ID, b.NewOrders)
	assert.Equal(t, http.StatusServiceUnavailable, status, "a run started while the server stops: %v", out)
	close(held.release)
	if run, ok := out["run"].(string); ok { // let it order what it would, then count
		deadline := time.Now().Add(20 * time.Second)
		for rn := s.getRun(run); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
			rn.mu.Lock()
			done := rn.state == stateDone
			rn.mu.Unlock()
			if done {
				break
			}
		}
	}
	select {
	case err := <-served:
		require.NoError(t, err)
	case <-time.After(20 * time.Second):
		t.Fatal("the server did not stop")
	}
	assert.Zero(t, fake.TotalOrders(), "orders placed after Ctrl-C: %v", fake.OrderCounts())
}

// gatedEngine holds the start of a run (after its plan was checked again)
// until the test lets it go.
type gatedEngine struct {
	engine
	entered chan struct{}
	release chan struct{}
}

func (e *gatedEngine) Start(ctx context.Context, cfg batch.Config, confirmed int, digest string) (runHandle, error) {
	close(e.entered)
	<-e.release
	return e.engine.Start(ctx, cfg, confirmed, digest)
}

// TestApprovedOnce: once a run is approved, a third user's approval is
// refused (409), not recorded as an approval that does not count: the
// audit log and the run's record name the same approver.
func TestApprovedOnce(t *testing.T) {
	ts, as := teamOf(t, Options{ApproveAbove: 2, QPS: 50})
	gate := &gatedEngine{engine: ts.eng, entered: make(chan struct{}), release: make(chan struct{})}
	ts.eng = gate
	body, ct := multipartFile(t, "p.csv", names("己", 3), nil)
	req, _ := http.NewRequest("POST", ts.base+"/api/books", body)
	req.Header.Set("Content-Type", ct)
	as("alice")(req)
	resp, err := noRedirect.Do(req)
	require.NoError(t, err)
	var p planJSON
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&p))
	resp.Body.Close()
	require.Equal(t, 3, p.NewOrders, p.Error)
	status, out := ts.startRun(t, as("alice"), p.ID, p.NewOrders)
	require.Equal(t, http.StatusAccepted, status, out)
	run := out["run"].(string)
	require.Equal(t, http.StatusAccepted, ts.call(t, as("bob"), "POST", "/api/runs/"+run+"/approve", "", nil))
	select {
	case <-gate.entered:
	case <-time.After(20 * time.Second):
		t.Fatal("the approved run did not start")
	}
	assert.Equal(t, http.StatusConflict, ts.call(t, as("carol"), "POST", "/api/runs/"+run+"/approve", "", nil),
		"a second approval of an approved run")
	close(gate.release)
	var r runJSON
	for deadline := time.Now().Add(60 * time.Second); r.State != stateDone; time.Sleep(20 * time.Millisecond) {
		require.True(t, time.Now().Before(deadline), "the run did not end")
		require.Equal(t, http.StatusOK, ts.call(t, as("bob"), "GET", "/api/runs/"+run, "", &r))
	}
	assert.Equal(t, "bob", r.Approver)
	audit, err := os.ReadFile(filepath.Join(ts.data, "audit.log"))
	require.NoError(t, err)
	assert.NotContains(t, string(audit), `"user":"carol"`, "the audit log records carol's approval that did not count")
	assert.Equal(t, 3, ts.fake.TotalOrders())
}

// planGate holds the next plan computed after arm until the test lets it
// go.
type planGate struct {
	engine
	mu      sync.Mutex
	armed   bool
	entered chan struct{}
	release chan struct{}
}

func (e *planGate) arm() {
	e.mu.Lock()
	e.armed, e.entered, e.release = true, make(chan struct{}), make(chan struct{})
	e.mu.Unlock()
}

func (e *planGate) Plan(cfg batch.Config) (*batch.Plan, error) {
	e.mu.Lock()
	armed, entered, release := e.armed, e.entered, e.release
	e.armed = false
	e.mu.Unlock()
	if armed {
		close(entered)
		<-release
	}
	return e.engine.Plan(cfg)
}

// TestStoppedWhileStartingStaysStopped: a run stopped (from another tab,
// which sees it as the book's run) while its POST is still checking the
// plan stays stopped: it does not turn into a run awaiting approval, and
// an approval then orders nothing.
func TestStoppedWhileStartingStaysStopped(t *testing.T) {
	ts, as := teamOf(t, Options{ApproveAbove: 2, QPS: 50})
	gate := &planGate{engine: ts.eng}
	ts.eng = gate
	body, ct := multipartFile(t, "p.csv", names("庚", 3), nil)
	req, _ := http.NewRequest("POST", ts.base+"/api/books", body)
	req.Header.Set("Content-Type", ct)
	as("alice")(req)
	resp, err := noRedirect.Do(req)
	require.NoError(t, err)
	var p planJSON
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&p))
	resp.Body.Close()
	require.Equal(t, 3, p.NewOrders, p.Error)

	gate.arm()
	started := make(chan int, 1)
	go func() {
		status, _ := ts.startRun(t, as("alice"), p.ID, p.NewOrders)
		started <- status
	}()
	select {
	case <-gate.entered:
	case <-time.After(20 * time.Second):
		t.Fatal("the POST did not check the plan")
	}
	var info bookJSON
	require.Equal(t, http.StatusOK, ts.call(t, as("bob"), "GET", "/api/books/"+p.ID+"/info", "", &info))
	require.NotEmpty(t, info.Running, "another tab sees the run")
	run := info.Running
	require.Equal(t, http.StatusAccepted, ts.call(t, as("bob"), "POST", "/api/runs/"+run+"/stop", "", nil))
	close(gate.release)
	assert.Equal(t, http.StatusAccepted, <-started)

	ts.call(t, as("bob"), "POST", "/api/runs/"+run+"/approve", "", nil)
	var r runJSON
	for deadline := time.Now().Add(30 * time.Second); r.State != stateDone; time.Sleep(20 * time.Millisecond) {
		require.True(t, time.Now().Before(deadline), "the stopped run did not end: %s", r.State)
		require.Equal(t, http.StatusOK, ts.call(t, as("bob"), "GET", "/api/runs/"+run, "", &r))
	}
	assert.Zero(t, ts.fake.TotalOrders(), "a stopped run ordered")
}
