package results

import (
	"archive/zip"
	"encoding/xml"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/xuri/excelize/v2"

	"github.com/qccbatch/qccbatch/batch/input"
	"github.com/qccbatch/qccbatch/batch/outcome"
)

// opsDeskInput writes a portfolio as an operations desk keeps it: an
// instructions sheet first, then the list with two title lines and a blank
// row above the header, eight columns, 60 customers and a totals row.
func opsDeskInput(t *testing.T, path string) {
	t.Helper()
	f := excelize.NewFile()
	defer func() { _ = f.Close() }()
	require.NoError(t, f.SetSheetName("Sheet1", "填写说明"))
	for i, s := range []string{"填写说明", "1. 统一社会信用代码为 18 位；没有代码的填写企业全称。", "2. 风险等级：高、较高、中、较低、低。", "3. 本表由运营部每月维护，请勿改动表头。"} {
		require.NoError(t, f.SetCellStr("填写说明", fmt.Sprintf("A%d", i+1), s))
	}
	_, err := f.NewSheet("客户清单")
	require.NoError(t, err)
	sh := "客户清单"
	require.NoError(t, f.SetCellStr(sh, "A1", "某某银行股份有限公司 对公客户存量复核清单（2026 年第一季度）"))
	require.NoError(t, f.SetCellStr(sh, "A2", "制表：运营管理部"))
	require.NoError(t, f.SetCellStr(sh, "E2", "日期：2026-03-31"))
	require.NoError(t, f.SetSheetRow(sh, "A4", &[]any{"序号", "客户编号", "企业名称", "统一社会信用代码", "客户经理", "支行", "风险等级", "备注"}))
	for i := range 60 {
		row := []any{i + 1, fmt.Sprintf("C%07d", 3100000+i), fmt.Sprintf("上海浦江%s科技发展有限公司", strings.Repeat("智能", i%3+1)),
			fmt.Sprintf("9131000%011d", 6000000000+i), []string{"王伟", "李娜", "张敏"}[i%3], "陆家嘴支行", []string{"高", "中", "低"}[i%3], ""}
		if i%7 == 0 {
			row[7] = "年审材料已收"
		}
		require.NoError(t, f.SetSheetRow(sh, fmt.Sprintf("A%d", 5+i), &row))
	}
	require.NoError(t, f.SetSheetRow(sh, "A65", &[]any{"合计", "", "", "", "", "", "", "60 户"}))
	require.NoError(t, f.SaveAs(path))
}

// opsDeskResults reads the ops-desk input and gives every row a result:
// long messages that wrap over several lines, long report links, the
// totals row invalid.
func opsDeskResults(t *testing.T, path string) (*input.Reader, []sampleRow) {
	t.Helper()
	in, err := input.Open(path, input.Options{})
	require.NoError(t, err)
	t.Cleanup(func() { _ = in.Close() })
	t0 := time.Date(2026, 3, 31, 1, 0, 0, 0, time.UTC)
	var rows []sampleRow
	for i := 0; ; i++ {
		r, err := in.Next()
		if err == io.EOF {
			break
		}
		require.NoError(t, err)
		r.Cells = append([]input.Cell(nil), r.Cells...)
		key := in.Identifier(r).Value
		res := Result{SearchKey: key, Outcome: outcome.Ready, Code: "200", OrderNo: fmt.Sprintf("RB2026033100%04d", i),
			ReportStatus: "S", OrderedAt: t0, CompletedAt: t0.Add(3 * time.Minute),
			ReportURL: fmt.Sprintf("https://report.qichacha.com/api/v2/enterprise/report/download/2026/03/31/%s/RB2026033100%04d.pdf?expires=1774915200&sign=8f14e45fceea167a5a36dedd4bea2543", key, i)}
		switch i % 5 {
		case 1:
			res = Result{SearchKey: key, Outcome: outcome.NotFound, Code: "201",
				Message: "查询无结果：企查查未找到与该统一社会信用代码对应的企业；请核对代码是否录入正确（常见为字母 O 与数字 0 混淆），改正后重新运行同一命令即可重新查询，不会重复扣费"}
		case 3:
			res.Message = "报告已生成，但下载时连接中断了两次；已自动重试并成功下载。If the file does not open, download it again from the link."
		}
		if key == "" || strings.HasPrefix(r.Cell(0).Value, "合计") {
			res = Result{Outcome: outcome.Invalid, Message: "企业名称和统一社会信用代码均为空：这一行不是企业（合计行？），不会下单"}
		}
		rows = append(rows, sampleRow{r, res})
	}
	return in, rows
}

