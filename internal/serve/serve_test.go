package serve

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net"
	"net/http"
	"net/http/cookiejar"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/qccbatch/qccbatch/batch/journal"
	"github.com/qccbatch/qccbatch/client"
	"github.com/qccbatch/qccbatch/client/qcctest"
)

// testServer is a Server on a loopback port over a fake API.
type testServer struct {
	*Server
	base string // http://127.0.0.1:PORT
	fake *qcctest.Server
	data string
}

func startServer(t *testing.T, opt Options, fakeOpts ...qcctest.Option) *testServer {
	t.Helper()
	fake := qcctest.New(t, append([]qcctest.Option{qcctest.WithGenDelay(50 * time.Millisecond)}, fakeOpts...)...)
	c, err := client.New(fake.BaseURL(), fake.Key(), fake.Secret())
	require.NoError(t, err)
	if opt.Data == "" {
		opt.Data = t.TempDir()
	}
	opt.API, opt.APIHost = c, c.Host()
	opt.Account = journal.Account{Endpoint: fake.BaseURL(), KeyFingerprint: journal.Fingerprint(fake.Key())}
	if opt.PollInterval == 0 {
		opt.PollInterval = 100 * time.Millisecond
	}
	s, err := New(opt)
	require.NoError(t, err)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	s.Bind(ln)
	go func() { done <- s.Serve(ctx, ln, nil) }()
	t.Cleanup(func() {
		cancel()
		select {
		case <-done:
		case <-time.After(20 * time.Second):
			t.Error("the server did not stop")
		}
	})
	return &testServer{Server: s, base: "http://" + ln.Addr().String(), fake: fake, data: opt.Data}
}

// do sends a request with the bearer token (unless token is "").
func (ts *testServer) do(t *testing.T, method, path, token string, body io.Reader, hdr map[string]string) *http.Response {
	t.Helper()
	req, err := http.NewRequest(method, ts.base+path, body)
	require.NoError(t, err)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	for k, v := range hdr {
		if k == "Host" {
			req.Host = v
			continue
		}
		req.Header.Set(k, v)
	}
	resp, err := noRedirect.Do(req)
	require.NoError(t, err)
	return resp
}

var noRedirect = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	Timeout: 60 * time.Second}

// multipartFile is a multipart body with one file part.
func multipartFile(t *testing.T, name string, content []byte, fields map[string]string) (io.Reader, string) {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for k, v := range fields {
		require.NoError(t, mw.WriteField(k, v))
	}
	fw, err := mw.CreateFormFile("file", name)
	require.NoError(t, err)
	_, _ = fw.Write(content)
	require.NoError(t, mw.Close())
	return &buf, mw.FormDataContentType()
}

func sampleCSV(t *testing.T) []byte {
	data, err := os.ReadFile(filepath.Join("..", "..", "testdata", "sample", "portfolio.csv"))
	require.NoError(t, err)
	return data
}

// upload posts a sheet with the token and returns the plan.
func (ts *testServer) upload(t *testing.T, name string, content []byte) planJSON {
	t.Helper()
	body, ct := multipartFile(t, name, content, nil)
	resp := ts.do(t, "POST", "/api/books?lang=en", ts.Token(), body, map[string]string{"Content-Type": ct})
	defer resp.Body.Close()
	require.Equal(t, http.StatusCreated, resp.StatusCode)
	var p planJSON
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&p))
	return p
}

func TestNoTokenIs401(t *testing.T) {
	ts := startServer(t, Options{})
	for _, path := range []string{"/", "/api/books", "/assets/app.js", "/api/messages"} {
		resp := ts.do(t, "GET", path, "", nil, nil)
		resp.Body.Close()
		assert.Equal(t, http.StatusUnauthorized, resp.StatusCode, path)
	}
	resp := ts.do(t, "GET", "/api/books", "wrong-token", nil, nil)
	resp.Body.Close()
	assert.Equal(t, http.StatusUnauthorized, resp.StatusCode, "a wrong bearer token")
	resp = ts.do(t, "GET", "/?token=wrong", "", nil, nil)
	resp.Body.Close()
	assert.Equal(t, http.StatusUnauthorized, resp.StatusCode, "a wrong token in the URL")
	body, ct := multipartFile(t, "p.csv", sampleCSV(t), nil)
	resp = ts.do(t, "POST", "/api/books", "", body, map[string]string{"Content-Type": ct})
	resp.Body.Close()
	assert.Equal(t, http.StatusUnauthorized, resp.StatusCode, "an upload without the token")
	ents, _ := os.ReadDir(filepath.Join(ts.data, "books"))
	assert.Empty(t, ents, "nothing stored without the token")
}

