package qcctest_test

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/qccbatch/qccbatch/client/qcctest"
)

func TestPDF_Valid(t *testing.T) {
	pdf := qcctest.PDF("SBX1700000000123100000000042")
	require.True(t, bytes.HasPrefix(pdf, []byte("%PDF-1.4\n")), "no PDF header: %q", pdf)
	require.True(t, bytes.HasSuffix(pdf, []byte("%%EOF\n")), "no PDF trailer: %q", pdf)
	m := regexp.MustCompile(`startxref\n(\d+)\n%%EOF\n$`).FindSubmatch(pdf)
	require.NotNil(t, m, "no startxref")
	xref, err := strconv.Atoi(string(m[1]))
	require.NoError(t, err)
	require.True(t, bytes.HasPrefix(pdf[xref:], []byte("xref\n0 6\n")), "startxref %d does not point at the xref table", xref)
	entries := strings.Split(string(pdf[xref:]), "\n")[3:8]
	for i, e := range entries {
		assert.Len(t, e+"\n", 20, "xref entry %q: every entry is 20 bytes with its end of line", e)
		off, err := strconv.Atoi(e[:10])
		require.NoError(t, err)
		want := fmt.Sprintf("%d 0 obj\n", i+1)
		assert.True(t, bytes.HasPrefix(pdf[off:], []byte(want)), "xref entry %d points at %q, want %q", i+1, pdf[off:off+8], want)
	}
	ix := regexp.MustCompile(`/Length (\d+) >>\nstream\n`).FindSubmatchIndex(pdf)
	require.NotNil(t, ix, "no stream")
	n, err := strconv.Atoi(string(pdf[ix[2]:ix[3]]))
	require.NoError(t, err)
	assert.True(t, bytes.HasPrefix(pdf[ix[1]+n:], []byte("\nendstream")), "stream /Length is wrong")
}

func TestDOCX_Valid(t *testing.T) {
	doc := qcctest.DOCX("SBX1700000000123200000000042")
	zr, err := zip.NewReader(bytes.NewReader(doc), int64(len(doc)))
	require.NoError(t, err)
	var names []string
	for _, f := range zr.File {
		names = append(names, f.Name)
		rc, err := f.Open()
		require.NoError(t, err)
		d := xml.NewDecoder(rc)
		for {
			_, err := d.Token()
			if err == io.EOF {
				break
			}
			require.NoError(t, err, "%s is not well-formed XML", f.Name)
		}
		rc.Close()
	}
	assert.ElementsMatch(t, []string{"[Content_Types].xml", "_rels/.rels", "word/document.xml"}, names)
}

// get sends a signed request for key/secret sandbox at the server's clock.
func get(t *testing.T, srv *qcctest.Server, method, op string, q url.Values, now time.Time) (int, string) {
	t.Helper()
	q.Set("key", "sandbox")
	req, err := http.NewRequest(method, srv.BaseURL()+"/ReportBaseId/"+op+"?"+q.Encode(), nil)
	if err != nil { // no require: get runs in other goroutines too
		return 0, err.Error()
	}
	ts := strconv.FormatInt(now.Unix(), 10)
	req.Header.Set("Timespan", ts)
	req.Header.Set("Token", fmt.Sprintf("%X", md5sum("sandbox"+ts+"sandbox")))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, err.Error()
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return 0, err.Error()
	}
	return resp.StatusCode, string(b)
}

