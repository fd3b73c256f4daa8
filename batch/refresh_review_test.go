package batch_test

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestRefresh_TotalsRowWithoutRating: a sheet as a desk keeps it, with a
// 合计 row and a blank row-note at the bottom whose rating cell is empty:
// those rows are not customers (nothing is ordered for them), so their
// missing rating does not stop the refresh; a customer's blank rating
// still does.
func TestRefresh_TotalsRowWithoutRating(t *testing.T) {
	e := newEnv(t, companyNames(3))
	var b strings.Builder
	b.WriteString("客户编号,企业名称,风险等级\r\n")
	for i, n := range e.names {
		fmt.Fprintf(&b, "C%04d,%s,高\r\n", i+1, n)
	}
	b.WriteString(",合计,\r\n")
	require.NoError(t, os.WriteFile(e.cfg.Input, []byte(b.String()), 0o600))
	e.cfg.Now = shifted(-30 * time.Minute)
	_, err := e.run(context.Background(), nil)
	require.NoError(t, err)
	require.Equal(t, 3, e.srv.TotalOrders())

	e.cfg.Now = time.Now
	e.cfg.Refresh = ratingAges(t, "高=1s,低=1d")
	_, err = e.run(context.Background(), nil)
	require.NoError(t, err, "the 合计 row has no rating and is no customer")
	assert.Equal(t, 6, e.srv.TotalOrders(), "the 3 高 customers refreshed, each once")
}
