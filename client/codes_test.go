package client

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// wantClass is SPEC's table "Status codes: what each one does to a run",
// written out independently of StatusCodes.
var wantClass = map[int]Class{
	200: ClassOK,
	201: ClassNotFound,
	202: ClassRejected, 207: ClassRejected, 208: ClassRejected, 209: ClassRejected,
	213: ClassRejected, 215: ClassRejected, 218: ClassRejected, 219: ClassRejected,
	205: ClassWait,
	120: ClassSlowDown,
	199: ClassTransient, 203: ClassTransient,
	110: ClassCooldown,
	109: ClassQuota, 112: ClassQuota, 116: ClassQuota,
	101: ClassFatal, 102: ClassFatal, 103: ClassFatal, 104: ClassFatal, 105: ClassFatal,
	106: ClassFatal, 107: ClassFatal, 108: ClassFatal, 111: ClassFatal, 113: ClassFatal,
	114: ClassFatal, 115: ClassFatal, 117: ClassFatal, 118: ClassFatal, 119: ClassFatal,
	121: ClassFatal, 214: ClassFatal, 223: ClassFatal,
}

func TestStatusCodes_Class(t *testing.T) {
	seen := map[int]bool{}
	for _, sc := range StatusCodes() {
		t.Run(sc.Meaning, func(t *testing.T) {
			require.False(t, seen[sc.Code], "code %d listed twice", sc.Code)
			seen[sc.Code] = true
			want, ok := wantClass[sc.Code]
			require.True(t, ok, "code %d is in the table but not in SPEC", sc.Code)
			assert.Equal(t, want, sc.Class, "code %d", sc.Code)
			assert.Equal(t, sc, LookupCode(sc.Code))
			assert.NotEmpty(t, sc.Meaning, "code %d has no meaning", sc.Code)
		})
	}
	for code := range wantClass {
		assert.True(t, seen[code], "code %d of the API document is missing from StatusCodes", code)
	}
	assert.Len(t, StatusCodes(), 36, "every code of the document")
}

func TestStatusCodes_Copy(t *testing.T) {
	codes := StatusCodes()
	for i := range codes {
		codes[i].Class = ClassOK
		codes[i].Meaning = "changed"
	}
	assert.Equal(t, ClassFatal, LookupCode(101).Class, "LookupCode after changing a copy")
	assert.Equal(t, ClassWait, StatusCodes()[3].Class, "a fresh copy after changing an earlier one")
	assert.Equal(t, "查询成功", StatusCodes()[0].Meaning)
}

func TestLookupCode_Unknown(t *testing.T) {
	for _, code := range []int{0, -1, 100, 122, 204, 300, 500, 99999} {
		got := LookupCode(code)
		assert.Equal(t, StatusCode{Code: code, Meaning: UnknownMeaning, Class: ClassFatal}, got, "LookupCode(%d)", code)
	}
}

func TestClass_String(t *testing.T) {
	tests := []struct {
		c    Class
		want string
	}{
		{ClassOK, "ok"}, {ClassNotFound, "not_found"}, {ClassRejected, "rejected"},
		{ClassWait, "wait"}, {ClassSlowDown, "slow_down"}, {ClassTransient, "transient"},
		{ClassCooldown, "cooldown"}, {ClassQuota, "quota"}, {ClassFatal, "fatal"},
		{Class(42), "Class(42)"},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, tt.c.String(), "Class(%d).String()", int(tt.c))
	}
}
