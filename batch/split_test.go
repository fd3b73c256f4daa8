package batch_test

import (
	"context"
	"encoding/csv"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/xuri/excelize/v2"

	"github.com/qccbatch/qccbatch/batch"
)

// TestSplitBy_OneFilePerManager: --split-by 客户经理 writes, besides the
// whole results, one file per manager (an empty cell as (blank), a name
// unsafe on Windows made safe) whose rows add up to the whole; export
// writes the same files.
func TestSplitBy_OneFilePerManager(t *testing.T) {
	names := companyNames(12)
	names = append(names, names[0]) // a duplicate row
	e := newEnv(t, names)
	mgr := []string{"张三", "李四", "", "张三", "a/b", "李四", "张三", "", "CON", "张三", "李四", "a/b", "李四"}
	writeBook(t, e.cfg.Input, "客户经理", names, mgr)
	e.cfg.Read.SplitBy = "客户经理"
	rep, err := e.run(context.Background(), nil)
	require.NoError(t, err)
	assert.Equal(t, 12, e.srv.TotalOrders())
	base := strings.TrimSuffix(e.cfg.Output, ".csv")
	want := map[string]int{"张三": 4, "李四": 4, "(blank)": 2, "a_b": 2, "CON_": 1}
	var files []string
	for v := range want {
		files = append(files, base+"-"+v+".csv")
	}
	assert.ElementsMatch(t, files, rep.Split)
	whole := len(e.results())
	total := 0
	for v, n := range want {
		rows := readCSVRows(t, base+"-"+v+".csv")
		assert.Len(t, rows, n, v)
		for _, r := range rows {
			if v != "(blank)" && v != "a_b" && v != "CON_" {
				assert.Equal(t, v, r[2])
			}
		}
		total += len(rows)
	}
	assert.Equal(t, whole, total, "the files add up to the whole")

	// export --split-by to xlsx: each file has its own Summary.
	out := filepath.Join(e.dir, "export.xlsx")
	rep, err = batch.Export(batch.ExportConfig{State: e.cfg.State, Input: e.cfg.Input, Output: out, Read: e.cfg.Read, Lang: "en"})
	require.NoError(t, err)
	require.Len(t, rep.Split, 5)
	f, err := excelize.OpenFile(filepath.Join(e.dir, "export-张三.xlsx"))
	require.NoError(t, err)
	defer f.Close()
	assert.Contains(t, f.GetSheetList(), "Summary")
	rows, err := f.GetRows(f.GetSheetList()[0])
	require.NoError(t, err)
	assert.Len(t, rows, 5, "header + the 4 rows of 张三")
}

func readCSVRows(t *testing.T, path string) [][]string {
	t.Helper()
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	recs, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(string(data), "\ufeff"))).ReadAll()
	require.NoError(t, err)
	return recs[1:]
}
