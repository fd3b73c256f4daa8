package qcctest

import (
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// genTimes returns the generation times of n orders placed a millisecond
// apart on a server with opts.
func genTimes(n int, opts ...Option) []time.Duration {
	s := NewUnstartedServer(opts...)
	at := time.UnixMilli(1700000000000)
	out := make([]time.Duration, n)
	for i := range out {
		out[i] = s.genTime(order{at: at.Add(time.Duration(i) * time.Millisecond), format: 1, seq: uint64(i + 1)})
	}
	return out
}

// quantile returns the q-quantile of ds (sorted in place).
func quantile(ds []time.Duration, q float64) time.Duration {
	slices.Sort(ds)
	return ds[int(q*float64(len(ds)-1))]
}

func TestGenTime(t *testing.T) {
	const n = 4000
	median := 20 * time.Second
	tests := []struct {
		name       string
		opts       []Option
		wantMedian time.Duration
		wantQ84    time.Duration // median·e^σ for a lognormal
		wantMax    time.Duration
	}{
		{"fixed", []Option{WithGenDelay(3 * time.Second)}, 3 * time.Second, 3 * time.Second, 3 * time.Second},
		{"fixed, capped", []Option{WithGenDelay(3 * time.Second), WithGenMax(time.Second)}, time.Second, time.Second, time.Second},
		{"lognormal", []Option{WithGenDist(GenLognormal), WithGenMedian(median), WithGenSigma(0.75)},
			median, time.Duration(float64(median) * math.Exp(0.75)), 0},
		{"lognormal, median from the delay", []Option{WithGenDist(GenLognormal), WithGenDelay(median)},
			median, time.Duration(float64(median) * math.Exp(DefaultGenSigma)), 0},
		{"lognormal, capped", []Option{WithGenDist(GenLognormal), WithGenMedian(median), WithGenSigma(0.75), WithGenMax(3 * time.Minute)},
			median, time.Duration(float64(median) * math.Exp(0.75)), 3 * time.Minute},
		{"lognormal, sigma 0", []Option{WithGenDist(GenLognormal), WithGenMedian(median), WithGenSigma(0)}, median, median, median},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ds := genTimes(n, tt.opts...)
			assert.InEpsilon(t, float64(tt.wantMedian), float64(quantile(ds, 0.5)), 0.05, "median")
			assert.InEpsilon(t, float64(tt.wantQ84), float64(quantile(ds, 0.8413)), 0.08, "84th percentile")
			if tt.wantMax > 0 {
				assert.Equal(t, tt.wantMax, slices.Max(ds), "the cap")
			}
			assert.Positive(t, slices.Min(ds))
		})
	}
}

func TestGenTime_Deterministic(t *testing.T) {
	opts := []Option{WithGenDist(GenLognormal), WithGenMedian(20 * time.Second)}
	a := genTimes(200, append(opts, WithSeed(5))...)
	b := genTimes(200, append(opts, WithSeed(5))...)
	c := genTimes(200, append(opts, WithSeed(6))...)
	assert.Equal(t, a, b, "same seed, different times")
	assert.NotEqual(t, a, c, "different seeds, same times")
}

func TestParseGenDist(t *testing.T) {
	tests := []struct {
		in      string
		want    GenDist
		wantErr bool
	}{
		{"fixed", GenFixed, false},
		{" LogNormal ", GenLognormal, false},
		{"normal", 0, true},
		{"", 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseGenDist(tt.in)
			if tt.wantErr {
				require.Error(t, err)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
			assert.Equal(t, strings.ToLower(strings.TrimSpace(tt.in)), got.String())
		})
	}
	assert.Equal(t, "GenDist(9)", GenDist(9).String())
}
