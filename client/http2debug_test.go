package client

import (
	"context"
	"encoding/pem"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestHTTP2DebugLogsNoToken: with GODEBUG=http2debug=2 (or 1), which an
// operator sets to debug a connection, net/http's HTTP/2 transport logs
// every request header value on stderr, the Token among them. The client
// then speaks HTTP/1.1: a process with that setting, calling an https API
// that offers HTTP/2, writes no Token on stderr. (The setting is read when
// net/http starts, so the call runs in a child process.)
func TestHTTP2DebugLogsNoToken(t *testing.T) {
	if url := os.Getenv("QCC_HTTP2DEBUG_CHILD_URL"); url != "" { // the child
		c, err := New(url+"/api/yj", "KEY-h2debug", "SECRET-h2debug")
		require.NoError(t, err)
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		defer cancel()
		_, err = c.CreateReport(ctx, "某科技有限公司", FormatPDF)
		require.NoError(t, err)
		return
	}
	for _, level := range []string{"http2debug=1", "http2debug=2"} {
		t.Run(level, func(t *testing.T) {
			var mu sync.Mutex
			var tokens, protos []string
			srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				mu.Lock()
				tokens = append(tokens, r.Header.Get("Token"))
				protos = append(protos, r.Proto)
				mu.Unlock()
				fmt.Fprint(w, `{"Status":"200","Message":"ok","Result":{"OrderNo":"O1"}}`)
			}))
			srv.EnableHTTP2 = true
			srv.StartTLS()
			defer srv.Close()
			ca := filepath.Join(t.TempDir(), "ca.pem")
			require.NoError(t, os.WriteFile(ca, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw}), 0o600))

			ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
			defer cancel()
			cmd := exec.CommandContext(ctx, os.Args[0], "-test.run=^TestHTTP2DebugLogsNoToken$", "-test.count=1")
			cmd.Env = append(os.Environ(), "QCC_HTTP2DEBUG_CHILD_URL="+srv.URL, "SSL_CERT_FILE="+ca, "GODEBUG="+level)
			out, err := cmd.CombinedOutput()
			require.NoError(t, err, "%s", out)
			mu.Lock()
			defer mu.Unlock()
			require.Len(t, tokens, 1, "the child called the API: %s", out)
			assert.NotContains(t, string(out), tokens[0], "the Token is on stderr")
			assert.NotContains(t, string(out), "SECRET-h2debug")
			assert.Equal(t, "HTTP/1.1", protos[0])
		})
	}
}
