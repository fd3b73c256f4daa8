package serve

import (
	"context"
	"net"
	"net/http"
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