// TestWriteResults_PrintOpsDesk prints the results of an ops-desk sheet to
// PDF with LibreOffice and checks the pages: no text smaller than 8 pt
// (the workbook's scale times its fonts, and the words' heights in the
// PDF), no word printed over another (wrapped messages stay in their own
// rows), the header row on every page and the company name beside the
// outcome, message and order number, the full link behind a short text,
// the row column equal to the input's sheet rows, and the title lines on
// the Summary. With -update it writes the page with the outcomes to
// testdata/print/results-page1.png.
func TestWriteResults_PrintOpsDesk(t *testing.T) {
	work := t.TempDir()
	t.Chdir(work)
	src := filepath.Join(work, "客户清单.xlsx")
	opsDeskInput(t, src)
	in, rows := opsDeskResults(t, src)
	require.Len(t, rows, 61)
	code, name := in.Columns()
	sum := Summary{Input: src, Rows: len(rows), Companies: 60, Location: time.FixedZone("CST", 8*3600),
		TitleLines: in.TitleLines(), IdentifierColumns: []int{code, name},
		Counts:  map[outcome.Outcome]int{outcome.Ready: 48, outcome.NotFound: 12, outcome.Invalid: 1},
		ToOrder: 60, NewOrders: 60}
	require.NoError(t, Write("results.xlsx", in.Header(), sliceSource(rows), sum, "zh"))

	// The workbook: the scale and every font size give 8 pt or more.
	f, err := excelize.OpenFile("results.xlsx")
	require.NoError(t, err)
	defer func() { _ = f.Close() }()
	minFont := minFontSize(t, "results.xlsx")
	for _, sheet := range []string{resultsSheet, summarySheet} {
		pl, err := f.GetPageLayout(sheet)
		require.NoError(t, err)
		require.NotNil(t, pl.AdjustTo)
		eff := minFont * float64(*pl.AdjustTo) / 100
		t.Logf("%s: scale %d%%, smallest font %.1f pt: %.2f pt printed", sheet, *pl.AdjustTo, minFont, eff)
		assert.GreaterOrEqual(t, eff, 8.0, "%s prints at 8 pt or more", sheet)
		props, err := f.GetSheetProps(sheet)
		require.NoError(t, err)
		assert.False(t, props.FitToPage != nil && *props.FitToPage, "%s is not shrunk to fit", sheet)
	}
	// The row column is the input's sheet row: the title lines and the
	// blank row above the header are counted, as validate counts them.
	header, err := f.GetRows(resultsSheet)
	require.NoError(t, err)
	rowCol := len(in.Header()) + colRow
	for i, r := range rows {
		assert.Equal(t, strconv.Itoa(r.row.Line), header[i+1][rowCol], "results row %d", i+2)
	}
	assert.Equal(t, "5", header[1][rowCol], "the first customer is on sheet row 5")
	// The Summary keeps the title lines.
	summary, err := f.GetRows(summarySheet)
	require.NoError(t, err)
	assert.Equal(t, []string{"输入文件标题", "某某银行股份有限公司 对公客户存量复核清单（2026 年第一季度）"}, summary[0])
	assert.Equal(t, []string{"", "制表：运营管理部  日期：2026-03-31"}, summary[1])
	// A long link shows a short text and keeps the whole URL.
	urlCell, err := excelize.CoordinatesToCellName(len(in.Header())+colReportURL+1, 2)
	require.NoError(t, err)
	formula, err := f.GetCellFormula(resultsSheet, urlCell)
	require.NoError(t, err)
	assert.Contains(t, formula, `"`+rows[0].res.ReportURL+`"`, "the link is whole")
	assert.Contains(t, formula, `,"…/RB20260331000000.pdf")`, "the cell shows the link's last part")

	bin := soffice(t)
	pdftotext, err := exec.LookPath("pdftotext")
	if err != nil {
		require.Empty(t, os.Getenv("CI"), "CI is set but pdftotext is missing (install poppler-utils)")
		t.Skip("pdftotext not installed")
	}
	pdf := filepath.Join(work, "results.pdf")
	require.NoError(t, os.WriteFile(pdf, sofficeConvert(t, bin, filepath.Join(work, "results.xlsx"), "pdf", "pdf"), 0o600))
	out, err := exec.Command(pdftotext, "-layout", pdf, "-").Output()
	require.NoError(t, err)
	pages := strings.Split(strings.TrimRight(string(out), "\f"), "\f")
	outcomesPage := 0
	var summaryPages int
	for i, page := range pages {
		lines := strings.Split(strings.TrimLeft(page, "\n"), "\n")
		if strings.Contains(page, "输入文件标题") || strings.Contains(page, "需要处理") || !strings.Contains(lines[0], "企业名称") {
			summaryPages++
			continue
		}
		assert.Regexp(t, `^\s*(序号\s+客户编号\s+)?企业名称\s+统一社会信用代码`, lines[0], "page %d starts with the header row and the identifier columns", i+1)
		if strings.Contains(lines[0], "处理结果") && outcomesPage == 0 {
			outcomesPage = i + 1
			assert.Regexp(t, `原行号\s+查询关键字\s+处理结果\s+状态码\s+说明\s+订单号`, lines[0], "the outcome, message and order number print together")
		}
	}
	require.NotZero(t, outcomesPage, "a page shows the outcomes:\n%s", out)
	assert.Positive(t, summaryPages)
	outcomes := pages[outcomesPage-1]
	assert.Regexp(t, `上海浦江智能科技发展有限公司\s+913100006000000000\s+5\s+913100006000000000\s+已完成\s+200\s+RB20260331000000`, outcomes,
		"the company beside its row number, outcome and order")

	// No word printed over another, and no word under 8 pt high.
	words := pdfWords(t, pdf)
	require.NotEmpty(t, words)
	for p, ws := range words {
		for i, a := range ws {
			if h := a.yMax - a.yMin; h < 8 {
				t.Errorf("page %d: %q is %.1f pt high", p+1, a.text, h)
			}
			for _, b := range ws[i+1:] {
				if overlaps(a, b) {
					t.Errorf("page %d: %q printed over %q", p+1, a.text, b.text)
				}
			}
		}
	}
	if updateGolden() {
		dir := filepath.Join(packageDir, "testdata", "print")
		require.NoError(t, os.MkdirAll(dir, 0o755))
		n := strconv.Itoa(outcomesPage)
		cmd := exec.Command("pdftoppm", "-png", "-r", "80", "-f", n, "-l", n, "-singlefile", pdf, filepath.Join(dir, "results-page1"))
		outp, err := cmd.CombinedOutput()
		require.NoError(t, err, "%s", outp)
	}
}

