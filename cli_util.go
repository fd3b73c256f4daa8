package main

import "strings"

// isUsageError reports whether err is one of cobra's own usage errors
// (unknown command, wrong number of arguments), which exit with code 2.
func isUsageError(err error) bool {
	msg := err.Error()
	for _, s := range []string{"unknown command", "unknown flag", "unknown shorthand", "accepts ", "requires at least", "requires exactly", "invalid argument", "flag needs an argument"} {
		if strings.Contains(msg, s) {
			return true
		}
	}
	return false
}