func TestForeignHostIs403(t *testing.T) {
	ts := startServer(t, Options{})
	port := ts.Port()
	for _, host := range []string{"evil.example:" + port, "evil.example", "127.0.0.1:1", "192.168.1.5:" + port, "localhost.evil.example:" + port} {
		resp := ts.do(t, "GET", "/api/books", ts.Token(), nil, map[string]string{"Host": host})
		resp.Body.Close()
		assert.Equal(t, http.StatusForbidden, resp.StatusCode, host)
		resp = ts.do(t, "GET", "/?token="+ts.Token(), "", nil, map[string]string{"Host": host})
		resp.Body.Close()
		assert.Equal(t, http.StatusForbidden, resp.StatusCode, "token exchange with Host %s", host)
		assert.Empty(t, resp.Cookies(), "no cookie for Host %s", host)
	}
	for _, host := range []string{"127.0.0.1:" + port, "localhost:" + port, "[::1]:" + port} {
		resp := ts.do(t, "GET", "/api/books", ts.Token(), nil, map[string]string{"Host": host})
		resp.Body.Close()
		assert.Equal(t, http.StatusOK, resp.StatusCode, host)
	}
}

// cookieClient exchanges the launch token for the cookie and returns a
// client holding it, checking the exchange on the way.
func cookieClient(t *testing.T, ts *testServer) *http.Client {
	t.Helper()
	jar, err := cookiejar.New(nil)
	require.NoError(t, err)
	c := &http.Client{Jar: jar, Timeout: 30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := c.Get(ts.base + "/?token=" + ts.Token())
	require.NoError(t, err)
	resp.Body.Close()
	require.Equal(t, http.StatusSeeOther, resp.StatusCode)
	assert.Equal(t, "/", resp.Header.Get("Location"), "the token is dropped from the URL")
	var ck *http.Cookie
	for _, k := range resp.Cookies() {
		if k.Name == "qccbatch-"+ts.Port() {
			ck = k
		}
	}
	require.NotNil(t, ck, "the cookie is named with the port")
	assert.True(t, ck.HttpOnly)
	assert.Equal(t, http.SameSiteStrictMode, ck.SameSite)
	return c
}

func TestTokenExchangedForCookie(t *testing.T) {
	ts := startServer(t, Options{})
	c := cookieClient(t, ts)
	resp, err := c.Get(ts.base + "/")
	require.NoError(t, err)
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	require.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Contains(t, string(page), `<script src="/assets/app.js"`)
	assert.NotContains(t, string(page), "<script>", "no inline script")
	csp := resp.Header.Get("Content-Security-Policy")
	assert.Contains(t, csp, "frame-ancestors 'none'")
	assert.Contains(t, csp, "script-src 'self'")
	assert.NotContains(t, csp, "unsafe-inline")
	assert.Empty(t, resp.Header.Get("Access-Control-Allow-Origin"), "no CORS")
	assert.Equal(t, "DENY", resp.Header.Get("X-Frame-Options"))

	// The JSON API with the cookie; the texts come from the catalogue.
	resp, err = c.Get(ts.base + "/api/messages?lang=en")
	require.NoError(t, err)
	var m struct{ Texts map[string]string }
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&m))
	resp.Body.Close()
	assert.Equal(t, "New orders", m.Texts["new_orders"])
	resp, err = c.Get(ts.base + "/api/messages?lang=zh")
	require.NoError(t, err)
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&m))
	resp.Body.Close()
	assert.Equal(t, "新订单", m.Texts["new_orders"])
}

