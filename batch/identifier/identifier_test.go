package identifier

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/qccbatch/qccbatch/batch/input"
	"github.com/qccbatch/qccbatch/batch/msg"
)

// Real, publicly documented unified social credit codes (from the
// companies' business licences as published in the national enterprise
// credit information system); each passes the GB 32100-2015 check.
var realCodes = []struct{ name, code string }{
	{"华为技术有限公司", "914403001922038216"},
	{"小米科技有限责任公司", "91110108551385082Q"},
	{"腾讯科技（深圳）有限公司", "9144030071526726XG"},
	{"阿里巴巴（中国）有限公司", "91330100716105852F"},
	{"百度在线网络技术（北京）有限公司", "91110000802100433B"},
	{"中国工商银行股份有限公司", "91100000100003962T"},
	{"深圳市腾讯计算机系统有限公司", "91440300708461136T"},
}

func TestUSCCCheckChar_RealCodes(t *testing.T) {
	for _, c := range realCodes {
		t.Run(c.name, func(t *testing.T) {
			got, ok := USCCCheckChar(c.code[:17])
			require.True(t, ok)
			assert.Equal(t, string(c.code[17]), string(got))
		})
	}
}

// TestClassify_Mutations changes every character of every real code to
// every other character of the alphabet: GB 32100 detects all single
// substitutions, so each mutant must be invalid (wrong check character or,
// for a first character 5, a social organisation).
func TestClassify_Mutations(t *testing.T) {
	for _, c := range realCodes {
		t.Run(c.name, func(t *testing.T) {
			for i := 0; i < 18; i++ {
				for j := 0; j < len(usccAlphabet); j++ {
					m := []byte(c.code)
					if m[i] == usccAlphabet[j] {
						continue
					}
					m[i] = usccAlphabet[j]
					id := Classify(input.Cell{Value: string(m), Type: input.CellString}, Options{})
					require.True(t, id.Invalid, "mutant %s (position %d) classified valid: %+v", m, i+1, id)
					require.Contains(t, []msg.ID{msg.ReasonChecksum, msg.ReasonSocialOrg}, id.Reason, "mutant %s", m)
				}
			}
		})
	}
}

