package pollsched_test

import (
	"math"
	"math/rand/v2"
	"time"
)

// lognormal is the generation-time distribution of issue 15 and of the
// sandbox's --gen-dist lognormal: median, sigma, capped at max.
type lognormal struct {
	median time.Duration
	sigma  float64
	max    time.Duration
}

var issue15 = lognormal{median: 20 * time.Second, sigma: 0.75, max: 180 * time.Second}

func (d lognormal) sample(r *rand.Rand) time.Duration {
	x := float64(d.median) * math.Exp(d.sigma*r.NormFloat64())
	return time.Duration(min(x, float64(d.max)))
}

// survival is the true P(T > t).
func (d lognormal) survival(t time.Duration) float64 {
	if t >= d.max {
		return 0
	}
	if t <= 0 {
		return 1
	}
	z := math.Log(float64(t)/float64(d.median)) / d.sigma
	return 0.5 * math.Erfc(z/math.Sqrt2)
}

// quantile is the true p-quantile (below the cap).
func (d lognormal) quantile(p float64) time.Duration {
	z := math.Sqrt2 * math.Erfinv(2*p-1)
	return min(time.Duration(float64(d.median)*math.Exp(d.sigma*z)), d.max)
}

// quantileAfter is the true least t with P(T <= t | T > age) >= q.
func (d lognormal) quantileAfter(age time.Duration, q float64) time.Duration {
	return d.quantile(1 - (1-q)*d.survival(age))
}
