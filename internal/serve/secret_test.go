package serve

import (
	"bytes"
	"context"
	"io"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/qccbatch/qccbatch/batch/journal"
	"github.com/qccbatch/qccbatch/client"
	"github.com/qccbatch/qccbatch/client/qcctest"
)

// syncBuffer is a log sink shared by goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// TestSecretsNeverShown: the API secret and the launch token appear in no
// answer of the server (bodies and headers of every GET and of the
// answers to POSTs, errors included), in no log line (debug level, the
// client's too) and in no file under --data, after a whole run with rows
// needing a person and an order whose answer was lost.
func TestSecretsNeverShown(t *testing.T) {
	const secret = "S3CRET-never-shown-0123456789"
	var logs syncBuffer
	logger := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	fake := qcctest.New(t, qcctest.WithSecret(secret), qcctest.WithGenDelay(50*time.Millisecond))
	c, err := client.New(fake.BaseURL(), fake.Key(), secret, client.WithLogger(logger))
	require.NoError(t, err)
	data := t.TempDir()
	s, err := New(Options{Data: data, API: c, APIHost: c.Host(), QPS: 50, PollInterval: 100 * time.Millisecond, Logger: logger,
		Account: journal.Account{Endpoint: fake.BaseURL(), KeyFingerprint: journal.Fingerprint(fake.Key())}})
	require.NoError(t, err)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	s.Bind(ln)
	ctx, cancel := contextWithCancel()
	served := make(chan error, 1)
	go func() { served <- s.Serve(ctx, ln, nil) }()
	ts := &testServer{Server: s, base: "http://" + ln.Addr().String(), fake: fake, data: data}

	var answers strings.Builder
	keep := func(resp *http.Response) {
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		for k, v := range resp.Header {
			if k == "Set-Cookie" { // the exchange's cookie holds the token, HttpOnly (TestTokenExchangedForCookie)
				continue
			}
			answers.WriteString(k + ": " + strings.Join(v, ",") + "\n")
		}
		answers.Write(b)
	}
	p := ts.upload(t, "p.csv", append(sampleCSV(t), []byte("C999,掉线科技有限公司,,,\n")...))
	status, out := ts.startRun(t, ts.bearer, p.ID, p.NewOrders)
	require.Equal(t, http.StatusAccepted, status, out)
	run := out["run"].(string)
	waitDone(t, ts, ts.Token(), run, "")
	require.NotEmpty(t, s.bookInfo(s.book(p.ID), "en").Uncert, "an order whose answer was lost")
	for _, path := range []string{"/", "/assets/app.js", "/api/messages?lang=en", "/api/session", "/api/books", "/api/books/" + p.ID,
		"/api/books/" + p.ID + "/info", "/api/runs/" + run, "/api/runs/" + run + "/events", "/api/runs/" + run + "/results.csv",
		"/api/runs/nope", "/api/nope", "/api/books/" + p.ID + "/ledger.xlsx"} {
		keep(ts.do(t, "GET", path, ts.Token(), nil, nil))
	}
	keep(ts.do(t, "GET", "/?token="+ts.Token(), "", nil, nil)) // the exchange's redirect
	keep(ts.do(t, "GET", "/api/books", "wrong", nil, nil))
	keep(ts.do(t, "POST", "/api/books/"+p.ID+"/runs", ts.Token(), strings.NewReader(`{"orders": 99}`), nil))
	keep(ts.do(t, "POST", "/api/books/"+p.ID+"/runs", ts.Token(), strings.NewReader(`{"orders": 0}`), nil))
	keep(ts.do(t, "GET", "/api/books", ts.Token(), nil, map[string]string{"Host": "evil.example"}))

	cancel()
	require.NoError(t, <-served)
	for what, text := range map[string]string{"answers": answers.String(), "logs": logs.String()} {
		assert.NotContains(t, text, secret, "the API secret in the %s", what)
		assert.NotContains(t, text, ts.Token(), "the launch token in the %s", what)
	}
	require.NoError(t, filepath.WalkDir(data, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(path)
		require.NoError(t, err)
		assert.NotContains(t, string(b), secret, "the API secret in %s", path)
		assert.NotContains(t, string(b), ts.Token(), "the launch token in %s", path)
		return nil
	}))
	assert.NotEmpty(t, logs.String(), "the logs were written")
}

func contextWithCancel() (context.Context, context.CancelFunc) {
	return context.WithCancel(context.Background())
}