func TestClassify(t *testing.T) {
	str := func(s string) input.Cell { return input.Cell{Value: s, Type: input.CellString} }
	num := func(s string) input.Cell { return input.Cell{Value: s, Type: input.CellNumber} }
	tests := []struct {
		name      string
		in        input.Cell
		opt       Options
		kind      Kind
		searchKey string
		key       string
		reason    msg.ID // msg.None for a clean valid row
		msgHas    string
	}{
		{"huawei", str("914403001922038216"), Options{}, KindUSCC, "914403001922038216", "914403001922038216", msg.None, ""},
		{"xiaomi", str("91110108551385082Q"), Options{}, KindUSCC, "91110108551385082Q", "91110108551385082Q", msg.None, ""},
		{"lower-case check char", str("91110108551385082q"), Options{}, KindUSCC, "91110108551385082Q", "91110108551385082Q", msg.None, ""},
		{"full-width", str("９１１１０１０８５５１３８５０８２Ｑ"), Options{}, KindUSCC, "91110108551385082Q", "91110108551385082Q", msg.None, ""},
		{"spaces NBSP zero-width", str("\u00a0 9111 0108 5513\u200b 8508 2Q\u3000"), Options{}, KindUSCC, "91110108551385082Q", "91110108551385082Q", msg.None, ""},
		{"apostrophe text mark", str("'914403001922038216"), Options{}, KindUSCC, "914403001922038216", "914403001922038216", msg.None, ""},
		{"excel =\"\" trick", str(`="914403001922038216"`), Options{}, KindUSCC, "914403001922038216", "914403001922038216", msg.None, ""},
		// A code typed with hyphens was a name, and ordered as a name search.
		{"hyphenated code", str("91110108-551385082Q"), Options{}, KindUSCC, "91110108551385082Q", "91110108551385082Q", msg.None, ""},
		{"hyphen groups full-width", str("9111－0108－5513－8508－2Q"), Options{}, KindUSCC, "91110108551385082Q", "91110108551385082Q", msg.None, ""},
		{"hyphenated code wrong length", str("91110108-55138508"), Options{}, KindInvalid, "", "", msg.ReasonLength, "16 位"},
		{"hyphenated name stays a name", str("ABC-123 Trading Ltd"), Options{}, KindName, "ABC-123 Trading Ltd", "ABC-123 TRADING LTD", msg.None, ""},
		{"wrong check char", str("914403001922038217"), Options{}, KindInvalid, "", "", msg.ReasonChecksum, "应为 6，实为 7"},
		{"wrong check char allowed", str("914403001922038217"), Options{AllowBadChecksum: true}, KindUSCC, "914403001922038217", "914403001922038217", msg.ReasonChecksumAllowed, "应为 6"},
		{"letter-first code", str("N2110108MA00000002"), Options{}, KindInvalid, "", "", msg.ReasonChecksum, "应为"},
		{"letter-first code valid", str(withCheck("Y1110108MA0000000")), Options{}, KindUSCC, withCheck("Y1110108MA0000000"), withCheck("Y1110108MA0000000"), msg.None, ""},
		{"social organisation", str("53100000500021676K"), Options{}, KindInvalid, "", "", msg.ReasonSocialOrg, "社会组织"},
		{"social org even if allowed", str("53100000500021676K"), Options{AllowBadChecksum: true}, KindInvalid, "", "", msg.ReasonSocialOrg, ""},
		{"letter O for zero", str("9144O3001922038216"), Options{}, KindInvalid, "", "", msg.ReasonBadChar, "第5位 O"},
		{"17 characters", str("91440300192203821"), Options{}, KindInvalid, "", "", msg.ReasonLength, "17 位"},
		{"19 characters", str("9144030019220382160"), Options{}, KindInvalid, "", "", msg.ReasonLength, "19 位"},
		{"digits lost in CSV export", str("914403001922038000"), Options{}, KindInvalid, "", "", msg.ReasonPrecision, "设为文本"},
		{"scientific notation text", str("9.14403E+17"), Options{}, KindInvalid, "", "", msg.ReasonPrecision, "设为文本"},
		{"scientific notation full-width", str("９.１４４０３Ｅ＋１７"), Options{}, KindInvalid, "", "", msg.ReasonPrecision, ""},
		{"18-digit number cell", num("9.14403001922038E+017"), Options{}, KindInvalid, "", "", msg.ReasonPrecision, ""},
		{"18-digit number cell plain", num("914403001922038000"), Options{}, KindInvalid, "", "", msg.ReasonPrecision, ""},
		{"16-digit number cell", num("1234567890123456"), Options{}, KindInvalid, "", "", msg.ReasonPrecision, ""},
		{"18-digit exact number cell", num("914403001922038216"), Options{}, KindInvalid, "", "", msg.ReasonStoredAsNumber, "数字完整（914403001922038216，校验位正确）"},
		{"18-digit exact number, not a valid code", num("914403001922038217"), Options{}, KindInvalid, "", "", msg.ReasonStoredAsNumber, "数字完整（914403001922038217）"},
		{"18 digits a double expands to", num("914403001922038272"), Options{}, KindInvalid, "", "", msg.ReasonPrecision, ""},
		{"uncalculated formula", input.Cell{Value: `"9144030071526726"&"XG"`, Type: input.CellFormulaUncalculated}, Options{}, KindInvalid, "", "", msg.ReasonFormulaUncalculated, "Excel 或 WPS 中打开并保存"},
		{"uncalculated shared formula", input.Cell{Type: input.CellFormulaUncalculated}, Options{}, KindInvalid, "", "", msg.ReasonFormulaUncalculated, ""},
		{"totals 合计", str("合计"), Options{}, KindInvalid, "", "", msg.ReasonTotalsRow, "合计行"},
		{"totals spaced", str("合 计"), Options{}, KindInvalid, "", "", msg.ReasonTotalsRow, ""},
		{"totals full-width colon", str("合计："), Options{}, KindInvalid, "", "", msg.ReasonTotalsRow, ""},
		{"totals with unit", str("总计（元）"), Options{}, KindInvalid, "", "", msg.ReasonTotalsRow, ""},
		{"totals 小计", str("小计"), Options{}, KindInvalid, "", "", msg.ReasonTotalsRow, ""},
		{"totals 汇总", str("汇总"), Options{}, KindInvalid, "", "", msg.ReasonTotalsRow, ""},
		{"totals with a word", str("合计金额"), Options{}, KindInvalid, "", "", msg.ReasonTotalsRow, ""},
		{"totals with count", str("合计：8户"), Options{}, KindInvalid, "", "", msg.ReasonTotalsRow, ""},
		{"totals english", str("Grand Total:"), Options{}, KindInvalid, "", "", msg.ReasonTotalsRow, ""},
		{"notes 备注", str("备注"), Options{}, KindInvalid, "", "", msg.ReasonNotesRow, "备注行"},
		{"notes with prose", str("备注：以上数据截至2025年9月30日，由客户经理核对"), Options{}, KindInvalid, "", "", msg.ReasonNotesRow, ""},
		{"notes 说明", str("说明"), Options{}, KindInvalid, "", "", msg.ReasonNotesRow, ""},
		{"notes 注1", str("注1：代码待补"), Options{}, KindInvalid, "", "", msg.ReasonNotesRow, ""},
		{"company starting with 汇总", str("汇总科技有限公司"), Options{}, KindName, "汇总科技有限公司", "汇总科技有限公司", msg.None, ""},
		{"company starting with 注", str("注塑机械厂"), Options{}, KindName, "注塑机械厂", "注塑机械厂", msg.None, ""},
		{"reg no number cell", num("440301103097413"), Options{}, KindRegNo, "440301103097413", "440301103097413", msg.None, ""},
		{"reg no number cell sci", num("4.40301103097413E+14"), Options{}, KindRegNo, "440301103097413", "440301103097413", msg.None, ""},
		{"reg no text", str("440301103097413"), Options{}, KindRegNo, "440301103097413", "440301103097413", msg.None, ""},
		{"reg no bad check is a warning", str("440301103097414"), Options{}, KindRegNo, "440301103097414", "440301103097414", msg.ReasonRegNoCheck, "应为 3"},
		{"small number cell", num("12345"), Options{}, KindInvalid, "", "", msg.ReasonNumber, "12345"},
		{"fraction number cell", num("4104113.182"), Options{}, KindInvalid, "", "", msg.ReasonNumber, ""},
		{"name", str(" 华为技术有限公司 "), Options{}, KindName, "华为技术有限公司", "华为技术有限公司", msg.None, ""},
		{"name full-width brackets kept", str("腾讯科技（深圳）有限公司"), Options{}, KindName, "腾讯科技（深圳）有限公司", "腾讯科技(深圳)有限公司", msg.None, ""},
		{"name latin case folded in key", str("3M 中国有限公司"), Options{}, KindName, "3M 中国有限公司", "3M 中国有限公司", msg.None, ""},
		{"name with run of spaces", str("ABB  (中国)\u3000有限公司"), Options{}, KindName, "ABB  (中国)\u3000有限公司", "ABB (中国) 有限公司", msg.None, ""},
		{"one character name", str("华"), Options{}, KindInvalid, "", "", msg.ReasonNameTooShort, "不足2个字符"},
		{"name with line break", str("华为技术\n有限公司"), Options{}, KindInvalid, "", "", msg.ReasonBadChar, ""},
		{"too long name", str(strings.Repeat("公司", 60)), Options{}, KindInvalid, "", "", msg.ReasonNameTooLong, ""},
		{"garbled", str("华为\ufffd有限公司"), Options{}, KindInvalid, "", "", msg.ReasonGarbled, "--encoding"},
		{"invalid UTF-8", str("\xff\xfe公司"), Options{}, KindInvalid, "", "", msg.ReasonGarbled, ""},
		{"excel error", str("#N/A"), Options{}, KindInvalid, "", "", msg.ReasonFormulaError, "#N/A"},
		{"bool cell", input.Cell{Value: "TRUE", Type: input.CellBool}, Options{}, KindInvalid, "", "", msg.ReasonNotID, "逻辑值"},
		{"placeholder N/A", str("n/a"), Options{}, KindInvalid, "", "", msg.ReasonNotID, "占位符"},
		{"placeholder 暂无", str("暂无"), Options{}, KindInvalid, "", "", msg.ReasonNotID, ""},
		{"only symbols", str("——"), Options{}, KindInvalid, "", "", msg.ReasonNotID, ""},
		{"empty", str(""), Options{}, KindEmpty, "", "", msg.ReasonEmpty, "为空"},
		{"only spaces", str(" \u00a0\u3000\u200b"), Options{}, KindEmpty, "", "", msg.ReasonEmpty, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Classify(tt.in, tt.opt)
			assert.Equal(t, tt.kind, got.Kind, "kind")
			assert.Equal(t, tt.searchKey, got.SearchKey, "search key")
			assert.Equal(t, tt.key, got.Key, "key")
			assert.Equal(t, tt.reason, got.Reason, "reason")
			assert.Equal(t, tt.kind == KindInvalid || tt.kind == KindEmpty, got.Invalid, "invalid")
			if tt.reason != msg.None {
				assert.NotEmpty(t, got.Message.In("zh"), "message")
				assert.NotEmpty(t, got.Message.In("en"), "English message")
			}
			assert.Contains(t, got.Message.In("zh"), tt.msgHas)
		})
	}
}

