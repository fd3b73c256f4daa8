package client

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// answerOrderNo answers CreateReport with Status 200 and OrderNo no (a JSON
// string).
func answerOrderNo(no string) http.HandlerFunc {
	if !utf8.ValidString(no) { // as sent: json.Marshal would replace the bytes
		return body(200, `{"Result":{"OrderNo":"`+no+`"},"Status":"200"}`)
	}
	b, _ := json.Marshal(map[string]any{"Result": map[string]string{"OrderNo": no}, "Status": "200"})
	return body(200, string(b))
}

// TestClient_OrderNoByteForByte: an OrderNo is returned exactly as sent
// (never trimmed or folded); one holding a control, format or separator
// character, or one too long to be an order number, is an ambiguous answer:
// an order was placed, but which one is unknown (issue 18 item 8).
func TestClient_OrderNoByteForByte(t *testing.T) {
	for _, no := range []string{"A1", "订单-2026/01", "@SUM(A1)", "=1+1", strings.Repeat("9", MaxOrderNoLen)} {
		t.Run("kept "+no, func(t *testing.T) {
			got, err := stub(t, answerOrderNo(no)).CreateReport(context.Background(), "某公司", FormatPDF)
			require.NoError(t, err)
			assert.Equal(t, no, got, "byte for byte")
		})
	}
	for _, no := range []string{" A1", "A1 ", "A1\n", "A\t1", "A\x001", "A\u200b1", "A\u00a01", "A\u20281", "\ufeffA1",
		"A\u202e1", "\u3000", "A\ufffd1", strings.Repeat("9", MaxOrderNoLen+1), "A\xff1"} {
		t.Run("refused "+strings.ToValidUTF8(no, "?"), func(t *testing.T) {
			got, err := stub(t, answerOrderNo(no)).CreateReport(context.Background(), "某公司", FormatPDF)
			assert.Empty(t, got)
			var te *TransportError
			require.ErrorAs(t, err, &te)
			assert.Equal(t, http.StatusOK, te.HTTPStatus)
			assert.True(t, IsAmbiguous(err), "an order was placed, but which? %v", err)
			assert.Equal(t, DecisionAmbiguous, OrderDecision(err))
		})
	}
}

// TestClient_ReportURLMustBeAnAddress: an S answer whose ReportUrl is empty,
// blank, invisible or not an absolute http(s) address is no ready report: an
// unusable answer, retried like any other (issue 18 item 8).
func TestClient_ReportURLMustBeAnAddress(t *testing.T) {
	for _, u := range []string{"", "   ", "\u200b", "null", "/reports/1.pdf", "javascript:alert(1)", "file:///etc/passwd",
		"https://", "https://host/a b.pdf", "https://host/a\x00.pdf", "ftp://host/1.pdf"} {
		t.Run(u, func(t *testing.T) {
			b, _ := json.Marshal(map[string]any{"Result": map[string]any{"ReportStatus": "S", "ReportUrl": u}, "Status": "200"})
			info, err := stub(t, body(200, string(b))).GetReportInfo(context.Background(), "A1")
			var te *TransportError
			require.ErrorAs(t, err, &te, "S with ReportUrl %q is no ready report", u)
			assert.Empty(t, info.Status)
			assert.Equal(t, ClassTransient, ClassOf(err))
		})
	}
	b := `{"Result":{"ReportStatus":"S","ReportUrl":"https://files.example/r/A1.pdf"},"Status":"200"}`
	info, err := stub(t, body(200, b)).GetReportInfo(context.Background(), "A1")
	require.NoError(t, err)
	assert.Equal(t, "https://files.example/r/A1.pdf", info.URL)
}

// TestClient_PlainHTTPDownload: a report URL is a bearer link, so a plain
// http one to a host that is not loopback (or a redirect to one) is not
// fetched, nothing is sent, unless WithPlainHTTPDownloads allows it
// (issue 18 item 8).
func TestClient_PlainHTTPDownload(t *testing.T) {
	const file = "%PDF-1.4 tiny"
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		if r.URL.Path == "/redirect.pdf" {
			http.Redirect(w, r, "http://reports.example.com/ok.pdf", http.StatusFound)
			return
		}
		_, _ = w.Write([]byte(file))
	}))
	defer srv.Close()
	// Every host name resolves to the test server, as a real DNS would to
	// the report host.
	addr := srv.Listener.Addr().String()
	dial := &net.Dialer{}
	tr := &http.Transport{DialContext: func(ctx context.Context, network, _ string) (net.Conn, error) {
		return dial.DialContext(ctx, network, addr)
	}}
	hc := &http.Client{Transport: tr}
	_, port, _ := net.SplitHostPort(addr)
	remote := "http://reports.example.com:" + port + "/ok.pdf"
	tests := []struct {
		name    string
		url     string
		allow   bool
		refused bool
		hits    int32
	}{
		{"remote http refused", remote, false, true, 0},
		{"remote http allowed", remote, true, false, 1},
		{"loopback http", srv.URL + "/ok.pdf", false, false, 1},
		{"redirect to remote http refused", srv.URL + "/redirect.pdf", false, true, 1},
		{"redirect to remote http allowed", srv.URL + "/redirect.pdf", true, false, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			hits.Store(0)
			c, err := New("", "key-123456", "secret-123456", WithHTTPClient(hc), WithPlainHTTPDownloads(tt.allow))
			require.NoError(t, err)
			var buf bytes.Buffer
			_, err = c.Download(context.Background(), tt.url, &buf, 0)
			if tt.refused {
				require.Error(t, err)
				assert.True(t, errors.Is(err, ErrPlainHTTPDownload), "%v", err)
				var pe *PlainHTTPError
				require.ErrorAs(t, err, &pe)
				assert.Equal(t, "reports.example.com", strings.Split(pe.Host, ":")[0])
				assert.Equal(t, ClassFatal, ClassOf(err), "refused, not retried")
				assert.NotContains(t, err.Error(), "/ok.pdf", "the bearer link's path stays out of the error")
				assert.Empty(t, buf.String())
			} else {
				require.NoError(t, err)
				assert.Equal(t, file, buf.String())
			}
			assert.Equal(t, tt.hits, hits.Load(), "requests the server saw")
		})
	}
}