func TestCrossSitePostIs403(t *testing.T) {
	ts := startServer(t, Options{})
	p := ts.upload(t, "p.csv", sampleCSV(t))
	c := cookieClient(t, ts)
	post := func(hdr map[string]string) int {
		req, err := http.NewRequest("POST", ts.base+"/api/books/"+p.ID+"/plan", strings.NewReader(`{"header_row": 1}`))
		require.NoError(t, err)
		req.Header.Set("Content-Type", "application/json")
		for k, v := range hdr {
			req.Header.Set(k, v)
		}
		resp, err := c.Do(req)
		require.NoError(t, err)
		resp.Body.Close()
		return resp.StatusCode
	}
	assert.Equal(t, http.StatusForbidden, post(map[string]string{"Sec-Fetch-Site": "cross-site"}), "Sec-Fetch-Site: cross-site")
	assert.Equal(t, http.StatusForbidden, post(map[string]string{"Sec-Fetch-Site": "same-site"}), "Sec-Fetch-Site: same-site")
	assert.Equal(t, http.StatusForbidden, post(map[string]string{"Origin": "http://evil.example"}), "a foreign Origin")
	assert.Equal(t, http.StatusForbidden, post(map[string]string{"Origin": "http://127.0.0.1:1"}), "another port's Origin")
	// Stop and run are POSTs behind the same check.
	req, _ := http.NewRequest("POST", ts.base+"/api/books/"+p.ID+"/runs", strings.NewReader(`{"orders": 7}`))
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	resp, err := c.Do(req)
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusForbidden, resp.StatusCode)
	assert.Zero(t, ts.fake.TotalOrders(), "a cross-site POST orders nothing")
	// The page's own requests pass.
	assert.Equal(t, http.StatusOK, post(map[string]string{"Sec-Fetch-Site": "same-origin", "Origin": ts.base}))
	assert.Equal(t, http.StatusOK, post(nil), "a script without browser headers")
	// State changes are POSTs only.
	resp = ts.do(t, "GET", "/api/books/"+p.ID+"/runs", ts.Token(), nil, nil)
	resp.Body.Close()
	assert.Equal(t, http.StatusMethodNotAllowed, resp.StatusCode)
}

// zeroReader yields n bytes of 'a' without holding them.
type zeroReader struct{ n int64 }

func (z *zeroReader) Read(p []byte) (int, error) {
	if z.n <= 0 {
		return 0, io.EOF
	}
	if int64(len(p)) > z.n {
		p = p[:z.n]
	}
	for i := range p {
		p[i] = 'a'
	}
	z.n -= int64(len(p))
	return len(p), nil
}

// rss is the process's resident set in bytes (Linux), or 0.
func rss() uint64 {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "VmRSS:"); ok {
			kb, _ := strconv.ParseUint(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			return kb << 10
		}
	}
	return 0
}

func TestLargeUploadRefusedWithBoundedMemory(t *testing.T) {
	ts := startServer(t, Options{})
	const size = 200 << 20
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	baseHeap, baseRSS := ms.HeapInuse, rss()
	var peakHeap, peakRSS atomic.Uint64
	stop := make(chan struct{})
	sampled := make(chan struct{})
	go func() {
		defer close(sampled)
		tk := time.NewTicker(5 * time.Millisecond)
		defer tk.Stop()
		for {
			select {
			case <-stop:
				return
			case <-tk.C:
				var m runtime.MemStats
				runtime.ReadMemStats(&m)
				if m.HeapInuse > peakHeap.Load() {
					peakHeap.Store(m.HeapInuse)
				}
				if r := rss(); r > peakRSS.Load() {
					peakRSS.Store(r)
				}
			}
		}
	}()
	// A streamed multipart body (chunked: the server cannot refuse it by
	// its Content-Length) of a 200 MiB file.
	pr, pw := io.Pipe()
	mw := multipart.NewWriter(pw)
	go func() {
		fw, err := mw.CreateFormFile("file", "huge.csv")
		if err == nil {
			_, err = io.Copy(fw, &zeroReader{n: size})
		}
		if err == nil {
			err = mw.Close()
		}
		pw.CloseWithError(err)
	}()
	req, err := http.NewRequest("POST", ts.base+"/api/books", pr)
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer "+ts.Token())
	req.Header.Set("Content-Type", mw.FormDataContentType())
	resp, err := noRedirect.Do(req)
	close(stop)
	<-sampled
	pr.CloseWithError(io.ErrClosedPipe)
	require.NoError(t, err)
	msg, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	assert.Equal(t, http.StatusRequestEntityTooLarge, resp.StatusCode, string(msg))
	assert.Contains(t, string(msg), "larger than 100 MiB")
	t.Logf("heap in use: %d MiB before, %d MiB at most; RSS %d MiB before, %d MiB at most",
		baseHeap>>20, peakHeap.Load()>>20, baseRSS>>20, peakRSS.Load()>>20)
	assert.Less(t, peakHeap.Load()-min(baseHeap, peakHeap.Load()), uint64(100<<20), "the heap grew past 100 MB")
	if baseRSS > 0 {
		assert.Less(t, peakRSS.Load(), baseRSS+100<<20, "the RSS grew past 100 MB")
	}
	ents, _ := os.ReadDir(filepath.Join(ts.data, "books"))
	assert.Empty(t, ents, "the refused upload left nothing under --data")

	// With a Content-Length past the cap, refused before the body is read.
	req, _ = http.NewRequest("POST", ts.base+"/api/books", &zeroReader{n: size})
	req.ContentLength = size
	req.Header.Set("Authorization", "Bearer "+ts.Token())
	req.Header.Set("Content-Type", "multipart/form-data; boundary=x")
	resp, err = noRedirect.Do(req)
	if err == nil { // the server may close before the client has sent it all
		resp.Body.Close()
		assert.Equal(t, http.StatusRequestEntityTooLarge, resp.StatusCode)
	}
}

