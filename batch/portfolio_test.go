package batch

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/qccbatch/qccbatch/batch/identifier"
	"github.com/qccbatch/qccbatch/batch/input"
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
	if err := os.WriteFile(p, []byte(csv), 0o600); err != nil {
		t.Fatal(err)
	}
	got, err := ScanPortfolio(p, input.Options{}, identifier.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if got.Rows != 8 || got.Duplicates != 2 || len(got.Companies) != 4 || got.Invalid() != 2 {
		t.Fatalf("rows %d dups %d companies %d invalid %d", got.Rows, got.Duplicates, len(got.Companies), got.Invalid())
	}
	wantRow := []int32{0, 0, 1, 1, -1, 2, -1, 3}
	for i, w := range wantRow {
		if got.RowCompany[i] != w {
			t.Errorf("row %d: company %d, want %d", i, got.RowCompany[i], w)
		}
	}
	if got.Companies[0].Rows != 2 || got.Companies[1].SearchKey != "小米科技有限责任公司" || got.Companies[3].Kind != identifier.KindRegNo {
		t.Errorf("companies %+v", got.Companies)
	}
	if got.InvalidByReason[identifier.ReasonChecksum] != 1 || got.InvalidByReason[identifier.ReasonSocialOrg] != 1 {
		t.Errorf("invalid by reason %v", got.InvalidByReason)
	}
	if !strings.Contains(got.RowMessage[4], "应为 6") || !strings.Contains(got.RowMessage[7], "注册号校验位不符") {
		t.Errorf("messages %v", got.RowMessage)
	}

	var plan bytes.Buffer
	got.WritePlan(&plan)
	for _, w := range []string{"rows:        8", "invalid:     2", "校验位错误", "暂不支持社会组织", "duplicates:  2",
		"warnings:    1", "companies:   4 (1 by credit code, 1 by registration number, 2 by name)",
		`column B "统一社会信用代码", else column A "企业名称"`} {
		if !strings.Contains(plan.String(), w) {
			t.Errorf("plan lacks %q:\n%s", w, plan.String())
		}
	}

	allow, err := ScanPortfolio(p, input.Options{}, identifier.Options{AllowBadChecksum: true})
	if err != nil {
		t.Fatal(err)
	}
	if allow.Invalid() != 1 || len(allow.Companies) != 5 {
		t.Errorf("with --allow-bad-checksum: invalid %d companies %d", allow.Invalid(), len(allow.Companies))
	}
}
