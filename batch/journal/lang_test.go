package journal

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func hasHan(s string) bool {
	return strings.ContainsFunc(s, func(r rune) bool { return unicode.Is(unicode.Han, r) })
}

// TestErrorLang: the state-file errors people meet are sentences in
// --lang that keep the file name as given.
func TestErrorLang(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "台账")
	require.NoError(t, os.Mkdir(dir, 0o700))
	path := filepath.Join(dir, "客户.qccstate")
	empty := filepath.Join(dir, "空.qccstate")
	require.NoError(t, os.WriteFile(empty, nil, 0o600))
	j, err := Open(path, Options{Account: Account{Endpoint: sandboxEndpoint}})
	require.NoError(t, err)
	defer j.Close()

	tests := []struct {
		name, path string
		err        func(lang string) error
	}{
		{"locked", path, func(lang string) error {
			_, err := Open(path, Options{Lang: lang})
			return err
		}},
		{"not a state file", empty, func(lang string) error {
			_, err := Open(empty, Options{ReadOnly: true, Lang: lang})
			return err
		}},
		{"corrupt", path, func(lang string) error {
			return InLang(corrupt(path, 5, seqReason(6, 5)), lang)
		}},
		{"foreign", path, func(lang string) error {
			return InLang(&NotJournalError{Path: path}, lang)
		}},
		{"account", path, func(lang string) error {
			return InLang(&AccountError{Path: path, Want: Account{Endpoint: "https://pro.qcc.com/api/yj"}, Have: Account{Endpoint: sandboxEndpoint}}, lang)
		}},
		{"missing", path, func(lang string) error {
			return InLang(&FileError{Path: path, Err: os.ErrNotExist}, lang)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			zh, en := tt.err("zh"), tt.err("en")
			require.Error(t, zh)
			require.Error(t, en)
			assert.Contains(t, zh.Error(), tt.path)
			assert.Contains(t, en.Error(), tt.path)
			assert.True(t, hasHan(strings.ReplaceAll(zh.Error(), tt.path, "")), "zh: %q", zh)
			assert.False(t, hasHan(strings.ReplaceAll(en.Error(), tt.path, "")), "en: %q", en)
			assert.Equal(t, zh.Error(), tt.err("").Error(), "zh is the default")
			t.Log(zh)
		})
	}
	// The Reason field keeps its English text, whatever the language.
	var ce *CorruptError
	require.ErrorAs(t, InLang(corrupt(path, 5, seqReason(6, 5)), "zh"), &ce)
	assert.Equal(t, "record number 6 where 5 was expected: a line before it was deleted", ce.Reason)
}
