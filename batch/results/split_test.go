package results

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestSafeName(t *testing.T) {
	for in, want := range map[string]string{
		"张三":             "张三",
		"":               "(blank)",
		"  ":             "(blank)",
		`a<b>c:"d"/\|?*`: "a_b_c__d______",
		"CON":            "CON_",
		"con.txt":        "con_.txt",
		"LPT1":           "LPT1_",
		"Bank. ":         "Bank",
		"...":            "(blank)",
		"tab\there":      "tab_here",
		"conin$":         "conin$_",
		"CONOUT$.x":      "CONOUT$_.x",
		"COM¹":           "COM¹_",
		"lpt³":           "lpt³_",
		"张\u202e三":       "张_三",
		"a\u200bb":       "a_b",
	} {
		assert.Equal(t, want, SafeName(in, "(blank)"), "%q", in)
	}
	long := SafeName(strings.Repeat("支行", 100), "(blank)")
	assert.LessOrEqual(t, len(long), maxSplitName)
	assert.True(t, strings.HasPrefix(long, "支行"))
	assert.Equal(t, "/d/out-张三.xlsx", SplitPath("/d/out.xlsx", "张三"))
}
