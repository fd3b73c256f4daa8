package cli

import (
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"
)

// checkLang refuses a --lang other than zh or en (exit 2).
func checkLang(lang string) error {
	if lang != "zh" && lang != "en" {
		return usagef("--lang must be zh or en, not %q", lang)
	}
	return nil
}

// durationValue is a flag value that accepts Go durations plus days ("365d").
type durationValue time.Duration

func (d *durationValue) String() string {
	if *d == 0 {
		return ""
	}
	return time.Duration(*d).String()
}

func (d *durationValue) Type() string { return "duration" }

func (d *durationValue) Set(s string) error {
	v, err := parseDays(s)
	if err != nil {
		return err
	}
	*d = durationValue(v)
	return nil
}

// parseDays parses a duration that may be given in days, e.g. "365d" or "30d12h".
func parseDays(s string) (time.Duration, error) {
	s = strings.TrimSpace(s)
	var days time.Duration
	if i := strings.IndexByte(s, 'd'); i > 0 {
		n, err := strconv.Atoi(s[:i])
		if err != nil || n < 0 {
			return 0, fmt.Errorf("invalid duration %q (use e.g. 365d, 720h, 90m)", s)
		}
		days = time.Duration(n) * 24 * time.Hour
		s = s[i+1:]
		if s == "" {
			return days, nil
		}
	}
	v, err := time.ParseDuration(s)
	if err != nil || v < 0 {
		return 0, fmt.Errorf("invalid duration %q (use e.g. 365d, 720h, 90m)", s)
	}
	return days + v, nil
}

// priceOf is the price of one report: --price, else QCC_PRICE, else flag's
// default (run and serve).
func priceOf(cmd *cobra.Command, flag float64) (float64, error) {
	v := os.Getenv("QCC_PRICE")
	if cmd.Flags().Changed("price") || v == "" {
		return flag, nil
	}
	price, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
	if err != nil {
		return 0, usagef("QCC_PRICE=%q: want a price in yuan, e.g. 30", v)
	}
	return price, nil
}

// positive refuses a duration flag of zero or less, which the engine would
// silently replace with its default (10 s, 2 h).
func positive(flag string, d time.Duration) error {
	if d <= 0 {
		return usagef("%s must be more than 0, not %s", flag, d)
	}
	return nil
}
