package input

import (
	"errors"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"unicode"

	"github.com/qccbatch/qccbatch/batch/msg"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func hasHan(s string) bool {
	return strings.ContainsFunc(s, func(r rune) bool { return unicode.Is(unicode.Han, r) })
}

// quoted matches what an error quotes as it came: file, sheet and header
// names, and the example headers and Excel menu it names.
var quoted = regexp.MustCompile(`"[^"]*"|` + exampleCodeHeader + `|` + exampleNameHeader + `|` + excelProtectMenu)

// langErr is an error rendered in a language, as the command line shows
// it (msg.Render); it wraps the error for errors.As.
type langErr struct {
	err  error
	lang string
}

func (e langErr) Error() string { return msg.Render(e.err, msg.Language(e.lang)) }
func (e langErr) Unwrap() error { return e.err }

// inLang returns err as shown in lang, nil for nil.
func inLang(err error, lang string) error {
	if err == nil {
		return nil
	}
	return langErr{err, lang}
}

// openEN is Open with its error in English.
func openEN(p string, opt Options) (*Reader, error) {
	in, err := Open(p, opt)
	return in, inLang(err, "en")
}

// TestErrorLang: the same input error is a sentence in zh or in en, with
// the file name, sheet and header names as they came.
func TestErrorLang(t *testing.T) {
	cases := []struct {
		name string
		open func(lang string) error
	}{
		{"no identifier column", func(lang string) error {
			_, err := Open(writeTemp(t, "客户名单.csv", "序号,金额\n1,2\n"), Options{})
			return inLang(err, lang)
		}},
		{"header only", func(lang string) error {
			_, err := Open(writeTemp(t, "客户名单.csv", "序号,企业名称\r\n"), Options{})
			return inLang(err, lang)
		}},
		{"empty file", func(lang string) error {
			_, err := Open(writeTemp(t, "客户名单.csv", ""), Options{})
			return inLang(err, lang)
		}},
		{"column not found", func(lang string) error {
			_, err := Open(writeTemp(t, "客户名单.csv", "企业名称\n甲公司\n"), Options{Column: "代码"})
			return inLang(err, lang)
		}},
		{"sheet not found", func(lang string) error {
			_, err := Open("../../testdata/input/realbook/realbook.xlsx", Options{Sheet: "不存在"})
			return inLang(err, lang)
		}},
		{"no sheet with a header", func(lang string) error {
			_, err := Open("../../testdata/input/realbook/realbook.xlsx", Options{HeaderRow: 2})
			return inLang(err, lang)
		}},
		{"damaged worksheet", func(lang string) error {
			in, err := Open("../../testdata/input/bad/damaged_sheet.xlsx", Options{})
			for err == nil {
				_, err = in.Next()
			}
			in.Close()
			return inLang(err, lang)
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
