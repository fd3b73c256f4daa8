package cli

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestValidate_PlanPerRating: validate --refresh-after 高=…,低=… prints the
// customers and due per rating, and refuses a rating the mapping does not
// cover with exit 2, naming it.
func TestValidate_PlanPerRating(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "book.csv")
	require.NoError(t, os.WriteFile(in, []byte("企业名称,风险等级\n甲科技有限公司,高风险\n乙科技有限公司,低\n丙科技有限公司,低\n"), 0o600))
	code, out := runCLIFor(t, 30*time.Second, "validate", in, "--lang", "en", "--refresh-after", "高=1y,低=3y")
	require.Equal(t, exitOK, code, out)
	assert.Contains(t, out, "by risk rating")
	assert.Regexp(t, `高 +1 +1  none`, out)
	assert.Regexp(t, `低 +2 +2  none`, out)

	code, out = runCLIFor(t, 30*time.Second, "validate", in, "--lang", "en", "--refresh-after", "高=1y")
	assert.Equal(t, exitUsage, code, out)
	assert.Contains(t, out, `"低" in 2 rows (first in row 3)`)

	code, out = runCLIFor(t, 30*time.Second, "validate", in, "--lang", "en", "--refresh-after", "高=soon")
	assert.Equal(t, exitUsage, code, out)
	assert.Contains(t, out, "invalid age")

	for _, age := range []string{"18m", "高=1y,低=18m", "585y"} {
		code, out = runCLIFor(t, 30*time.Second, "run", in, "--sandbox", "--lang", "en", "--refresh-after", age)
		assert.Equal(t, exitUsage, code, out)
		assert.Contains(t, out, "invalid age", age)
		assert.NotContains(t, out, "panic")
	}
}
