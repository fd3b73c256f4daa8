package input

import (
	"errors"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"unicode"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func hasHan(s string) bool {
	return strings.ContainsFunc(s, func(r rune) bool { return unicode.Is(unicode.Han, r) })
}

// quoted matches what an error quotes as it came: file, sheet and header
// names, and the example headers and Excel menu it names.
var quoted = regexp.MustCompile(`"[^"]*"|` + exampleCodeHeader + `|` + exampleNameHeader + `|` + excelProtectMenu)

// TestErrorLang: the same input error is a sentence in zh or in en, with
// the file name, sheet and header names as they came.
func TestErrorLang(t *testing.T) {
	cases := []struct {
		name string
		open func(lang string) error
	}{
		{"no identifier column", func(lang string) error {
			_, err := Open(writeTemp(t, "客户名单.csv", "序号,金额\n1,2\n"), Options{Lang: lang})
			return err
		}},
		{"header only", func(lang string) error {
			_, err := Open(writeTemp(t, "客户名单.csv", "序号,企业名称\r\n"), Options{Lang: lang})
			return err
		}},
		{"empty file", func(lang string) error {
			_, err := Open(writeTemp(t, "客户名单.csv", ""), Options{Lang: lang})
			return err
		}},
		{"column not found", func(lang string) error {
			_, err := Open(writeTemp(t, "客户名单.csv", "企业名称\n甲公司\n"), Options{Lang: lang, Column: "代码"})
			return err
		}},
		{"sheet not found", func(lang string) error {
			_, err := Open("../../testdata/input/realbook/realbook.xlsx", Options{Lang: lang, Sheet: "不存在"})
			return err
		}},
		{"no sheet with a header", func(lang string) error {
			_, err := Open("../../testdata/input/realbook/realbook.xlsx", Options{Lang: lang, HeaderRow: 2})
			return err
		}},
		{"damaged worksheet", func(lang string) error {
			in, err := Open("../../testdata/input/bad/damaged_sheet.xlsx", Options{Lang: lang})
			for err == nil {
				_, err = in.Next()
			}
			in.Close()
			return err
		}},
	}
	for _, tt := range cases {
		t.Run(tt.name, func(t *testing.T) {
			var ie *Error
			zh, en := tt.open("zh"), tt.open("en")
			require.True(t, errors.As(zh, &ie), "%v", zh)
			require.True(t, errors.As(en, &ie), "%v", en)
			base := filepath.Base(ie.Path)
			assert.True(t, strings.HasPrefix(zh.Error(), base+": "), "zh names the file as given: %q", zh)
			assert.True(t, strings.HasPrefix(en.Error(), base+": "), "en names the file as given: %q", en)
			assert.True(t, hasHan(quoted.ReplaceAllString(strings.TrimPrefix(zh.Error(), base), "")), "zh is Chinese: %q", zh)
			assert.False(t, hasHan(quoted.ReplaceAllString(strings.TrimPrefix(en.Error(), base), "")), "en has no Han but names: %q", en)
			assert.Equal(t, zh.Error(), tt.open("").Error(), "the default is zh")
			t.Log(zh)
		})
	}
}
