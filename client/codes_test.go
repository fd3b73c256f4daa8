package client

import "testing"

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
			if seen[sc.Code] {
				t.Fatalf("code %d listed twice", sc.Code)
			}
			seen[sc.Code] = true
			want, ok := wantClass[sc.Code]
			if !ok {
				t.Fatalf("code %d is in the table but not in SPEC", sc.Code)
			}
			if got := sc.Class; got != want {
				t.Errorf("code %d: class %v, want %v", sc.Code, got, want)
			}
			if got := LookupCode(sc.Code); got != sc {
				t.Errorf("LookupCode(%d) = %+v, want %+v", sc.Code, got, sc)
			}
			if sc.Meaning == "" {
				t.Errorf("code %d has no meaning", sc.Code)
			}
		})
	}
	for code := range wantClass {
		if !seen[code] {
			t.Errorf("code %d of the API document is missing from StatusCodes", code)
		}
	}
	if got, want := len(StatusCodes()), 36; got != want {
		t.Errorf("len(StatusCodes) = %d, want %d (every code of the document)", got, want)
	}
}

func TestLookupCode_Unknown(t *testing.T) {
	for _, code := range []int{0, -1, 100, 122, 204, 300, 500, 99999} {
		got := LookupCode(code)
		if got.Class != ClassFatal || got.Meaning != UnknownMeaning || got.Code != code {
			t.Errorf("LookupCode(%d) = %+v, want fatal %q", code, got, UnknownMeaning)
		}
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
		if got := tt.c.String(); got != tt.want {
			t.Errorf("Class(%d).String() = %q, want %q", int(tt.c), got, tt.want)
		}
	}
}
