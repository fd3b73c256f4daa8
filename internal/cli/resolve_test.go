package cli

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/qccbatch/qccbatch/client/qcctest"
)

// TestResolve_RefusalsExit2 runs resolve's refusals through the command
// line: each exits 2 with one line naming what is wrong, and changes
// nothing; an order number given by hand is checked with the API named by
// --base-url and the run's credentials.
func TestResolve_RefusalsExit2(t *testing.T) {
	srv := qcctest.New(t, qcctest.WithGenDelay(0))
	dir := t.TempDir()
	in := filepath.Join(dir, "book.csv")
	names := []string{"掉线科技有限公司一", "正常科技有限公司二"}
	require.NoError(t, os.WriteFile(in, []byte("企业名称\n"+strings.Join(names, "\n")+"\n"), 0o600))
	state := in + ".qccstate"
	t.Setenv("QCC_KEY", "sandbox")
	t.Setenv("QCC_SECRET_KEY", "sandbox")
	code, out, line := runCLI(t, "run", in, "--lang", "en", "--base-url", srv.BaseURL(), "--qps", "0", "--poll-interval", "20ms", "--quiet", "-o", filepath.Join(dir, "r.csv"))
	require.Equal(t, exitPerson, code, out+line)
	require.Len(t, srv.OrderList(), 2)
	var placed [2]qcctest.PlacedOrder // by company, as in names
	for _, o := range srv.OrderList() {
		placed[slices.Index(names, o.SearchKey)] = o
	}
	before, err := os.ReadFile(state)
	require.NoError(t, err)

	list := filepath.Join(dir, "orders.csv")
	dup := []qcctest.PlacedOrder{placed[0], placed[0]}
	dup[1].SearchKey = "正常科技有限公司二"
	writeVendorList(t, list, dup)
	for _, tt := range []struct {
		name  string
		args  []string
		wants []string
	}{
		{"one number, two companies", []string{"--orders", list, "--apply"}, []string{"one order number to two companies", "rows 2, 3"}},
		{"another company's number", []string{"--key", "掉线科技有限公司一", "--order-no", placed[1].OrderNo, "--apply", "--base-url", srv.BaseURL()}, []string{"belongs to 正常科技有限公司二"}},
		{"unknown to the API", []string{"--key", "掉线科技有限公司一", "--order-no", "QCC0001", "--apply", "--base-url", srv.BaseURL()}, []string{"the API does not know order QCC0001"}},
		{"bad --orders-tz", []string{"--orders", list, "--orders-tz", "+25:00"}, []string{"--orders-tz"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			code, _, line := runCLI(t, append(append([]string{"resolve", "--lang", "en"}, tt.args...), state)...)
			assert.Equal(t, exitUsage, code, line)
			assert.NotContains(t, line, "\n")
			for _, w := range tt.wants {
				assert.Contains(t, line, w)
			}
			after, err := os.ReadFile(state)
			require.NoError(t, err)
			assert.Equal(t, string(before), string(after), "nothing changed")
		})
	}

	// The right number is accepted, and the resolution undone.
	code, out, line = runCLI(t, "resolve", "--lang", "en", "--key", "掉线科技有限公司一", "--order-no", placed[0].OrderNo, "--apply", "--base-url", srv.BaseURL(), state)
	require.Equal(t, exitOK, code, line)
	assert.Contains(t, out, "became pending with order "+placed[0].OrderNo)
	code, out, line = runCLI(t, "resolve", "--lang", "en", "--key", "掉线科技有限公司一", "--not-ordered", "--apply", state)
	require.Equal(t, exitOK, code, line)
	assert.Contains(t, out, "undoes the resolution")
}
