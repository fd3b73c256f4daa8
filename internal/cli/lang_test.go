package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/qccbatch/qccbatch/client/qcctest"
)

// langBook writes a portfolio whose run gives several kinds of rows: a
// credit code with a wrong check character (invalid), a report that fails
// (F), an order whose answer is ambiguous (uncertain), a balance stop
// (API 112), and a company left not ordered by that stop.
func langBook(t *testing.T) string {
	t.Helper()
	book := "企业名称,统一社会信用代码\n" +
		",914403001922038217\n" +
		"甲失败公司,\n" +
		"乙已下单199公司,\n" +
		"丙余额公司,\n" +
		"丁普通公司,\n"
	p := filepath.Join(t.TempDir(), "book.csv")
	require.NoError(t, os.WriteFile(p, []byte(book), 0o600))
	return p
}

// userText is the Han text a run may quote in any language: the input's
// headers and company names, and the API's own messages (112 and 199).
var userText = []string{"企业名称", "统一社会信用代码", "甲失败公司", "乙已下单199公司", "丙余额公司", "丁普通公司",
	"您的账号剩余使用量已不足或已过期", "系统未知错误，请联系技术客服"}

// hanLeft returns s without the user's and the API's text, and whether any
// Han character is left.
func hanLeft(s string) (string, bool) {
	for _, u := range userText {
		s = strings.ReplaceAll(s, u, "")
	}
	return s, strings.ContainsFunc(s, func(r rune) bool { return unicode.Is(unicode.Han, r) })
}

// TestLang_RunEndToEnd runs a portfolio that yields an invalid row, a failed
// report, an uncertain row and a balance stop, in en and in zh: in en
// nothing the program says is Chinese but the user's and the API's text;
// in zh the plan and the stop reason are Chinese.
func TestLang_RunEndToEnd(t *testing.T) {
	t.Setenv("QCC_KEY", qcctest.DefaultKey)
	t.Setenv("QCC_SECRET_KEY", qcctest.DefaultSecret)
	for _, lang := range []string{"en", "zh"} {
		t.Run(lang, func(t *testing.T) {
			srv := qcctest.New(t, qcctest.WithGenDelay(0))
			in := langBook(t)
			out := filepath.Join(t.TempDir(), "r.csv")
			_, plan, line := runCLI(t, "run", in, "--lang", lang, "--dry-run", "--price", "30")
			require.Empty(t, line)
			code, stderr, stop := runCLI(t, "run", in, "--lang", lang, "--base-url", srv.BaseURL(), "--qps", "0",
				"--concurrency", "1", "--poll-interval", "10ms", "--no-progress", "--log-format", "human", "-o", out)
			assert.Equal(t, exitStopped, code, "a balance stop exits 3: %s", stop)
			res, err := os.ReadFile(out)
			require.NoError(t, err)
			results := string(res)
			for _, o := range []string{"invalid", "failed", "uncertain", "not_ordered"} {
				if lang == "en" {
					assert.Contains(t, results, ","+o+",", "the results have a %s row", o)
				}
			}
			if lang == "en" {
				for name, s := range map[string]string{"plan": plan, "stderr": stderr, "stop reason": stop, "results": results} {
					left, han := hanLeft(s)
					assert.False(t, han, "%s in en has Chinese of its own:\n%s", name, left)
				}
				assert.Contains(t, plan, "invalid:     1")
				assert.Contains(t, plan, "wrong check character")
				assert.Contains(t, stop, "daily limit or balance reached")
				assert.Contains(t, results, "wrong check character: GB 32100-2015 gives 6 as the 18th")
				assert.Contains(t, results, "report generation failed (F)")
				assert.Contains(t, results, "look it up in Qichacha's order list")
				assert.Contains(t, results, "not ordered: the run stopped: API 112")
				return
			}
			assert.Contains(t, plan, "无效：      1")
			assert.Contains(t, plan, "校验位错误")
			assert.Contains(t, plan, "本次新下单：")
			assert.Contains(t, stop, "API 112")
			assert.Contains(t, stop, "已达每日上限或余额不足")
			assert.Contains(t, stderr, "计划：")
			assert.Contains(t, results, "校验位错误：第18位")
			assert.Contains(t, results, "报告生成失败 (F)")
			assert.Contains(t, results, "请在企查查订单列表中查找")
			assert.Contains(t, results, "未下单：运行已停止：API 112")
			assert.NotContains(t, results, "rerun", "no English sentence in the zh results")
		})
	}
}
