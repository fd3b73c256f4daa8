package identifier

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/qccbatch/qccbatch/batch/input"
)

// Kind is what an input identifier turned out to be.
type Kind int

// The kinds of identifier.
const (
	KindEmpty   Kind = iota // the cell is empty (an invalid row)
	KindUSCC                // an 18-character unified social credit code
	KindRegNo               // a 15-digit business registration number
	KindName                // a company name
	KindInvalid             // anything that must not be ordered
)

// String returns the kind's name for logs and tests.
func (k Kind) String() string {
	switch k {
	case KindEmpty:
		return "empty"
	case KindUSCC:
		return "uscc"
	case KindRegNo:
		return "regno"
	case KindName:
		return "name"
	case KindInvalid:
		return "invalid"
	}
	return fmt.Sprintf("Kind(%d)", int(k))
}

// Options change how identifiers are classified.
type Options struct {
	// AllowBadChecksum orders credit codes whose check character is wrong
	// (a few genuine early pilot codes), with a warning in the message.
	AllowBadChecksum bool
}

// ID is a classified input identifier.
type ID struct {
	Kind      Kind
	SearchKey string // sent to the API: the folded code, or the name as written (trimmed)
	Key       string // de-duplication key: the folded code, or the NFKC-folded name
	Invalid   bool   // nothing may be ordered for this row
	Reason    string // short category for the plan, e.g. "校验位错误"; empty for a clean valid row
	Message   string // why the row is invalid and what to do, or a warning for a valid row
}

// Short reasons of invalid rows (and of warnings), as counted in the plan.
const (
	ReasonEmpty        = "空"
	ReasonChecksum     = "校验位错误"
	ReasonSocialOrg    = "暂不支持社会组织"
	ReasonPrecision    = "数字精度已丢失"
	ReasonBadChar      = "含非法字符"
	ReasonLength       = "位数错误"
	ReasonNameTooShort = "名称过短"
	ReasonNameTooLong  = "名称过长"
	ReasonGarbled      = "乱码"
	ReasonNumber       = "数字不是代码"
	ReasonFormulaError = "公式错误"
	ReasonNotID        = "不是代码或名称"
)

// maxNameRunes is the longest name accepted; registered names are far shorter.
const maxNameRunes = 100

// Classify normalises and classifies one identifier cell per SPEC "Input".
// It never fails: an unusable value is returned with Invalid set and a
// message that says what is wrong and what to do.
func Classify(c input.Cell, opt Options) ID {
	raw := input.Trim(c.Value)
	if raw == "" {
		return invalid(KindEmpty, ReasonEmpty, "标识为空：请填写统一社会信用代码或企业名称")
	}
	if strings.ContainsRune(raw, utf8.RuneError) {
		return invalid(KindInvalid, ReasonGarbled, "含无法识别的字符（乱码）：请检查文件编码，或用 --encoding 指定")
	}
	if isExcelError(raw) {
		return invalid(KindInvalid, ReasonFormulaError,
			fmt.Sprintf("单元格是公式错误 %s（如 VLOOKUP 未找到）：请修正公式或填入代码、名称", raw))
	}
	if c.Type == input.CellBool {
		return invalid(KindInvalid, ReasonNotID, fmt.Sprintf("单元格是逻辑值 %s，不是代码或名称：请填写统一社会信用代码或企业名称", raw))
	}
	if c.Type == input.CellNumber {
		return classifyNumber(raw, opt)
	}
	if isSciNotation(raw) {
		return precisionLost()
	}
	code := foldCode(raw)
	if looksLikeCode(code) {
		return classifyCode(code, opt)
	}
	return classifyName(raw)
}

func invalid(k Kind, reason, msg string) ID {
	return ID{Kind: k, Invalid: true, Reason: reason, Message: msg}
}

func precisionLost() ID {
	return invalid(KindInvalid, ReasonPrecision,
		"数字精度已丢失：请将该列设为文本（Excel 只保留15位有效数字，后几位已变为0），重新填写完整代码")
}

// classifyNumber handles a spreadsheet number cell: only a 15-digit
// registration number survives being stored as a number.
func classifyNumber(raw string, opt Options) ID {
	digits, ok := numberDigits(raw)
	switch {
	case !ok:
		return invalid(KindInvalid, ReasonNumber,
			fmt.Sprintf("数字 %s 不是代码：应为18位统一社会信用代码或15位注册号，请将该列设为文本后填写", raw))
	case len(digits) > 15:
		return precisionLost()
	case len(digits) == 15:
		return classifyCode(digits, opt)
	}
	return invalid(KindInvalid, ReasonNumber,
		fmt.Sprintf("数字 %s 不是代码：应为18位统一社会信用代码或15位注册号，请将该列设为文本后填写", raw))
}

