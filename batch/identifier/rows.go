package identifier

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Labels of rows that are not companies: a totals row at the bottom of the
// table, or a note under it.
var (
	totalsWords = []string{"合计", "小计", "总计", "汇总", "共计", "累计", "总合计", "本页合计", "本页小计", "本月合计", "全部合计"}
	notesWords  = []string{"备注", "说明", "附注", "注释", "填表说明", "制表人", "审核人", "复核人"}
	// English labels, matched whole (upper case, single spaces).
	totalsEnglish = map[string]bool{"TOTAL": true, "TOTALS": true, "SUBTOTAL": true, "SUB-TOTAL": true, "GRAND TOTAL": true, "SUM": true}
	notesEnglish  = map[string]bool{"NOTE": true, "NOTES": true, "REMARK": true, "REMARKS": true}
)

// Kinds of row label.
const (
	labelTotals = "totals"
	labelNotes  = "notes"
)

// rowLabel reports whether an identifier cell labels a totals row
// (labelTotals) or a notes row (labelNotes) rather than naming a company.
// The cell is folded (NFKC: full-width colons and brackets become ASCII)
// and its spaces dropped, so "合 计", "合计：", "总计（元）", "合计金额" and
// "备注：以上数据截至9月30日" are labels; "汇总科技有限公司" is not.
func rowLabel(raw string) string {
	folded := norm.NFKC.String(raw)
	en := strings.ToUpper(strings.TrimRight(strings.Join(strings.Fields(folded), " "), ":."))
	switch {
	case totalsEnglish[en]:
		return labelTotals
	case notesEnglish[en]:
		return labelNotes
	}
	s := strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) || unicode.Is(unicode.Cf, r) {
			return -1
		}
		return r
	}, folded)
	for _, g := range []struct {
		kind  string
		words []string
	}{{labelTotals, totalsWords}, {labelNotes, notesWords}} {
		for _, w := range g.words {
			if rest, ok := strings.CutPrefix(s, w); ok && labelRest(s, rest) {
				return g.kind
			}
		}
	}
	// "注" alone is too short a prefix: only "注", "注:…" or "注1…".
	if rest, ok := strings.CutPrefix(s, "注"); ok && (rest == "" || rest[0] == ':' || ('0' <= rest[0] && rest[0] <= '9')) {
		return labelNotes
	}
	return ""
}

// labelRest reports whether rest, what follows a label word in s, keeps s
// a label: nothing; a colon and anything after it; a bracketed unit
// ("(元)"); or at most three more characters ("合计金额", "合计行") when s
// does not look like an organisation.
func labelRest(s, rest string) bool {
	switch {
	case rest == "" || rest[0] == ':':
		return true
	case (rest[0] == '(' || rest[0] == '[') && strings.IndexAny(rest, ")]") == len(rest)-1:
		return true
	}
	return utf8.RuneCountInString(rest) <= 3 && !LooksLikeOrganisation(s)
}
