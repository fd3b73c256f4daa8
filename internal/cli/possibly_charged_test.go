package cli

import (
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/xuri/excelize/v2"

	"github.com/qccbatch/qccbatch/batch/msg"
	"github.com/qccbatch/qccbatch/client/qcctest"
)

// TestOutage_OneCountOfPossiblyCharged (issue 18 item 10): an outage with
// eight requests in flight. The stop reason's "N orders uncertain", the
// summary's possibly_charged, the Summary sheet, `status` and the ledger's
// Invoice give one number, and it is what the fake API placed (each order
// it answered with a 502 page). Before, the stop reason counted only the
// requests answered when the breaker tripped.
func TestOutage_OneCountOfPossiblyCharged(t *testing.T) {
	t.Setenv("QCC_KEY", qcctest.DefaultKey)
	t.Setenv("QCC_SECRET_KEY", qcctest.DefaultSecret)
	srv := qcctest.New(t, qcctest.WithGenDelay(0), qcctest.WithLatency(20*time.Millisecond))
	in := namedBook(t, "故障已下单502企业", 60)
	// A healthy company first: its answer binds the new state file to the
	// key, after which orders go eight at a time (an unbound ledger sends
	// its orders one by one, and then no request is in flight at the trip).
	book, err := os.ReadFile(in)
	require.NoError(t, err)
	book = []byte(strings.Replace(string(book), "企业名称\n", "企业名称\n健康科技有限公司\n", 1))
	require.NoError(t, os.WriteFile(in, book, 0o600))
	out := filepath.Join(filepath.Dir(in), "r.xlsx")
	state := in + ".qccstate"
	code, stdout, line := runCLI(t, "run", in, "--lang", "en", "--base-url", srv.BaseURL(), "--qps", "0",
		"--concurrency", "8", "--poll-interval", "10ms", "--no-progress", "--log-format", "text", "-o", out)
	require.Equal(t, exitStopped, code, line)

	placed := srv.TotalOrders() - srv.Orders("健康科技有限公司")
	require.Equal(t, 1, srv.Orders("健康科技有限公司"))
	require.Greater(t, placed, 10, "the breaker trips at 10 of the last 20")
	m := regexp.MustCompile(`(\d+) orders uncertain`).FindStringSubmatch(line)
	require.NotNil(t, m, line)
	inReason, _ := strconv.Atoi(m[1])
	assert.Equal(t, placed, inReason, "the stop reason counts every uncertain request: %s", line)
	assert.Contains(t, stdout, "possibly_charged="+strconv.Itoa(placed)+" ", "the summary line")

	x, err := excelize.OpenFile(out)
	require.NoError(t, err)
	sheet, err := x.GetRows("Summary")
	require.NoError(t, err)
	_ = x.Close()
	facts := map[string]string{}
	for _, r := range sheet {
		if len(r) >= 2 {
			facts[r[0]] = r[1]
		}
	}
	assert.Equal(t, strconv.Itoa(placed), facts[msg.Text("en", msg.ResPossiblyCharged)], "the Summary sheet")
	assert.Contains(t, facts[msg.Text("en", msg.ResStopReason)], strconv.Itoa(placed)+" orders uncertain")
	assert.Equal(t, placed, statusOutcomes(t, state)["uncertain"], "status")

	ledger := filepath.Join(filepath.Dir(in), "ledger.xlsx")
	code, _, line = runCLI(t, "ledger", "-o", ledger, state)
	require.Equal(t, exitOK, code, line)
	x, err = excelize.OpenFile(ledger)
	require.NoError(t, err)
	defer x.Close()
	inv, err := x.GetRows("Invoice")
	require.NoError(t, err)
	require.Len(t, inv, 2, "one month, one format")
	assert.Equal(t, "possibly charged", inv[0][3])
	assert.Equal(t, strconv.Itoa(placed), inv[1][3], "the Invoice")
}
