package cli

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/qccbatch/qccbatch/client/qcctest"
)

// namedBook writes a CSV of n companies named prefix0001, prefix0002, ...
func namedBook(t *testing.T, prefix string, n int) string {
	t.Helper()
	var b strings.Builder
	b.WriteString("企业名称\n")
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&b, "%s%04d\n", prefix, i)
	}
	p := filepath.Join(t.TempDir(), "book.csv")
	require.NoError(t, os.WriteFile(p, []byte(b.String()), 0o600))
	return p
}

// statusOutcomes returns `status --json`'s outcomes of state.
func statusOutcomes(t *testing.T, state string) map[string]int {
	t.Helper()
	code, out, line := runCLI(t, "status", "--json", state)
	require.Equal(t, 0, code, line)
	var st struct {
		Outcomes map[string]int `json:"outcomes"`
	}
	require.NoError(t, json.Unmarshal([]byte(out), &st), out)
	return st.Outcomes
}

// TestExit_AccountCodesExit6 (issue 18 item 2): every account code, and a
// code the API document does not list, exits 6 ("the key or the account
// needs a person"), which schedulers alert on; quota codes and the outage
// breaker keep exit 3 ("rerun later"). Through the root command against the
// fake API, whose counts show that an account stop sends nothing more.
func TestExit_AccountCodesExit6(t *testing.T) {
	t.Setenv("QCC_KEY", qcctest.DefaultKey)
	t.Setenv("QCC_SECRET_KEY", qcctest.DefaultSecret)
	type tc struct {
		name  string
		code  int           // SetFatal code; 0 = none
		skew  time.Duration // the fake's clock offset: 115 comes after the clock retry
		names string        // the companies' name prefix
		want  int
	}
	var tests []tc
	for _, c := range []int{101, 102, 103, 104, 105, 106, 107, 108, 111, 113, 114, 115, 117, 118, 119, 121, 214, 223} {
		tests = append(tests, tc{name: fmt.Sprintf("account %d", c), code: c, names: "账户测试企业", want: exitAccount})
	}
	tests = append(tests,
		tc{name: "115 after the clock retry", code: 115, skew: 10 * time.Minute, names: "时钟测试企业", want: exitAccount},
		tc{name: "unknown code 777", code: 777, names: "未知码测试企业", want: exitAccount},
		tc{name: "quota 109", code: 109, names: "配额测试企业", want: exitStopped},
		tc{name: "quota 112", code: 112, names: "配额测试企业", want: exitStopped},
		tc{name: "quota 116", code: 116, names: "配额测试企业", want: exitStopped},
		tc{name: "outage", names: "故障已下单502企业", want: exitStopped},
	)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := qcctest.New(t, qcctest.WithGenDelay(0), qcctest.WithClockOffset(tt.skew))
			srv.SetFatal(tt.code)
			in := namedBook(t, tt.names, 30)
			code, _, line := runCLI(t, "run", in, "--lang", "en", "--base-url", srv.BaseURL(), "--qps", "0",
				"--concurrency", "1", "--poll-interval", "10ms", "--quiet", "-o", filepath.Join(filepath.Dir(in), "r.csv"))
			assert.Equal(t, tt.want, code, line)
			assert.NotContains(t, line, "\n", "one line")
			creates, _, _ := srv.Requests()
			switch tt.want {
			case exitAccount:
				assert.Contains(t, line, fmt.Sprintf("API %d", tt.code), "the line names the code")
				assert.Contains(t, line, "needs a person")
				assert.Zero(t, srv.TotalOrders(), "the fake placed nothing")
				maxCreates := 1
				if tt.skew != 0 {
					maxCreates = 2 // the first answer's 115 is retried once with the API's time
				}
				assert.LessOrEqual(t, creates, maxCreates, "nothing more is sent after an account stop")
			case exitStopped:
				assert.Contains(t, line, "later", "rerun later")
			}
		})
	}
}