func TestServer_Protocol(t *testing.T) {
	clock := qcctest.NewClock(time.Unix(1700000000, 0))
	srv := qcctest.New(t, qcctest.WithClock(clock.Now))
	tests := []struct {
		name   string
		method string
		op     string
		q      url.Values
		want   string
	}{
		{"create by GET", http.MethodGet, "CreateReport", url.Values{"searchKey": {"某公司"}}, `"Status":"118"`},
		{"poll by POST", http.MethodPost, "GetReportInfo", url.Values{"orderNo": {"x"}}, `"Status":"118"`},
		{"no search key", http.MethodPost, "CreateReport", url.Values{}, `"Status":"202"`},
		{"bad format", http.MethodPost, "CreateReport", url.Values{"searchKey": {"某公司"}, "reportFormat": {"3"}}, `"Status":"202"`},
		{"word", http.MethodPost, "CreateReport", url.Values{"searchKey": {"某公司"}, "reportFormat": {"2"}}, `"Status":"200"`},
		{"unknown order", http.MethodGet, "GetReportInfo", url.Values{"orderNo": {"SBX1"}}, `"Status":"201"`},
		{"no order number", http.MethodGet, "GetReportInfo", url.Values{}, `"Status":"202"`},
		{"old order of another instance", http.MethodGet, "GetReportInfo",
			url.Values{"orderNo": {"SBX160000000000010000000001"}}, `"ReportStatus":"S"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, body := get(t, srv, tt.method, tt.op, tt.q, clock.Now())
			assert.Equal(t, http.StatusOK, code, body)
			assert.Contains(t, body, tt.want)
		})
	}
}

func TestServer_Quota(t *testing.T) {
	now := time.Now()
	srv := qcctest.New(t)
	srv.SetQuota(2)
	var got []string
	for i := range 3 {
		_, body := get(t, srv, http.MethodPost, "CreateReport", url.Values{"searchKey": {fmt.Sprint("公司", i)}}, now)
		got = append(got, body[strings.Index(body, `"Status"`):][:14])
	}
	srv.SetQuota(-1)
	_, body := get(t, srv, http.MethodPost, "CreateReport", url.Values{"searchKey": {"公司"}}, now)
	got = append(got, body[strings.Index(body, `"Status"`):][:14])
	assert.Equal(t, []string{`"Status":"200"`, `"Status":"200"`, `"Status":"112"`, `"Status":"200"`}, got)
	assert.Equal(t, 3, srv.TotalOrders())
	assert.Equal(t, map[string]int{"公司0": 1, "公司1": 1, "公司": 1}, srv.OrderCounts())
}

// TestServer_FaultsDeterministic checks that a seed fixes which answers the
// error and drop rates replace.
func TestServer_FaultsDeterministic(t *testing.T) {
	run := func(seed int64) string {
		srv := qcctest.New(t, qcctest.WithSeed(seed), qcctest.WithErrorRate(0.3), qcctest.WithDropRate(0.3))
		var b strings.Builder
		for i := range 40 {
			code, body := get(t, srv, http.MethodPost, "CreateReport", url.Values{"searchKey": {fmt.Sprint("公司", i)}}, time.Now())
			switch {
			case code == 502:
				b.WriteByte('E')
			case code == 200 && strings.Contains(body, `"Status":"200"`):
				b.WriteByte('.')
			default:
				b.WriteByte('D') // dropped: no HTTP answer
			}
		}
		return b.String()
	}
	a, b, c := run(7), run(7), run(8)
	assert.Equal(t, a, b, "same seed, different faults")
	assert.NotEqual(t, a, c, "different seeds, same faults")
	for _, want := range []string{"E", "D", "."} {
		assert.Contains(t, a, want, "want errors (E), drops (D) and successes (.)")
	}
}

func TestServer_Concurrent(t *testing.T) {
	srv := qcctest.New(t)
	var wg sync.WaitGroup
	for w := range 8 {
		wg.Go(func() {
			for i := range 50 {
				get(t, srv, http.MethodPost, "CreateReport", url.Values{"searchKey": {fmt.Sprint("公司", i%10)}}, time.Now())
				get(t, srv, http.MethodGet, "GetReportInfo", url.Values{"orderNo": {fmt.Sprint("SBX", w)}}, time.Now())
			}
		})
	}
	wg.Wait()
	assert.Equal(t, 400, srv.TotalOrders())
	assert.Equal(t, 40, srv.Orders("公司3"))
	c, p, _ := srv.Requests()
	assert.Equal(t, 400, c, "CreateReport requests")
	assert.Equal(t, 400, p, "GetReportInfo requests")
}

func TestNewServer_Listens(t *testing.T) {
	srv := qcctest.NewServer()
	t.Cleanup(func() { _ = srv.Close() })
	u, err := url.Parse(srv.URL())
	require.NoError(t, err)
	assert.True(t, u.Hostname() == "127.0.0.1" || u.Hostname() == "::1", "host %s is not loopback", u.Host)
	code, body := get(t, srv, http.MethodPost, "CreateReport", url.Values{"searchKey": {"某公司"}}, time.Now())
	assert.Equal(t, http.StatusOK, code)
	assert.Contains(t, body, `"Status":"200"`)
	assert.Equal(t, 1, srv.TotalOrders())
	require.NoError(t, srv.Close())
}

func TestNewUnstartedServer_NotListening(t *testing.T) {
	srv := qcctest.NewUnstartedServer()
	assert.Empty(t, srv.URL(), "an unstarted server has no URL")
	require.NoError(t, srv.Close(), "closing an unstarted server")
	require.NoError(t, srv.Start("127.0.0.1:0"))
	t.Cleanup(func() { _ = srv.Close() })
	assert.True(t, strings.HasPrefix(srv.URL(), "http://127.0.0.1:"), "URL %q", srv.URL())
	assert.Error(t, srv.Start("127.0.0.1:0"), "a second Start")
}
