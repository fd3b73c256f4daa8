package journal

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode"

	"github.com/qccbatch/qccbatch/batch/msg"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// en renders err in English, as the command line does with --lang en.
func en(err error) string { return msg.Render(err, "en") }

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
		err        func() error
	}{
		{"locked", path, func() error {
			_, err := Open(path, Options{})
			return err
		}},
		{"not a state file", empty, func() error {
			_, err := Open(empty, Options{ReadOnly: true})
			return err
		}},
		{"corrupt", path, func() error {
			return corrupt(path, 5, seqReason(6, 5))
		}},
		{"foreign", path, func() error {
			return &NotJournalError{Path: path}
		}},
		{"account", path, func() error {
			return &AccountError{Path: path, Want: Account{Endpoint: "https://pro.qcc.com/api/yj"}, Have: Account{Endpoint: sandboxEndpoint}}
		}},
		{"missing", path, func() error {
			return &FileError{Path: path, Err: os.ErrNotExist}
		}},
		{"wrapped", path, func() error {
			return fmt.Errorf("opening: %w", &FileError{Path: path, Err: os.ErrNotExist})
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.err()
			require.Error(t, err)
			zh, en := msg.Render(err, "zh"), msg.Render(err, "en")
			assert.Contains(t, zh, tt.path)
			assert.Contains(t, en, tt.path)
			assert.True(t, hasHan(strings.ReplaceAll(zh, tt.path, "")), "zh: %q", zh)
			assert.False(t, hasHan(strings.ReplaceAll(en, tt.path, "")), "en: %q", en)
			assert.Equal(t, zh, err.Error(), "zh is the default")
			assert.Equal(t, zh, msg.Render(err, ""), "zh is the default")
			t.Log(zh)
		})
	}
	// The Reason field keeps its English text, whatever the language.
	var ce *CorruptError
	require.ErrorAs(t, corrupt(path, 5, seqReason(6, 5)), &ce)
	assert.Equal(t, "record number 6 where 5 was expected: a line before it was deleted", ce.Reason)
}
