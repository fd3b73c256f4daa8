package batch_test

import (
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
			zh, en := batch.CheckOutput(in, tt.out, "zh"), batch.CheckOutput(in, tt.out, "en")
			var ce *batch.ConfigError
			require.ErrorAs(t, zh, &ce)
			require.ErrorAs(t, en, &ce)
			assert.Contains(t, zh.Error(), tt.out)
			assert.Contains(t, en.Error(), tt.out)
			rest := func(s string) string {
				return strings.ReplaceAll(strings.ReplaceAll(s, tt.out, ""), filepath.Dir(tt.out), "")
			}
			assert.True(t, hasHan(rest(zh.Error())), "zh: %q", zh)
			assert.False(t, hasHan(rest(en.Error())), "en: %q", en)
			assert.Equal(t, zh.Error(), batch.CheckOutput(in, tt.out, "").Error(), "zh is the default")
			t.Log(zh, " | ", en)
		})
	}
}
