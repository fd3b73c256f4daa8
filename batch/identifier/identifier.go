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
	Message   string // why the row is invalid and what to do, or a warning for a valid row (Chinese)
	MessageEN string // Message in English
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
	// ReasonTotalsRow is a totals row (合计, 小计, 总计 …), not a company.
	ReasonTotalsRow = "不是企业：合计行"
	// ReasonNotesRow is a note under the table (备注, 说明 …), not a company.
	ReasonNotesRow = "不是企业：备注行"
	// ReasonFormulaUncalculated is a formula whose result the file does
	// not hold (input.CellFormulaUncalculated).
	ReasonFormulaUncalculated = "公式未计算"
	// ReasonStoredAsNumber is a code of more than 15 digits stored as an
	// exact number: the file holds every digit, but a spreadsheet keeps 15.
	ReasonStoredAsNumber = "代码存为数字"
)

// maxNameRunes is the longest name accepted; registered names are far shorter.
const maxNameRunes = 100

// Classify normalises and classifies one identifier cell per SPEC "Input".
// It never fails: an unusable value is returned with Invalid set and a
// message that says what is wrong and what to do.
func Classify(c input.Cell, opt Options) ID {
	if c.Type == input.CellFormulaUncalculated {
		return invalid(KindInvalid, ReasonFormulaUncalculated,
			"公式未计算：文件中没有该公式的计算结果，请在 Excel 或 WPS 中打开并保存该文件",
			"formula never calculated: the file holds no result for this formula; open and save the file in Excel or WPS")
	}
	raw := input.Trim(c.Value)
	if raw == "" {
		return invalid(KindEmpty, ReasonEmpty, "标识为空：请填写统一社会信用代码或企业名称",
			"empty: fill in the unified social credit code or the company name")
	}
	if strings.ContainsRune(raw, utf8.RuneError) {
		return invalid(KindInvalid, ReasonGarbled, "含无法识别的字符（乱码）：请检查文件编码，或用 --encoding 指定",
			"unreadable characters (garbled text): check the file's encoding, or name it with --encoding")
	}
	if isExcelError(raw) {
		return invalid(KindInvalid, ReasonFormulaError,
			fmt.Sprintf("单元格是公式错误 %s（如 VLOOKUP 未找到）：请修正公式或填入代码、名称", raw),
			fmt.Sprintf("the cell is the formula error %s (e.g. a VLOOKUP that found nothing): fix the formula or fill in the code or name", raw))
	}
	if c.Type == input.CellBool {
		return invalid(KindInvalid, ReasonNotID, fmt.Sprintf("单元格是逻辑值 %s，不是代码或名称：请填写统一社会信用代码或企业名称", raw),
			fmt.Sprintf("the cell is the logical value %s, not a code or a name: fill in the unified social credit code or the company name", raw))
	}
	switch rowLabel(raw) {
	case labelTotals:
		return invalid(KindInvalid, ReasonTotalsRow, fmt.Sprintf("不是企业：合计行（%s）", raw),
			fmt.Sprintf("not a company: totals row (%s)", raw))
	case labelNotes:
		return invalid(KindInvalid, ReasonNotesRow, fmt.Sprintf("不是企业：备注行（%s）", clip(raw, 20)),
			fmt.Sprintf("not a company: notes row (%s)", clip(raw, 20)))
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

func invalid(k Kind, reason, zh, en string) ID {
	return ID{Kind: k, Invalid: true, Reason: reason, Message: zh, MessageEN: en}
}

// clip shortens s to n characters for a message.
func clip(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n]) + "…"
	}
	return s
}

func precisionLost() ID {
	return invalid(KindInvalid, ReasonPrecision,
		"数字精度已丢失：请将该列设为文本（Excel 只保留15位有效数字，后几位已变为0），重新填写完整代码",
		"precision lost: the number kept only 15 significant digits (the last ones became 0); format the column as text and enter the full code again")
}

// classifyNumber handles a spreadsheet number cell: only a 15-digit
// registration number survives being stored as a number.
func classifyNumber(raw string, opt Options) ID {
	digits, ok := numberDigits(raw)
	switch {
	case ok && len(digits) > 15 && exactDigits(raw, digits):
		return storedAsNumber(digits)
	case ok && len(digits) > 15:
		return precisionLost()
	case ok && len(digits) == 15:
		return classifyCode(digits, opt)
	}
	return invalid(KindInvalid, ReasonNumber,
		fmt.Sprintf("数字 %s 不是代码：应为18位统一社会信用代码或15位注册号，请将该列设为文本后填写", raw),
		fmt.Sprintf("the number %s is not a code (an 18-character credit code or a 15-digit registration number): format the column as text and enter it", raw))
}