// classifyCode classifies a folded, code-like value (ASCII upper case).
func classifyCode(code string, opt Options) ID {
	switch {
	case len(code) == 18:
		return classifyUSCC(code, opt)
	case len(code) == 15 && allDigits(code):
		id := ID{Kind: KindRegNo, SearchKey: code, Key: code}
		if !GS15Valid(code) {
			want, _ := gs15Check(code[:14])
			id.Reason = "注册号校验位不符"
			id.Message = fmt.Sprintf("注册号校验位不符（按 GS15-2006 第15位应为 %c），仍按原样查询；请核对", want)
		}
		return id
	}
	return invalid(KindInvalid, ReasonLength,
		fmt.Sprintf("位数错误：%s 有 %d 位，统一社会信用代码应为18位、注册号应为15位数字；请核对", code, len(code)))
}

func classifyUSCC(code string, opt Options) ID {
	for i := 0; i < len(code); i++ {
		if usccValue[code[i]] < 0 {
			hint := ""
			switch code[i] {
			case 'O':
				hint = "（是否应为数字0？）"
			case 'I':
				hint = "（是否应为数字1？）"
			}
			return invalid(KindInvalid, ReasonBadChar, fmt.Sprintf(
				"含非法字符：第%d位 %c 不在统一社会信用代码字符集中（不使用 I、O、S、V、Z）%s；请核对", i+1, code[i], hint))
		}
	}
	if code[0] == '5' {
		return invalid(KindInvalid, ReasonSocialOrg,
			"暂不支持社会组织：以5开头的代码由民政部门登记（社会团体、基金会、民办非企业单位），基础身份报告不覆盖")
	}
	id := ID{Kind: KindUSCC, SearchKey: code, Key: code}
	want, _ := USCCCheckChar(code[:17])
	if want == code[17] {
		return id
	}
	if allDigits(code) && strings.HasSuffix(code, "000") {
		return precisionLost()
	}
	if opt.AllowBadChecksum {
		id.Reason = "校验位不符（已放行）"
		id.Message = fmt.Sprintf("校验位不符：第18位按 GB 32100-2015 应为 %c，实为 %c；因 --allow-bad-checksum 仍下单", want, code[17])
		return id
	}
	return invalid(KindInvalid, ReasonChecksum, fmt.Sprintf(
		"校验位错误：第18位按 GB 32100-2015 应为 %c，实为 %c；请核对代码（个别早期试点代码确实不符，可用 --allow-bad-checksum 下单）",
		want, code[17]))
}

func classifyName(name string) ID {
	n := utf8.RuneCountInString(name)
	switch {
	case n < 2:
		return invalid(KindInvalid, ReasonNameTooShort,
			fmt.Sprintf("名称过短：%q 不足2个字符；请填写企业全称或统一社会信用代码", name))
	case n > maxNameRunes:
		return invalid(KindInvalid, ReasonNameTooLong,
			fmt.Sprintf("名称过长：%d 个字符（最多 %d）；请检查是否多列合并到了一格", n, maxNameRunes))
	}
	for _, r := range name {
		if unicode.IsControl(r) {
			return invalid(KindInvalid, ReasonBadChar, "名称含控制字符（换行、制表符等）：请只保留企业名称")
		}
	}
	key := nameKey(name)
	if placeholders[key] || !strings.ContainsFunc(name, unicode.IsLetter) {
		return invalid(KindInvalid, ReasonNotID,
			fmt.Sprintf("%q 不是代码或名称（占位符或只有数字、符号）：请填写统一社会信用代码或企业全称", name))
	}
	return ID{Kind: KindName, SearchKey: name, Key: key}
}

// placeholders are what people type into a cell that has no value, as
// de-duplication keys. Ordering them would pay for a search for "N/A".
var placeholders = map[string]bool{
	"N/A": true, "NA": true, "NULL": true, "NONE": true, "NIL": true, "TBD": true,
	"无": true, "暂无": true, "不详": true, "未知": true, "空": true, "待定": true, "待补充": true, "缺失": true,
}

// isExcelError reports whether s is one of Excel's error values, which a
// formula cell (or a CSV exported from one) shows instead of a result.
func isExcelError(s string) bool {
	switch s {
	case "#N/A", "#REF!", "#VALUE!", "#DIV/0!", "#NAME?", "#NULL!", "#NUM!", "#SPILL!", "#CALC!", "#GETTING_DATA":
		return true
	}
	return false
}
