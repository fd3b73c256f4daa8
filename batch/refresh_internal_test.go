package batch

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseRefreshAfter(t *testing.T) {
	day := 24 * time.Hour
	age, rf, err := ParseRefreshAfter("365d")
	require.NoError(t, err)
	assert.Equal(t, 365*day, age)
	assert.False(t, rf.active(), "a plain age keeps working as before")
	age, _, err = ParseRefreshAfter("1y")
	require.NoError(t, err)
	assert.Equal(t, 365*day, age)

	_, rf, err = ParseRefreshAfter("高=1y, 较高=1y,中=2y,较低=3y,低=3y,*=2y")
	require.NoError(t, err)
	assert.Equal(t, []RatingAge{{"高", 365 * day}, {"较高", 365 * day}, {"中", 730 * day}, {"较低", 1095 * day}, {"低", 1095 * day}}, rf.Ratings)
	assert.Equal(t, 730*day, rf.Default)
	for cell, want := range map[string]int{"高": 0, "高风险": 0, "较高": 1, "较高风险": 1, "　较高　": 1, "中": 2, "较低风险": 3, "低": 4} {
		k, ok := rf.Match(cell)
		assert.True(t, ok, cell)
		assert.Equal(t, want, k, "%q: the longest label wins", cell)
	}
	for _, cell := range []string{"", "关注", "高中", "极高"} {
		_, ok := rf.Match(cell)
		assert.False(t, ok, cell)
	}
	_, rf, err = ParseRefreshAfter("high=365d,medium=730d")
	require.NoError(t, err)
	k, ok := rf.Match("High Risk")
	assert.True(t, ok)
	assert.Equal(t, 0, k)
	k, ok = rf.Match("ＭＥＤＩＵＭ")
	assert.True(t, ok, "width folded")
	assert.Equal(t, 1, k)

	for _, bad := range []string{"高=", "=1y", "高=1y,高=2y", "高=0s", "高=soon"} {
		_, _, err := ParseRefreshAfter(bad)
		assert.Error(t, err, bad)
	}
}

// FuzzParseRefreshAfter: no input panics, and an age accepted is never
// negative (a wrapped-round age would refresh the whole book).
func FuzzParseRefreshAfter(f *testing.F) {
	for _, s := range []string{"365d", "1y", "18m", "高=1y,中=2y,*=3y", "585y", "1y1d12h", "high=365d", "=", ",,", "高=1y,高=2y"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		age, rf, err := ParseRefreshAfter(s)
		if err != nil {
			return
		}
		if age < 0 || rf.Default < 0 {
			t.Fatalf("%q: negative age %v / %v", s, age, rf.Default)
		}
		for _, r := range rf.Ratings {
			if r.Age <= 0 {
				t.Fatalf("%q: rating %q age %v", s, r.Label, r.Age)
			}
		}
	})
}