// storedAsNumber is a code of more than 15 digits that the file holds
// exactly as a number (Excel::Writer::XLSX write(), Gnumeric): the digits
// are intact here, but a spreadsheet keeps 15 and shows 9.14403001922038E+17,
// and saving the file again there turns the last digits to 0.
func storedAsNumber(digits string) ID {
	ok := ""
	okEN := ""
	if len(digits) == 18 {
		if want, _ := USCCCheckChar(digits[:17]); want == digits[17] {
			ok, okEN = "，校验位正确", ", its check digit is right"
		}
	}
	return invalid(KindInvalid, ReasonStoredAsNumber,
		fmt.Sprintf("代码存为数字：文件中的 %d 位数字完整（%s%s），但 Excel、WPS 只保留15位有效数字，打开后会显示为科学计数法、保存后末几位变为0；请将该列设为文本后填写代码", len(digits), digits, ok),
		fmt.Sprintf("code stored as a number: the %d digits in the file are intact (%s%s), but Excel and WPS keep 15 significant digits, show it in scientific notation and save it with the last digits as 0; format the column as text and enter the code", len(digits), digits, okEN))
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
			id.MessageEN = fmt.Sprintf("registration number check digit does not match (GS15-2006 gives %c as the 15th digit); searched as written, please check", want)
		}
		return id
	}
	return invalid(KindInvalid, ReasonLength,
		fmt.Sprintf("位数错误：%s 有 %d 位，统一社会信用代码应为18位、注册号应为15位数字；请核对", code, len(code)),
		fmt.Sprintf("wrong length: %s has %d characters; a unified social credit code has 18, a registration number 15 digits; please check", code, len(code)))
}

func classifyUSCC(code string, opt Options) ID {
	for i := 0; i < len(code); i++ {
		if usccValue[code[i]] < 0 {
			hint, hintEN := "", ""
			switch code[i] {
			case 'O':
				hint, hintEN = "（是否应为数字0？）", " (the digit 0?)"
			case 'I':
				hint, hintEN = "（是否应为数字1？）", " (the digit 1?)"
			}
			return invalid(KindInvalid, ReasonBadChar, fmt.Sprintf(
				"含非法字符：第%d位 %c 不在统一社会信用代码字符集中（不使用 I、O、S、V、Z）%s；请核对", i+1, code[i], hint),
				fmt.Sprintf("invalid character: character %d, %c, is not used in credit codes (no I, O, S, V, Z)%s; please check", i+1, code[i], hintEN))
		}
	}
	if code[0] == '5' {
		return invalid(KindInvalid, ReasonSocialOrg,
			"暂不支持社会组织：以5开头的代码由民政部门登记（社会团体、基金会、民办非企业单位），基础身份报告不覆盖",
			"social organisations are not supported: a code starting with 5 is registered by civil affairs (associations, foundations, private non-enterprise units), which the report does not cover")
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
		id.MessageEN = fmt.Sprintf("check character does not match: GB 32100-2015 gives %c as the 18th, the code has %c; ordered because of --allow-bad-checksum", want, code[17])
		return id
	}
	return invalid(KindInvalid, ReasonChecksum, fmt.Sprintf(
		"校验位错误：第18位按 GB 32100-2015 应为 %c，实为 %c；请核对代码（个别早期试点代码确实不符，可用 --allow-bad-checksum 下单）",
		want, code[17]),
		fmt.Sprintf("wrong check character: GB 32100-2015 gives %c as the 18th, the code has %c; check the code (a few early pilot codes genuinely fail: --allow-bad-checksum orders them)", want, code[17]))
}

func classifyName(name string) ID {
	n := utf8.RuneCountInString(name)
	switch {
	case n < 2:
		return invalid(KindInvalid, ReasonNameTooShort,
			fmt.Sprintf("名称过短：%q 不足2个字符；请填写企业全称或统一社会信用代码", name),
			fmt.Sprintf("name too short: %q has fewer than 2 characters; fill in the full company name or the credit code", name))
	case n > maxNameRunes:
		return invalid(KindInvalid, ReasonNameTooLong,
			fmt.Sprintf("名称过长：%d 个字符（最多 %d）；请检查是否多列合并到了一格", n, maxNameRunes),
			fmt.Sprintf("name too long: %d characters (at most %d); were several columns merged into one cell?", n, maxNameRunes))
	}
	for _, r := range name {
		if unicode.IsControl(r) {
			return invalid(KindInvalid, ReasonBadChar, "名称含控制字符（换行、制表符等）：请只保留企业名称",
				"the name holds control characters (line breaks, tabs …): keep only the company name")
		}
	}
	key := nameKey(name)
	if placeholders[key] || !strings.ContainsFunc(name, unicode.IsLetter) {
		return invalid(KindInvalid, ReasonNotID,
			fmt.Sprintf("%q 不是代码或名称（占位符或只有数字、符号）：请填写统一社会信用代码或企业全称", name),
			fmt.Sprintf("%q is not a code or a name (a placeholder, or only digits and symbols): fill in the credit code or the full company name", name))
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