func TestPlanChangedIs409(t *testing.T) {
	ts := startServer(t, Options{})
	p := ts.upload(t, "p.csv", sampleCSV(t))
	require.Equal(t, 7, p.NewOrders)
	assert.Equal(t, 10, p.Rows)
	assert.Equal(t, 2, p.InvalidCount)
	assert.Equal(t, []rowNote{{Row: 6, Repeats: 2}}, p.Duplicates, "row 6 repeats row 2")
	resp := ts.do(t, "POST", "/api/books/"+p.ID+"/runs", ts.Token(), strings.NewReader(`{"orders": 3}`), nil)
	var out struct {
		Error string
		Plan  planJSON
	}
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&out))
	resp.Body.Close()
	assert.Equal(t, http.StatusConflict, resp.StatusCode)
	assert.Equal(t, 7, out.Plan.NewOrders, "the answer carries the new plan")
	assert.Zero(t, ts.fake.TotalOrders())
}

// rowEvents counts the "row" events the tests' clients received.
var rowEvents atomic.Int64

// waitDone follows a run's events until its end and returns the last
// snapshot and the event ids seen.
func waitDone(t *testing.T, ts *testServer, token, run, lastID string) (runJSON, []int) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "GET", ts.base+"/api/runs/"+run+"/events", nil)
	req.Header.Set("Authorization", "Bearer "+token)
	if lastID != "" {
		req.Header.Set("Last-Event-ID", lastID)
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	require.Equal(t, "text/event-stream; charset=utf-8", resp.Header.Get("Content-Type"))
	sc := bufio.NewScanner(resp.Body)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	var last runJSON
	var ids []int
	for sc.Scan() {
		line := sc.Text()
		if v, ok := strings.CutPrefix(line, "event: "); ok && v == "row" {
			rowEvents.Add(1)
		}
		if v, ok := strings.CutPrefix(line, "id: "); ok {
			n, _ := strconv.Atoi(v)
			ids = append(ids, n)
		}
		if v, ok := strings.CutPrefix(line, "data: "); ok {
			require.NoError(t, json.Unmarshal([]byte(v), &last))
		}
	}
	require.Equal(t, stateDone, last.State, "the stream ends with the done event")
	return last, ids
}

func TestRunEventsResume(t *testing.T) {
	ts := startServer(t, Options{})
	p := ts.upload(t, "p.csv", sampleCSV(t))
	resp := ts.do(t, "POST", "/api/books/"+p.ID+"/runs", ts.Token(), strings.NewReader(fmt.Sprintf(`{"orders": %d}`, p.NewOrders)), nil)
	var started struct{ Run string }
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&started))
	resp.Body.Close()
	require.Equal(t, http.StatusAccepted, resp.StatusCode)
	rowEvents.Store(0)
	last, ids := waitDone(t, ts, ts.Token(), started.Run, "")
	require.NotEmpty(t, ids)
	assert.EqualValues(t, 3, rowEvents.Load(), "the rows that need a person: failed, not found, rejected")
	require.NotNil(t, last.Exit)
	assert.Equal(t, 0, *last.Exit)
	assert.Equal(t, 5, last.Outcomes["ready"]+last.Outcomes["invalid"]-2, "the outcomes by row")
	for i := 1; i < len(ids); i++ {
		assert.Greater(t, ids[i], ids[i-1], "event ids increase")
	}
	// A client that saw all but the last event gets only the last one.
	_, again := waitDone(t, ts, ts.Token(), started.Run, strconv.Itoa(ids[len(ids)-2]))
	assert.Equal(t, ids[len(ids)-1:], again)
	// The companies ordered once each.
	for k, n := range ts.fake.OrderCounts() {
		assert.Equal(t, 1, n, "orders of %s", k)
	}
	// Downloads after the end.
	for _, path := range []string{"/api/runs/" + started.Run + "/results.xlsx", "/api/runs/" + started.Run + "/results.csv",
		"/api/books/" + p.ID + "/reports.zip"} {
		resp := ts.do(t, "GET", path, ts.Token(), nil, nil)
		resp.Body.Close()
		assert.Equal(t, http.StatusOK, resp.StatusCode, path)
	}
}
