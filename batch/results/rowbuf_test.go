package results

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

func TestBoxCache(t *testing.T) {
	b := newBoxCache()
	assert.Nil(t, b.box(""), "an empty string is no cell")
	assert.Equal(t, "已完成", b.box("已完成"))
	assert.Len(t, b.m, 1)
	b.box("已完成")
	assert.Len(t, b.m, 1, "a repeated string is boxed once")
	long := strings.Repeat("x", maxBoxedLen+1)
	assert.Equal(t, long, b.box(long))
	assert.NotContains(t, b.m, long, "long strings are not kept")
	for i := range 2 * maxBoxedCount {
		assert.Equal(t, strconv.Itoa(i), b.box(strconv.Itoa(i)))
	}
	assert.Len(t, b.m, maxBoxedCount, "the cache stays bounded")

	allocs := testing.AllocsPerRun(100, func() { _ = b.box("已完成") })
	assert.Zero(t, allocs, "a cached string costs no allocation")
}

func TestTimeText(t *testing.T) {
	cst := time.FixedZone("CST", 8*3600)
	var tt timeText
	s, v := tt.format(time.Time{}, cst)
	assert.Empty(t, s)
	assert.Nil(t, v)
	t0 := time.Date(2025, 3, 1, 1, 30, 0, 0, time.UTC)
	s, v = tt.format(t0, cst)
	assert.Equal(t, "2025-03-01T09:30:00+08:00", s)
	assert.Equal(t, s, v)
	s, _ = tt.format(t0.Add(500*time.Millisecond), cst)
	assert.Equal(t, "2025-03-01T09:30:00+08:00", s, "the same second")
	s, _ = tt.format(t0.Add(time.Second), cst)
	assert.Equal(t, "2025-03-01T09:30:01+08:00", s)
	allocs := testing.AllocsPerRun(100, func() { _, _ = tt.format(t0.Add(time.Second), cst) })
	assert.Zero(t, allocs, "the same second is formatted once")
}
