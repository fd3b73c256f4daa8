package identifier

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestLooksLikeOrganisation(t *testing.T) {
	tests := []struct {
		name string
		want bool
	}{
		{"华为技术有限公司", true},
		{"深圳市南山区某某电子厂", true},
		{"上海浦东新区宏达五金经营部", true},
		{"成都蜀香餐饮管理有限公司", true},
		{"某某农民专业合作社", true},
		{"北京市某某律师事务所", true},
		{"中国工商银行", true},
		{"某某市第一人民医院", true},
		{"某某小学校", true},
		{"某某研究院", true},
		{"某某行业协会", true},
		{"某某商行", true},
		{"张三设计工作室", true},
		{"某某便利店", true},
		{"某某服务中心", true},
		{"某某集团", true},
		{"Apple Inc.", true},
		{"Siemens AG", true},
		{"Acme Co., Ltd.", true},
		{"Foo LLC", true},
		{"Bar Limited", true},
		{"Baz Corp", true},
		{"Robert Bosch GmbH", true},
		{"张伟", false},
		{"李娜", false},
		{"欧阳娜娜", false},
		{"Zhang Wei", false},
		{"Cohen", false}, // "CO" only as a whole word
		{"", false},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, LooksLikeOrganisation(tt.name), tt.name)
	}
}
