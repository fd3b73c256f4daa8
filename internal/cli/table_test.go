package cli

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
	"text/tabwriter"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/qccbatch/qccbatch/batch/results"
)

// TestTableWriter_LikeTabwriterForASCII: on ASCII text the table is what
// text/tabwriter writes with the same settings.
func TestTableWriter_LikeTabwriterForASCII(t *testing.T) {
	text := "state file:\tbook.qccstate\ncompanies:\t7\noutcomes:\n  ready\t4\tready\n  not_found\t1\tnot found\n\nno tab here\nrun\tkind\n"
	var want, got bytes.Buffer
	tw := tabwriter.NewWriter(&want, 0, 4, 2, ' ', 0)
	fmt.Fprint(tw, text)
	require.NoError(t, tw.Flush())
	ow := newTableWriter(&got, 2)
	fmt.Fprint(ow, text)
	require.NoError(t, ow.Flush())
	assert.Equal(t, want.String(), got.String())
}

// TestTableWriter_AlignsByDisplayWidth: a column after Chinese cells starts
// at the same screen column on every line.
func TestTableWriter_AlignsByDisplayWidth(t *testing.T) {
	var out bytes.Buffer
	w := newTableWriter(&out, 2)
	fmt.Fprint(w, "order_no\tsearch_key\tformat\n")
	fmt.Fprint(w, "SBX1\t91330100799655058B\tpdf\n")
	fmt.Fprint(w, "SBX2\t报告生成失败测试有限公司\tpdf\n")
	fmt.Fprint(w, "状态文件：\tx\n企业数：\t7\n")
	require.NoError(t, w.Flush())
	lines := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
	require.Len(t, lines, 5)
	col := func(line, cell string) int { return results.DisplayWidth(line[:strings.Index(line, cell)]) }
	assert.Equal(t, col(lines[0], "format"), col(lines[1], "pdf"))
	assert.Equal(t, col(lines[0], "format"), col(lines[2], "pdf"))
	assert.Equal(t, col(lines[3], "x"), col(lines[4], "7"))
}
