package batch

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/qccbatch/qccbatch/batch/identifier"
	"github.com/qccbatch/qccbatch/batch/input"
	"github.com/qccbatch/qccbatch/batch/msg"
)

func TestScanPortfolio(t *testing.T) {
	csv := "企业名称,统一社会信用代码\n" +
		"华为技术有限公司,914403001922038216\n" + // 0: company 0
		"华为,９１４４０３００１９２２０３８２１６\n" + // 1: duplicate of 0 (full-width)
		"小米科技有限责任公司,\n" + // 2: company 1 by name
		"小米科技有限责任公司 ,\n" + // 3: duplicate of 1 (trailing space)
		"坏代码,914403001922038217\n" + // 4: invalid checksum
		",\n" + // blank: not a data row
		"只有备注,\n" + // 5: name fallback: company 2
		"社会组织,53100000500021676K\n" + // 6: invalid
		"注册号,440301103097414\n" // 7: company 3 with a warning
	p := filepath.Join(t.TempDir(), "p.csv")
	require.NoError(t, os.WriteFile(p, []byte(csv), 0o600))
	got, err := ScanPortfolio(p, input.Options{}, identifier.Options{})
	require.NoError(t, err)
	require.Equal(t, 8, got.Rows, "rows")
	require.Equal(t, 2, got.Duplicates, "duplicates")
	require.Len(t, got.Companies, 4, "companies")
	require.Equal(t, 2, got.Invalid(), "invalid")
	wantRow := []int32{0, 0, 1, 1, -1, 2, -1, 3}
	for i, w := range wantRow {
		assert.Equal(t, w, got.RowCompany[i], "row %d: company", i)
	}
	assert.Equal(t, 2, got.Companies[0].Rows, "companies %+v", got.Companies)
	assert.Equal(t, "小米科技有限责任公司", got.Companies[1].SearchKey, "companies %+v", got.Companies)
	assert.Equal(t, identifier.KindRegNo, got.Companies[3].Kind, "companies %+v", got.Companies)
	assert.Equal(t, 1, got.InvalidByReason[msg.ReasonChecksum], "invalid by reason %v", got.InvalidByReason)
	assert.Equal(t, 1, got.InvalidByReason[msg.ReasonSocialOrg], "invalid by reason %v", got.InvalidByReason)
	assert.Contains(t, got.RowMessage[4], "应为 6", "messages %v", got.RowMessage)
	assert.Contains(t, got.RowMessage[7], "注册号校验位不符", "messages %v", got.RowMessage)

	var plan bytes.Buffer
	got.WritePlan(&plan, "en")
	for _, w := range []string{"rows:        8", "invalid:     2", "wrong check character", "social organisation", "duplicates:  2",
		"warnings:    1", "companies:   4 (1 by credit code, 1 by registration number, 2 by name)",
		`column B "统一社会信用代码", else column A "企业名称"`} {
		assert.Contains(t, plan.String(), w, "plan lacks %q", w)
	}
	plan.Reset()
	got.WritePlan(&plan, "zh")
	for _, w := range []string{"行数：      8", "无效：      2", "校验位错误", "暂不支持社会组织", "重复：      2",
		"企业：      4（按统一社会信用代码 1，按注册号 1，按名称 2）", `B 列 "统一社会信用代码"，代码为空时用 A 列 "企业名称"`} {
		assert.Contains(t, plan.String(), w, "zh plan lacks %q", w)
	}

	allow, err := ScanPortfolio(p, input.Options{}, identifier.Options{AllowBadChecksum: true})
	require.NoError(t, err)
	assert.Equal(t, 1, allow.Invalid(), "with --allow-bad-checksum: invalid")
	assert.Len(t, allow.Companies, 5, "with --allow-bad-checksum: companies")
}
