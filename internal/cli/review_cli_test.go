package cli

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// sandboxLedger runs a small book on the in-process sandbox and returns
// the book and its state file.
func sandboxLedger(t *testing.T) (book, state string) {
	t.Helper()
	dir := t.TempDir()
	book = filepath.Join(dir, "book.csv")
	require.NoError(t, os.WriteFile(book, []byte("企业名称\n华为技术有限公司\n小米科技有限责任公司\n"), 0o600))
	state = filepath.Join(dir, "book.qccstate")
	code, _, line := runCLI(t, "run", "--sandbox", "--quiet", "--state", state, "-o", filepath.Join(dir, "r.csv"), book)
	require.Equal(t, exitOK, code, line)
	return book, state
}

// TestExport_BadOutputExtension: export -o with an extension other than
// .xlsx or .csv is a usage error (exit 2, one line in --lang), not an
// internal error (exit 1, an English line from the writer), and writes
// nothing.
func TestExport_BadOutputExtension(t *testing.T) {
	_, state := sandboxLedger(t)
	out := filepath.Join(filepath.Dir(state), "out.pdf")
	for lang, want := range map[string]string{"zh": "结果文件的扩展名必须是 .xlsx 或 .csv", "en": "the results file must end in .xlsx or .csv"} {
		code, _, line := runCLI(t, "export", "--lang", lang, "-o", out, state)
		assert.Equal(t, exitUsage, code, line)
		assert.Contains(t, line, want)
		assert.Contains(t, line, "out.pdf")
		assert.NotContains(t, line, "\n")
	}
	_, err := os.Stat(out)
	assert.True(t, os.IsNotExist(err), "nothing written")
}
