package identifier

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/qccbatch/qccbatch/batch/input"
	"github.com/qccbatch/qccbatch/batch/msg"
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
	SearchKey string      // sent to the API: the folded code, or the name as written (trimmed)
	Key       string      // de-duplication key: the folded code, or the NFKC-folded name
	Invalid   bool        // nothing may be ordered for this row
	Reason    msg.ID      // short category for the plan, e.g. msg.ReasonChecksum; msg.None for a clean valid row
	Message   msg.Message // why the row is invalid and what to do, or a warning for a valid row; rendered where it is shown
}

// maxNameRunes is the longest name accepted; registered names are far shorter.
const maxNameRunes = 100

// Classify normalises and classifies one identifier cell per SPEC "Input".
// It never fails: an unusable value is returned with Invalid set and a
// message that says what is wrong and what to do.
func Classify(c input.Cell, opt Options) ID {
	if c.Type == input.CellFormulaUncalculated {
		return invalid(KindInvalid, msg.ReasonFormulaUncalculated, msg.IDFormulaUncalculated)
	}
	raw := input.Trim(c.Value)
	if raw == "" {
		return invalid(KindEmpty, msg.ReasonEmpty, msg.IDEmpty)
	}
	if strings.ContainsRune(raw, utf8.RuneError) {
		return invalid(KindInvalid, msg.ReasonGarbled, msg.IDGarbled)
	}
	if isExcelError(raw) {
		return invalid(KindInvalid, msg.ReasonFormulaError, msg.IDFormulaError, raw)
	}
	if c.Type == input.CellBool {
		return invalid(KindInvalid, msg.ReasonNotID, msg.IDBool, raw)
	}
	switch rowLabel(raw) {
	case labelTotals:
		return invalid(KindInvalid, msg.ReasonTotalsRow, msg.IDTotalsRow, raw)
	case labelNotes:
		return invalid(KindInvalid, msg.ReasonNotesRow, msg.IDNotesRow, clip(raw, 20))
	}
	if c.Type == input.CellNumber {
		return classifyNumber(raw, opt)
	}
	if isSciNotation(raw) {
		return precisionLost()
	}
	code := foldCode(raw)
	if !looksLikeCode(code) && strings.Contains(code, "-") {
		// "91110108-551385082Q": a code typed in groups is a code, not a
		// name to search for.
		if bare := strings.ReplaceAll(code, "-", ""); looksLikeCode(bare) {
			code = bare
		}
	}
	if looksLikeCode(code) {
		return classifyCode(code, opt)
	}
	return classifyName(raw)
}

// invalid is an invalid identifier with its reason and message m.
func invalid(k Kind, reason, m msg.ID, args ...any) ID {
	return ID{Kind: k, Invalid: true, Reason: reason, Message: msg.M(m, args...)}
}

// clip shortens s to n characters for a message.
func clip(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n]) + "…"
	}
	return s
}

func precisionLost() ID {
	return invalid(KindInvalid, msg.ReasonPrecision, msg.IDPrecision)
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
	return invalid(KindInvalid, msg.ReasonNumber, msg.IDNumber, raw)
}

// storedAsNumber is a code of more than 15 digits that the file holds
// exactly as a number (Excel::Writer::XLSX write(), Gnumeric): the digits
// are intact here, but a spreadsheet keeps 15 and shows 9.14403001922038E+17,
// and saving the file again there turns the last digits to 0.
func storedAsNumber(digits string) ID {
	ok := msg.None
	if len(digits) == 18 {
		if want, _ := USCCCheckChar(digits[:17]); want == digits[17] {
			ok = msg.IDStoredAsNumberCheckOK
		}
	}
	return invalid(KindInvalid, msg.ReasonStoredAsNumber, msg.IDStoredAsNumber, len(digits), digits, msg.M(ok))
}

// classifyCode classifies a folded, code-like value (ASCII upper case).
func classifyCode(code string, opt Options) ID {
	switch {
	case len(code) == 18:
		return classifyUSCC(code, opt)
	case len(code) == 15 && allDigits(code):
		id := ID{Kind: KindRegNo, SearchKey: code, Key: code}
		if !gs15Valid(code) {
			want, _ := gs15Check(code[:14])
			id.Reason = msg.ReasonRegNoCheck
			id.Message = msg.M(msg.IDRegNoCheck, want)
		}
		return id
	}
	return invalid(KindInvalid, msg.ReasonLength, msg.IDLength, code, len(code))
}

func classifyUSCC(code string, opt Options) ID {
	for i := 0; i < len(code); i++ {
		if usccValue[code[i]] < 0 {
			hint := msg.None
			switch code[i] {
			case 'O':
				hint = msg.IDBadCharO
			case 'I':
				hint = msg.IDBadCharI
			}
			return invalid(KindInvalid, msg.ReasonBadChar, msg.IDBadChar, i+1, code[i], msg.M(hint))
		}
	}
	if code[0] == '5' {
		return invalid(KindInvalid, msg.ReasonSocialOrg, msg.IDSocialOrg)
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
		id.Reason = msg.ReasonChecksumAllowed
		id.Message = msg.M(msg.IDChecksumAllowed, want, code[17])
		return id
	}
	return invalid(KindInvalid, msg.ReasonChecksum, msg.IDChecksum, want, code[17])
}

func classifyName(name string) ID {
	n := utf8.RuneCountInString(name)
	switch {
	case n < 2:
		return invalid(KindInvalid, msg.ReasonNameTooShort, msg.IDNameTooShort, name)
	case n > maxNameRunes:
		return invalid(KindInvalid, msg.ReasonNameTooLong, msg.IDNameTooLong, n, maxNameRunes)
	}
	for _, r := range name {
		if unicode.IsControl(r) {
			return invalid(KindInvalid, msg.ReasonBadChar, msg.IDNameControl)
		}
	}
	key := nameKey(name)
	if placeholders[key] || !strings.ContainsFunc(name, unicode.IsLetter) {
		return invalid(KindInvalid, msg.ReasonNotID, msg.IDNotID, name)
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
