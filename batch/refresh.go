package batch

import (
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
	"time"

	"golang.org/x/text/unicode/norm"

	"github.com/qccbatch/qccbatch/batch/input"
)

// Refresh is the back-book refresh of a run by risk rating and review
// date (--refresh-after with one age per rating, --due-column): which ready
// reports are ordered again. The zero Refresh leaves Config.RefreshAfter,
// one age for every company, as the only rule.
type Refresh struct {
	// Ratings are the ages per risk rating, in the order --refresh-after
	// lists them: the order ratings are refreshed in under --max-orders.
	Ratings []RatingAge
	// Default is the age of a rating not listed and of an empty rating
	// cell (`*=2y`); 0: none, such a rating stops the run (exit 2).
	Default time.Duration
	// DueWithin widens "due" for --due-column: a review date within this
	// of today is due now [0: today or earlier].
	DueWithin time.Duration
}

// RatingAge is one rating's refresh age.
type RatingAge struct {
	Label string // as the command line gave it, e.g. 高 or high
	Age   time.Duration
}

// DefaultReviewCycle is the review cycle of a --due-column date when no age
// applies to the company's rating.
const DefaultReviewCycle = 365 * 24 * time.Hour

// ParseRefreshAfter parses --refresh-after: one age ("365d", "1y", "720h")
// for every company, or one age per rating, "高=1y,中=2y,低=3y,*=2y". It
// returns the single age (0 for a mapping) and the mapping (zero for a
// single age).
func ParseRefreshAfter(s string) (time.Duration, Refresh, error) {
	s = strings.TrimSpace(s)
	if !strings.Contains(s, "=") {
		d, err := ParseAge(s)
		return d, Refresh{}, err
	}
	var rf Refresh
	seen := map[string]bool{}
	for part := range strings.SplitSeq(s, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		label, age, ok := strings.Cut(part, "=")
		label = strings.TrimSpace(label)
		if !ok || label == "" {
			return 0, Refresh{}, fmt.Errorf("--refresh-after %q: want RATING=AGE pairs, e.g. 高=1y,中=2y,低=3y,*=2y", s)
		}
		d, err := ParseAge(age)
		if err != nil {
			return 0, Refresh{}, fmt.Errorf("--refresh-after %s: %v", part, err)
		}
		if d <= 0 {
			return 0, Refresh{}, fmt.Errorf("--refresh-after %s: the age must be more than 0", part)
		}
		key := foldRating(label)
		if seen[key] {
			return 0, Refresh{}, fmt.Errorf("--refresh-after: rating %q is listed twice", label)
		}
		seen[key] = true
		if label == "*" {
			rf.Default = d
			continue
		}
		rf.Ratings = append(rf.Ratings, RatingAge{Label: label, Age: d})
	}
	if len(rf.Ratings) == 0 && rf.Default == 0 {
		return 0, Refresh{}, fmt.Errorf("--refresh-after %q: no rating", s)
	}
	return 0, rf, nil
}

// ParseAge parses an age: a Go duration, days ("365d", "30d12h") or years
// of 365 days ("1y", "2y"). An age in minutes alone ("18m", "1y6m") is
// refused: a desk writing it means months, and 18 minutes would order the
// whole book again (write 18m0s for minutes); so is an age too long to
// count in nanoseconds (it would wrap round to a short one).
func ParseAge(s string) (time.Duration, error) {
	s = strings.TrimSpace(s)
	whole := s
	bad := fmt.Errorf("invalid age %q (use e.g. 1y, 365d, 720h)", s)
	var total time.Duration
	for _, unit := range []struct {
		c byte
		d time.Duration
	}{{'y', 365 * 24 * time.Hour}, {'d', 24 * time.Hour}} {
		if i := strings.IndexByte(s, unit.c); i > 0 {
			n, err := strconv.Atoi(s[:i])
			if err != nil || n < 0 || int64(n) > int64(maxAge-total)/int64(unit.d) {
				return 0, bad
			}
			total += time.Duration(n) * unit.d
			s = s[i+1:]
		}
	}
	if s == "" {
		return total, nil
	}
	if minutesOnly.MatchString(s) {
		return 0, fmt.Errorf("invalid age %q: m is minutes, not months (write months as days, e.g. 540d for 18 months; minutes as 18m0s)", whole)
	}
	v, err := time.ParseDuration(s)
	if err != nil || v < 0 || v > maxAge-total {
		return 0, bad
	}
	return total + v, nil
}

// maxAge is the longest age a time.Duration holds (about 292 years).
const maxAge = time.Duration(math.MaxInt64)

// minutesOnly is a duration in minutes alone, "18m" or "1.5m": an age a
// desk means in months.
var minutesOnly = regexp.MustCompile(`^[0-9.]+m$`)

// active reports whether the refresh goes by rating or by review date
// rather than by the one age of Config.RefreshAfter.
func (rf Refresh) active() bool { return len(rf.Ratings) > 0 || rf.Default > 0 }

// Match returns the index in Ratings of the rating a cell holds: after
// trimming and width folding, ignoring case, the longest listed label the
// cell equals or starts with followed by 风险 / risk (高风险 is 高, 较高风险
// is 较高, never 高). ok is false for a cell no label covers; an empty cell
// is not covered either.
func (rf Refresh) Match(cell string) (int, bool) {
	c := foldRating(cell)
	if c == "" {
		return -1, false
	}
	best, bestLen := -1, 0
	for i, r := range rf.Ratings {
		l := foldRating(r.Label)
		if !strings.HasPrefix(c, l) || len(l) <= bestLen {
			continue
		}
		switch strings.TrimSpace(strings.TrimLeft(c[len(l):], " -_")) {
		case "", "风险", "risk", "风险等级", "风险客户":
			best, bestLen = i, len(l)
		}
	}
	return best, best >= 0
}

// foldRating is a rating as it is compared: NFKC (full-width letters and
// spaces folded), trimmed, lower case.
func foldRating(s string) string {
	return strings.ToLower(strings.TrimFunc(norm.NFKC.String(s), input.IsTrimmed))
}
