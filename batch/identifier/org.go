package identifier

import (
	"strings"

	"golang.org/x/text/unicode/norm"
)

// orgWords are what the names of organisations end with or contain: legal
// forms and kinds of establishment. A name column in which fewer than half
// the names hold one is probably a column of people.
var orgWords = []string{
	"公司", "厂", "店", "中心", "合作社", "事务所", "集团", "银行", "医院", "学校", "研究院", "研究所",
	"协会", "商行", "经营部", "工作室", "部", "社", "馆", "所", "院", "行", "局", "站", "场", "处",
	"基金", "联社", "商会", "学会", "大学", "学院", "幼儿园", "门市", "商店", "超市", "酒店", "宾馆",
	"农场", "牧场", "加工坊", "作坊", "企业", "合伙", "实业", "科技", "贸易", "有限", "股份", "控股",
}

// orgEnglish are the English legal forms and words, matched as whole
// words ignoring case and a trailing dot.
var orgEnglish = map[string]bool{
	"CO": true, "COMPANY": true, "LTD": true, "LIMITED": true, "INC": true, "INCORPORATED": true,
	"LLC": true, "LLP": true, "LP": true, "PLC": true, "CORP": true, "CORPORATION": true, "GMBH": true,
	"AG": true, "SA": true, "SAS": true, "SARL": true, "BV": true, "NV": true, "AB": true, "AS": true,
	"OY": true, "SPA": true, "SRL": true, "KK": true, "PTE": true, "PTY": true, "BHD": true, "GROUP": true,
	"HOLDINGS": true, "HOLDING": true, "BANK": true, "TRUST": true, "FUND": true, "PARTNERS": true,
	"ASSOCIATES": true, "INDUSTRIES": true, "TECHNOLOGY": true, "TECHNOLOGIES": true, "TRADING": true,
	"ENTERPRISES": true, "ENTERPRISE": true, "UNIVERSITY": true, "HOSPITAL": true, "SCHOOL": true,
	"INSTITUTE": true, "ASSOCIATION": true, "FOUNDATION": true, "CENTER": true, "CENTRE": true,
}

// LooksLikeOrganisation reports whether name reads like the name of an
// organisation rather than of a person: it holds a Chinese legal form or
// kind of establishment (公司, 厂, 店, 中心, 合作社, 事务所, 集团, 银行, 医院,
// 学校, 研究院, 协会, 商行, 经营部, 工作室, 部 …) or an English one as a
// whole word (Co., Ltd, Inc, LLC, Limited, Corp, GmbH …). A person's name
// (张伟, Zhang Wei, 欧阳娜娜) holds none. It is a heuristic for a whole
// column, not a verdict on one cell.
func LooksLikeOrganisation(name string) bool {
	s := norm.NFKC.String(name)
	for _, w := range orgWords {
		if strings.Contains(s, w) {
			return true
		}
	}
	words := strings.FieldsFunc(strings.ToUpper(s), func(r rune) bool {
		return !('A' <= r && r <= 'Z' || r == '&')
	})
	for _, w := range words {
		if orgEnglish[w] {
			return true
		}
	}
	return false
}
