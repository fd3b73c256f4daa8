package identifier

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/qccbatch/qccbatch/batch/input"
	"github.com/qccbatch/qccbatch/batch/msg"
)

// gbCharset and gbWeights restate GB 32100-2015 here, independently of
// check.go, so a typo there (a character, a weight, the value-31 case) is
// not copied into the expectation.
const gbCharset = "0123456789ABCDEFGHJKLMNPQRTUWXY"

var gbWeights = [17]int{1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28}

// gbCheck is the standard's formula: C18 = 31 - (Σ Ci×Wi mod 31), where 31
// stands for 0.
func gbCheck(t *testing.T, first17 string) int {
	t.Helper()
	require.Len(t, first17, 17)
	sum := 0
	for i := 0; i < 17; i++ {
		v := -1
		for j := 0; j < len(gbCharset); j++ {
			if gbCharset[j] == first17[i] {
				v = j
			}
		}
		require.GreaterOrEqual(t, v, 0, "%q is not in the code alphabet", first17[i])
		sum += v * gbWeights[i]
	}
	return (31 - sum%31) % 31
}

// TestUSCCCheckChar_EveryValue: for each of the 31 check values there is a
// code whose check character must be that value's character; USCCCheckChar
// and Classify agree with the standard on every one (a mutation run found
// a wrong 'Y' or '0' unnoticed: only 7 real codes were checked, none
// ending in Y or 0).
func TestUSCCCheckChar_EveryValue(t *testing.T) {
	bases := []string{"91440300MA5FXXXX", "1211000040000212", "Y1110108MA000000"} // 16 characters; the 17th varies
	for _, base := range bases {
		seen := map[int]bool{}
		for j := 0; j < len(gbCharset); j++ {
			first17 := base + string(gbCharset[j])
			want := gbCheck(t, first17)
			seen[want] = true
			got, ok := USCCCheckChar(first17)
			require.True(t, ok, first17)
			assert.Equal(t, string(gbCharset[want]), string(got), "check character of %s (value %d)", first17, want)

			code := first17 + string(gbCharset[want])
			id := Classify(input.Cell{Value: code, Type: input.CellString}, Options{})
			assert.False(t, id.Invalid, "%s is valid: %s", code, id.MessageEN)
			assert.Equal(t, KindUSCC, id.Kind, code)
			wrong := first17 + string(gbCharset[(want+1)%31])
			id = Classify(input.Cell{Value: wrong, Type: input.CellString}, Options{})
			assert.True(t, id.Invalid, "%s has a wrong check character", wrong)
			assert.Equal(t, msg.ReasonChecksum, id.Reason, wrong)
		}
		// Weight 28 is invertible mod 31: the 31 characters in the last
		// position give the 31 check values, 0 ('0') and 30 ('Y') included.
		require.Len(t, seen, 31, "base %s covers every check value", base)
	}
}
