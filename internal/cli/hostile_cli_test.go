package cli

import (
	"net/http"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/qccbatch/qccbatch/client/qcctest"
)

// TestRun_DayLongRetryAfterExits3: `run --timeout 20s` against an API that
// answers 429 with Retry-After: 86400 ends within seconds (it was held for
// over two minutes), exits 3 and names the Retry-After; nothing ordered
// (issue 18 item 8).
func TestRun_DayLongRetryAfterExits3(t *testing.T) {
	srv := qcctest.New(t, qcctest.WithGenDelay(0))
	srv.SetHTTPFault(http.StatusTooManyRequests, 86400*time.Second)
	dir := t.TempDir()
	in := filepath.Join(dir, "book.csv")
	require.NoError(t, os.WriteFile(in, []byte("企业名称\n甲科技有限公司\n乙科技有限公司\n"), 0o600))
	t.Setenv("QCC_KEY", "sandbox")
	t.Setenv("QCC_SECRET_KEY", "sandbox")
	start := time.Now()
	code, out := runCLIFor(t, 60*time.Second, "run", in, "--lang", "en", "--base-url", srv.BaseURL(), "--timeout", "20s", "--quiet",
		"-o", filepath.Join(dir, "r.csv"))
	assert.Less(t, time.Since(start), 10*time.Second, "the run ends within seconds")
	assert.Equal(t, exitStopped, code, out)
	assert.Contains(t, out, "Retry-After")
	assert.Zero(t, srv.TotalOrders())
}
