package qcctest

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestScriptFor(t *testing.T) {
	tests := []struct {
		key     string
		attempt int
		want    script
	}{
		{"甲", 1, script{code: 213}},
		{"不存在的公司", 1, script{code: 201}},
		{"北京某社会组织", 1, script{code: 208}},
		{"51110000500000000X", 1, script{code: 208}},
		{"91110000500000000X", 1, script{outcome: endsS}},
		{"不支持公司", 1, script{code: 215}},
		{"冷却公司", 1, script{code: 110}},
		{"余额公司", 1, script{code: 112}},
		{"繁忙公司", 1, script{code: 120}},
		{"繁忙公司", 2, script{outcome: endsS}},
		{"异常公司", 1, script{code: 199}},
		{"异常公司", 2, script{outcome: endsS}},
		{"排队公司", 1, script{code: 205}},
		{"排队公司", 3, script{outcome: endsS}},
		{"已下单205公司", 1, script{code: 205, placed: true, outcome: endsS}},
		{"已下单205公司", 2, script{code: 205, placed: true, outcome: endsS}},
		{"已下单199公司", 1, script{code: 199, placed: true, outcome: endsS}},
		{"已下单199公司", 5, script{code: 199, placed: true, outcome: endsS}},
		{"已下单502公司", 1, script{placed: true, page: 502, outcome: endsS}},
		{"掉线公司", 1, script{outcome: endsS, drop: true}},
		{"超时公司", 1, script{outcome: endsS, hold: true}},
		{"失败公司", 1, script{outcome: endsF}},
		{"掉线失败公司", 1, script{outcome: endsF, drop: true}},
		{"处理中公司", 1, script{outcome: endsNever}},
		{"小米科技有限责任公司", 1, script{outcome: endsS}},
	}
	for _, tt := range tests {
		t.Run(tt.key, func(t *testing.T) {
			assert.Equal(t, tt.want, scriptFor(tt.key, tt.attempt), "scriptFor(%q, %d)", tt.key, tt.attempt)
		})
	}
}

func TestOrderNo(t *testing.T) {
	at := time.UnixMilli(1700000000123)
	for _, tt := range []struct {
		format int
		oc     outcome
	}{{1, endsS}, {2, endsF}, {1, endsNever}} {
		no := orderNo(at, tt.format, tt.oc, 42)
		require.Len(t, no, orderNoLen, "orderNo %q", no)
		o, ok := parseOrderNo(no)
		require.True(t, ok, "parseOrderNo(%q)", no)
		assert.True(t, o.at.Equal(at), "parseOrderNo(%q).at = %v, want %v", no, o.at, at)
		assert.Equal(t, tt.format, o.format)
		assert.Equal(t, tt.oc, o.outcome)
	}
	for _, bad := range []string{"", "SBX", "XYZ1700000000123100000000042", "SBX1700000000123300000000042",
		"SBX1700000000123190000000042", "SBX17000000001231000000004x", "SBX-700000000123100000000042"} {
		_, ok := parseOrderNo(bad)
		assert.False(t, ok, "parseOrderNo(%q) accepted", bad)
	}
}

func TestOrder_Status(t *testing.T) {
	at := time.Unix(1700000000, 0)
	tests := []struct {
		oc    outcome
		after time.Duration
		want  string
	}{
		{endsS, 0, "P"}, {endsS, 999 * time.Millisecond, "P"}, {endsS, time.Second, "S"},
		{endsF, 0, "P"}, {endsF, time.Hour, "F"},
		{endsNever, 1000 * time.Hour, "P"},
	}
	for _, tt := range tests {
		o := order{at: at, format: 1, outcome: tt.oc}
		assert.Equal(t, tt.want, o.status(at.Add(tt.after), time.Second), "outcome %c after %v", tt.oc, tt.after)
	}
}
