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
		{"bimodal", GenBimodal, false},
		{"Exponential", GenExponential, false},
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

// TestGenTime_BimodalExponential: the distributions of issue 22's
// benchmark: a bimodal of 70 % ~10 s and 30 % ~90 s, an exponential of
// median 20 s, both capped.
func TestGenTime_BimodalExponential(t *testing.T) {
	const n = 6000
	bi := genTimes(n, WithGenDist(GenBimodal), WithGenMedian(10*time.Second), WithGenSlowMedian(90*time.Second),
		WithGenSlowShare(0.3), WithGenSigma(0.3), WithGenMax(180*time.Second))
	slow := 0
	for _, d := range bi {
		if d > 30*time.Second { // between the modes: e^(ln 3/0.3) sigmas from either
			slow++
		}
	}
	assert.InDelta(t, 0.3, float64(slow)/n, 0.02, "share of slow reports")
	assert.InEpsilon(t, float64(10*time.Second), float64(quantile(bi, 0.35)), 0.06, "median of the fast part")
	assert.InEpsilon(t, float64(90*time.Second), float64(quantile(bi, 0.85)), 0.06, "median of the slow part")
	assert.LessOrEqual(t, slices.Max(bi), 180*time.Second)

	def := genTimes(n, WithGenDist(GenBimodal), WithGenMedian(10*time.Second), WithGenSigma(0))
	assert.Equal(t, 90*time.Second, slices.Max(def), "slow median defaults to 9 × the median")

	ex := genTimes(n, WithGenDist(GenExponential), WithGenMedian(20*time.Second))
	assert.InEpsilon(t, float64(20*time.Second), float64(quantile(ex, 0.5)), 0.05, "median")
	assert.InEpsilon(t, float64(40*time.Second), float64(quantile(ex, 0.75)), 0.06, "memoryless: the 75th percentile is twice the median")
	assert.Positive(t, slices.Min(ex))
}