// withCheck appends the right check character to 17 characters.
func withCheck(first17 string) string {
	c, _ := USCCCheckChar(first17)
	return first17 + string(c)
}

func TestGS15Valid(t *testing.T) {
	tests := []struct {
		in   string
		want bool
	}{
		{"440301103097413", true},
		{"440301103097414", false},
		{"44030110309741", false},
		{"44030110309741X", false},
		{"", false},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, gs15Valid(tt.in), "gs15Valid(%q)", tt.in)
	}
	// Every single-digit change of a valid number is caught.
	base := "440301103097413"
	for i := range 15 {
		for d := byte('0'); d <= '9'; d++ {
			m := []byte(base)
			if m[i] == d {
				continue
			}
			m[i] = d
			assert.False(t, gs15Valid(string(m)), "mutant %s passes", m)
		}
	}
}

func TestNumberDigits(t *testing.T) {
	tests := []struct {
		in   string
		want string
		ok   bool
	}{
		{"110108012345678", "110108012345678", true},
		{"1.10108012345678E+14", "110108012345678", true},
		{"9.14403001922038E+017", "914403001922038000", true},
		{"1E+400", "", false},
		{"0.5", "", false},
		{"-3", "", false},
		{"0", "0", true},
		{"12.000", "12", true},
		{"abc", "", false},
	}
	for _, tt := range tests {
		got, ok := numberDigits(tt.in)
		assert.Equal(t, tt.want, got, "numberDigits(%q)", tt.in)
		assert.Equal(t, tt.ok, ok, "numberDigits(%q) ok", tt.in)
	}
}

