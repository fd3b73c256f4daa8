package batch_test

import (
	"github.com/qccbatch/qccbatch/batch/msg"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/qccbatch/qccbatch/batch"
)

func hasHan(s string) bool {
	return strings.ContainsFunc(s, func(r rune) bool { return unicode.Is(unicode.Han, r) })
}

// en renders err in English, as the command line does with --lang en.
func en(err error) string { return msg.Render(err, "en") }

// TestConfigErrorLang: a refused path is a sentence in --lang that keeps
// the path as it was given.
func TestConfigErrorLang(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "客户")
	require.NoError(t, os.Mkdir(dir, 0o700))
	in := filepath.Join(dir, "名单.xlsx")
	require.NoError(t, os.WriteFile(in, []byte("x"), 0o600))
	tests := []struct{ name, out string }{
		{"not .xlsx or .csv", filepath.Join(dir, "结果.txt")},
		{"the input", in},
		{"no such folder", filepath.Join(dir, "没有", "结果.csv")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := batch.CheckOutput(in, tt.out)
			var ce *batch.ConfigError
			require.ErrorAs(t, err, &ce)
			zh, en := msg.Render(err, "zh"), msg.Render(err, "en")
			assert.Contains(t, zh, tt.out)
			assert.Contains(t, en, tt.out)
			rest := func(s string) string {
				return strings.ReplaceAll(strings.ReplaceAll(s, tt.out, ""), filepath.Dir(tt.out), "")
			}
			assert.True(t, hasHan(rest(zh)), "zh: %q", zh)
			assert.False(t, hasHan(rest(en)), "en: %q", en)
			assert.Equal(t, zh, err.Error(), "zh is the default")
			t.Log(zh, " | ", en)
		})
	}
}
