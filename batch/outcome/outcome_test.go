package outcome

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestOutcome(t *testing.T) {
	tests := []struct {
		o            Outcome
		zh           string
		final, known bool
	}{
		{Ready, "已完成", true, true},
		{Invalid, "输入无效", true, true},
		{NotFound, "查询无结果", true, true},
		{Rejected, "不支持", true, true},
		{Failed, "生成失败", true, true},
		{Uncertain, "结果不确定", true, true},
		{Pending, "处理中", false, true},
		{NotOrdered, "未下单", false, true},
		{"", "", false, false},
		{"bogus", "bogus", true, false},
	}
	for _, tt := range tests {
		t.Run(string(tt.o), func(t *testing.T) {
			assert.Equal(t, tt.zh, tt.o.Chinese())
			assert.Equal(t, tt.final, tt.o.Final())
			assert.Equal(t, tt.known, tt.o.Known())
		})
	}
}

func TestAll_IsACopy(t *testing.T) {
	a := All()
	assert.Len(t, a, 8)
	a[0] = "changed"
	assert.Equal(t, Ready, All()[0], "a caller cannot change the list")
	counts := NewCounts()
	assert.Len(t, counts, 8)
	for _, o := range All() {
		assert.Contains(t, counts, o)
	}
}
