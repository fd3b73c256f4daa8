// Command genportfolio writes a synthetic portfolio of valid unified social
// credit codes for benchmarks and drills: go run ./testdata/tools/genportfolio -n 100000 -o p.xlsx
// (-start N numbers the rows from N, for a second portfolio of other companies).
package main

import (
	"bufio"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/qccbatch/qccbatch/batch/identifier"
)

// code returns the i-th synthetic credit code: 91 + region 110108 + a
// 9-character organisation code + the GB 32100-2015 check character.
func code(i int) string {
	first := fmt.Sprintf("91110108%09d", i)
	c, ok := identifier.USCCCheckChar(first)
	if !ok {
		panic("bad code " + first)
	}
	return first + string(c)
}

func main() {
	n := flag.Int("n", 100000, "rows")
	out := flag.String("o", "portfolio.csv", "output file, .csv or .xlsx")
	start := flag.Int("start", 1, "number of the first row's company")
	flag.Parse()
	if err := write(*out, *start, *n); err != nil {
		fmt.Fprintln(os.Stderr, "genportfolio:", err)
		os.Exit(1)
	}
}

func write(path string, start, n int) error {
	if strings.EqualFold(filepath.Ext(path), ".xlsx") {
		return writeXLSX(path, start, n)
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := bufio.NewWriter(f)
	fmt.Fprintf(w, "客户编号,企业名称,统一社会信用代码,授信额度\r\n")
	for i := start; i < start+n; i++ {
		fmt.Fprintf(w, "C%07d,测试企业%07d有限公司,%s,%d\r\n", i, i, code(i), i*1000)
	}
	if err := w.Flush(); err != nil {
		return err
	}
	return f.Close()
}

func writeXLSX(path string, start, n int) error {
	f := excelize.NewFile()
	defer f.Close()
	sw, err := f.NewStreamWriter("Sheet1")
	if err != nil {
		return err
	}
	if err := sw.SetRow("A1", []any{"客户编号", "企业名称", "统一社会信用代码", "授信额度"}); err != nil {
		return err
	}
	for i := start; i < start+n; i++ {
		cell, _ := excelize.CoordinatesToCellName(1, i-start+2)
		row := []any{fmt.Sprintf("C%07d", i), fmt.Sprintf("测试企业%07d有限公司", i), code(i), i * 1000}
		if err := sw.SetRow(cell, row); err != nil {
			return err
		}
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	return f.SaveAs(path)
}
