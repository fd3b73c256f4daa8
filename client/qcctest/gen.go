package qcctest

import (
	"fmt"
	"math"
	"strings"
	"time"
)

// GenDist is the distribution the sandbox draws report generation times
// from.
type GenDist int

// The generation-time distributions.
const (
	// GenFixed: every report takes the generation delay (WithGenDelay).
	GenFixed GenDist = iota
	// GenLognormal: generation times are lognormal with the median of
	// WithGenMedian and the sigma of WithGenSigma, as real ones vary: most
	// reports are quick, a few take many times the median.
	GenLognormal
	// GenBimodal: a share of reports (WithGenSlowShare) is slow, the rest
	// fast; each part is lognormal with the sigma of WithGenSigma, the fast
	// one of median WithGenMedian, the slow one of median WithGenSlowMedian.
	GenBimodal
	// GenExponential: generation times are exponential (memoryless) with
	// the median of WithGenMedian.
	GenExponential
)

// Defaults of the slow part of GenBimodal.
const (
	DefaultGenSlowShare     = 0.3
	DefaultGenSlowPerMedian = 9 // the slow median, in fast medians
)

// DefaultGenSigma is the sigma of the lognormal generation time, the
// spread measured on the real API.
const DefaultGenSigma = 0.75

// String returns the name ParseGenDist accepts: "fixed", "lognormal",
// "bimodal" or "exponential".
func (d GenDist) String() string {
	switch d {
	case GenFixed:
		return "fixed"
	case GenLognormal:
		return "lognormal"
	case GenBimodal:
		return "bimodal"
	case GenExponential:
		return "exponential"
	}
	return fmt.Sprintf("GenDist(%d)", int(d))
}

// ParseGenDist parses a --gen-dist value: "fixed", "lognormal", "bimodal"
// or "exponential" (any case).
func ParseGenDist(s string) (GenDist, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "fixed":
		return GenFixed, nil
	case "lognormal":
		return GenLognormal, nil
	case "bimodal":
		return GenBimodal, nil
	case "exponential":
		return GenExponential, nil
	}
	return 0, fmt.Errorf("unknown generation-time distribution %q (want fixed, lognormal, bimodal or exponential)", s)
}

// WithGenDist sets the distribution of report generation times [GenFixed].
// The time of each order is drawn from the seed (WithSeed) and the order
// number, so a run is repeatable and a restarted sandbox with the same
// options answers the same for earlier orders.
func WithGenDist(d GenDist) Option { return func(s *Server) { s.gen.dist = d } }

// WithGenMedian sets the median generation time of GenLognormal and
// GenExponential, and of the fast part of GenBimodal [the generation delay
// of WithGenDelay].
func WithGenMedian(d time.Duration) Option { return func(s *Server) { s.gen.median = max(d, 0) } }

// WithGenSigma sets the sigma (the standard deviation of the logarithm) of
// GenLognormal and of both parts of GenBimodal [DefaultGenSigma]; 0 makes
// every time the median.
func WithGenSigma(f float64) Option { return func(s *Server) { s.gen.sigma = max(f, 0) } }

// WithGenSlowMedian sets the median of the slow part of GenBimodal
// [DefaultGenSlowPerMedian times the fast median].
func WithGenSlowMedian(d time.Duration) Option {
	return func(s *Server) { s.gen.slowMedian = max(d, 0) }
}

// WithGenSlowShare sets the share (0 to 1) of slow reports of GenBimodal
// [DefaultGenSlowShare].
func WithGenSlowShare(f float64) Option {
	return func(s *Server) { s.gen.slowShare = min(max(f, 0), 1); s.gen.slowShareSet = true }
}

// WithGenMax caps every generation time at d; 0 = no cap [0].
func WithGenMax(d time.Duration) Option { return func(s *Server) { s.gen.max = max(d, 0) } }

// genModel is the generation-time distribution of a server.
type genModel struct {
	dist   GenDist
	median time.Duration // 0 = the server's genDelay
	sigma  float64
	max    time.Duration // 0 = no cap

	slowMedian   time.Duration // GenBimodal; 0 = DefaultGenSlowPerMedian × median
	slowShare    float64       // GenBimodal, when slowShareSet
	slowShareSet bool
}

// genTime returns how long the report of o takes to generate. It depends
// only on the options, the seed and the order number.
func (s *Server) genTime(o order) time.Duration {
	d := s.genDelay
	median := s.gen.median
	if median == 0 {
		median = s.genDelay
	}
	u := unitHash(uint64(s.seed), o.seq, uint64(o.at.UnixMilli()))
	lognormal := func(median time.Duration, u float64) time.Duration {
		z := math.Sqrt2 * math.Erfinv(2*u-1)
		return time.Duration(math.Min(float64(median)*math.Exp(s.gen.sigma*z), math.MaxInt64/2))
	}
	switch s.gen.dist {
	case GenLognormal:
		d = lognormal(median, u)
	case GenBimodal:
		share, slow := DefaultGenSlowShare, s.gen.slowMedian
		if s.gen.slowShareSet {
			share = s.gen.slowShare
		}
		if slow == 0 {
			slow = DefaultGenSlowPerMedian * median
		}
		if unitHash(uint64(s.seed), o.seq, uint64(o.at.UnixMilli()), 1) < share {
			median = slow
		}
		d = lognormal(median, u)
	case GenExponential: // median·log2(1/u): P(T > median) = 1/2
		d = time.Duration(math.Min(float64(median)*math.Log2(1/u), math.MaxInt64/2))
	}
	if s.gen.max > 0 {
		d = min(d, s.gen.max)
	}
	return d
}

// unitHash maps its arguments to a number in the open interval (0, 1),
// spread evenly (splitmix64 finalisers).
func unitHash(xs ...uint64) float64 {
	h := uint64(0x9e3779b97f4a7c15)
	for _, x := range xs {
		h ^= x
		h += 0x9e3779b97f4a7c15
		h = (h ^ (h >> 30)) * 0xbf58476d1ce4e5b9
		h = (h ^ (h >> 27)) * 0x94d049bb133111eb
		h ^= h >> 31
	}
	return (float64(h>>11) + 0.5) / (1 << 53)
}