// FuzzClassify checks that normalisation and classification never panic
// and keep their promises on any input.
func FuzzClassify(f *testing.F) {
	for _, s := range []string{"914403001922038216", "91110108551385082q", "９１１１０１０８５５１３８５０８２Ｑ",
		"440301103097413", "9.14403E+17", "华为技术有限公司", "", "\xff", "=\"1\"", "#N/A", "1E+99999", "'"} {
		f.Add(s, false, false)
	}
	f.Fuzz(func(t *testing.T, s string, number, allow bool) {
		typ := input.CellString
		if number {
			typ = input.CellNumber
		}
		id := Classify(input.Cell{Value: s, Type: typ}, Options{AllowBadChecksum: allow})
		if id.Invalid {
			require.NotEmpty(t, id.Reason, "invalid %q without a reason: %+v", s, id)
			require.NotEmpty(t, id.Message.In("zh"), "invalid %q without a message: %+v", s, id)
			require.NotEmpty(t, id.Message.In("en"), "invalid %q without an English message: %+v", s, id)
			require.Empty(t, id.SearchKey, "invalid %q with a search key: %+v", s, id)
			return
		}
		require.NotEmpty(t, id.SearchKey, "valid %q with an empty search key: %+v", s, id)
		require.NotEmpty(t, id.Key, "valid %q with an empty key: %+v", s, id)
		require.True(t, utf8.ValidString(id.SearchKey), "valid %q with a search key of invalid UTF-8: %+v", s, id)
		switch id.Kind {
		case KindUSCC:
			require.Len(t, id.SearchKey, 18, "bad USCC %q from %q", id.SearchKey, s)
			require.True(t, allow || usccValid(id.SearchKey), "bad USCC %q from %q: wrong check character", id.SearchKey, s)
			require.NotEqual(t, byte('5'), id.SearchKey[0], "bad USCC %q from %q: a social organisation", id.SearchKey, s)
		case KindRegNo:
			require.Len(t, id.SearchKey, 15, "bad reg no %q from %q", id.SearchKey, s)
			require.True(t, allDigits(id.SearchKey), "bad reg no %q from %q", id.SearchKey, s)
		case KindName:
			n := utf8.RuneCountInString(id.SearchKey)
			require.True(t, n >= 2 && n <= maxNameRunes, "name %q of %d runes", id.SearchKey, n)
			require.Equal(t, strings.TrimFunc(id.SearchKey, input.IsTrimmed), id.SearchKey, "name %q not trimmed", id.SearchKey)
		default:
			require.FailNow(t, "valid with an unexpected kind", "kind %v", id.Kind)
		}
		// Classifying the search key again gives the same company.
		again := Classify(input.Cell{Value: id.SearchKey, Type: input.CellString}, Options{AllowBadChecksum: allow})
		require.False(t, again.Invalid, "search key %q of %q classifies to %+v", id.SearchKey, s, again)
		require.Equal(t, id.Key, again.Key, "search key %q of %q classifies to %+v", id.SearchKey, s, again)
	})
}

// usccValid reports whether code is 18 characters of the alphabet with the
// right check character.
func usccValid(code string) bool {
	if len(code) != 18 {
		return false
	}
	c, ok := USCCCheckChar(code[:17])
	return ok && c == code[17]
}
