package cli

import (
	"bytes"
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/qccbatch/qccbatch/batch"
	"github.com/qccbatch/qccbatch/client"
	"github.com/qccbatch/qccbatch/client/qcctest"
)

// TestStartConfirmed_PlanChangedAsksAgain: the person confirmed 150
// orders, and another run ordered 20 of them while the prompt waited: the
// run does not start on the old answer, it says the plan changed and asks
// about the 130 left; every company is ordered once in all.
func TestStartConfirmed_PlanChangedAsksAgain(t *testing.T) {
	srv := qcctest.New(t, qcctest.WithGenDelay(0))
	in := writePortfolio(t, 150)
	cfg := batch.Config{Input: in, Output: filepath.Join(filepath.Dir(in), "r.csv"), State: in + ".qccstate", Lang: "en",
		PollInterval: time.Millisecond, PollMax: 5 * time.Millisecond}
	c, err := client.New(srv.BaseURL(), qcctest.DefaultKey, qcctest.DefaultSecret)
	require.NoError(t, err)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()

	var asked []int
	ask := func(orders int, _ float64) bool {
		asked = append(asked, orders)
		if len(asked) == 1 { // another run orders 20 while the prompt waits
			other := cfg
			other.MaxOrders = 20
			_, err := batch.Run(ctx, c, other)
			require.Error(t, err) // incomplete: --max-orders
		}
		return true
	}
	var errw bytes.Buffer
	h, err := startConfirmed(ctx, c, cfg, ask, &errw)
	require.NoError(t, err)
	_, err = h.Wait()
	require.NoError(t, err)
	assert.Equal(t, []int{150, 130}, asked, "asked again about the plan found")
	assert.Contains(t, errw.String(), "the plan changed since it was confirmed: 130 new orders now, 150 confirmed")
	assert.Equal(t, 150, srv.TotalOrders())
	for name, n := range srv.OrderCounts() {
		assert.Equal(t, 1, n, name)
	}
}