// minFontSize returns the smallest font size in the workbook's styles.
func minFontSize(t *testing.T, path string) float64 {
	t.Helper()
	zr, err := zip.OpenReader(path)
	require.NoError(t, err)
	defer func() { _ = zr.Close() }()
	for _, zf := range zr.File {
		if zf.Name != "xl/styles.xml" {
			continue
		}
		rc, err := zf.Open()
		require.NoError(t, err)
		data, err := io.ReadAll(rc)
		require.NoError(t, err)
		_ = rc.Close()
		least := 0.0
		for _, m := range regexp.MustCompile(`<sz val="([0-9.]+)"`).FindAllStringSubmatch(string(data), -1) {
			v, err := strconv.ParseFloat(m[1], 64)
			require.NoError(t, err)
			if least == 0 || v < least {
				least = v
			}
		}
		require.NotZero(t, least, "the styles set font sizes")
		return least
	}
	t.Fatal("no styles.xml")
	return 0
}

// pdfWord is a word of a PDF page and its box, in points.
type pdfWord struct {
	text                   string
	xMin, yMin, xMax, yMax float64
}

// pdfWords returns the words of each page of pdf, from pdftotext -bbox.
func pdfWords(t *testing.T, pdf string) [][]pdfWord {
	t.Helper()
	out, err := exec.Command("pdftotext", "-bbox", pdf, "-").Output()
	require.NoError(t, err)
	var doc struct {
		Pages []struct {
			Words []struct {
				Text string  `xml:",chardata"`
				XMin float64 `xml:"xMin,attr"`
				YMin float64 `xml:"yMin,attr"`
				XMax float64 `xml:"xMax,attr"`
				YMax float64 `xml:"yMax,attr"`
			} `xml:"word"`
		} `xml:"body>doc>page"`
	}
	dec := xml.NewDecoder(strings.NewReader(string(out)))
	dec.Strict = false
	dec.AutoClose = xml.HTMLAutoClose
	dec.Entity = xml.HTMLEntity
	require.NoError(t, dec.Decode(&doc))
	var pages [][]pdfWord
	for _, p := range doc.Pages {
		var ws []pdfWord
		for _, w := range p.Words {
			ws = append(ws, pdfWord{w.Text, w.XMin, w.YMin, w.XMax, w.YMax})
		}
		pages = append(pages, ws)
	}
	return pages
}

// overlaps reports whether two words' glyphs overlap: their boxes less a
// quarter of their height at the top and bottom (pdftotext's box holds
// the font's whole ascent and descent, and the boxes of a CJK font's
// neighbouring lines touch) overlap.
func overlaps(a, b pdfWord) bool {
	core := func(w pdfWord) (float64, float64) {
		q := (w.yMax - w.yMin) / 4
		return w.yMin + q, w.yMax - q
	}
	ay0, ay1 := core(a)
	by0, by1 := core(b)
	return a.xMin < b.xMax-1 && b.xMin < a.xMax-1 && ay0 < by1 && by0 < ay1
}
