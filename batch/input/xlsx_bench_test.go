//go:build linux

package input

import (
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"testing"

	"github.com/xuri/excelize/v2"
)

// BenchmarkXLSXReader compares this package's xlsx reader with the library
// it would be replaced by, excelize's streaming Rows with RawCellValue, on
// the same 100,000-row workbook written by excelize's StreamWriter (shared
// strings for the text, numbers inline). Both read every cell of every row;
// ours also finds the header and the identifier column, as the program does.
// Run the two interleaved on a shared machine, e.g.
//
//	go test -c -o /tmp/input.test ./batch/input
//	for i in 1 2 3 4 5; do for r in ours excelize; do
//	  /tmp/input.test -test.run '^$' -test.bench "XLSXReader/$r" -test.benchmem -test.count 1
//	done; done | tee /tmp/xlsx.txt; benchstat -col /impl /tmp/xlsx.txt
//
// Peak resident memory is measured by testdata/tools/xlsxread.
//
// file=stream is excelize's StreamWriter output (inline strings); file=sst
// is shaped like a workbook Excel saves (text in the shared-string table,
// see writeBenchXLSX).
func BenchmarkXLSXReader(b *testing.B) {
	for _, file := range []struct {
		name  string
		write func(testing.TB, string, int)
	}{{"stream", writeStreamedXLSX}, {"sst", writeBenchXLSX}} {
		p := filepath.Join(b.TempDir(), file.name+".xlsx")
		file.write(b, p, benchRows)
		for _, impl := range []struct {
			name string
			read func(testing.TB, string) int
		}{{"ours", readOurs}, {"excelize", readExcelize}} {
			b.Run("file="+file.name+"/impl="+impl.name, func(b *testing.B) {
				b.ReportAllocs()
				for range b.N {
					if n := impl.read(b, p); n != benchRows {
						b.Fatalf("%d rows, want %d", n, benchRows)
					}
				}
			})
		}
	}
}

const benchRows = 100_000

// writeStreamedXLSX writes n rows of benchRow with excelize's StreamWriter.
func writeStreamedXLSX(tb testing.TB, path string, n int) {
	f := excelize.NewFile()
	defer f.Close()
	sw, err := f.NewStreamWriter("Sheet1")
	if err != nil {
		tb.Fatal(err)
	}
	if err := sw.SetRow("A1", []any{"序号", "企业名称", "统一社会信用代码", "注册资本（万元）", "备注"}); err != nil {
		tb.Fatal(err)
	}
	for i := range n {
		name, code := benchRow(i)
		cell, _ := excelize.CoordinatesToCellName(1, i+2)
		if err := sw.SetRow(cell, []any{i + 1, name, code, float64(i%9000+100) + 0.5, fmt.Sprintf("第%d批", i%7)}); err != nil {
			tb.Fatal(err)
		}
	}
	if err := sw.Flush(); err != nil {
		tb.Fatal(err)
	}
	if err := f.SaveAs(path); err != nil {
		tb.Fatal(err)
	}
}

// readOurs reads every data row of p with Open and Next.
func readOurs(tb testing.TB, p string) int {
	in, err := Open(p, Options{})
	if err != nil {
		tb.Fatal(err)
	}
	defer in.Close()
	n := 0
	for {
		r, err := in.Next()
		if errors.Is(err, io.EOF) {
			return n
		}
		if err != nil {
			tb.Fatal(err)
		}
		if in.Identifier(r).Value == "" {
			tb.Fatalf("row %d without identifier", r.Line)
		}
		n++
	}
}

// readExcelize reads every data row of p with excelize's Rows.
func readExcelize(tb testing.TB, p string) int {
	f, err := excelize.OpenFile(p)
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	rows, err := f.Rows(f.GetSheetName(0))
	if err != nil {
		tb.Fatal(err)
	}
	defer rows.Close()
	n := -1 // the header
	for rows.Next() {
		cols, err := rows.Columns(excelize.Options{RawCellValue: true})
		if err != nil {
			tb.Fatal(err)
		}
		if len(cols) < 3 || cols[2] == "" {
			tb.Fatalf("row %d without identifier", n+2)
		}
		n++
	}
	if err := rows.Error(); err != nil {
		tb.Fatal(err)
	}
	return n
}

// TestXLSXReadersAgree checks that the two readers of the benchmark see the
// same workbook: every row, the same cells.
func TestXLSXReadersAgree(t *testing.T) {
	p := filepath.Join(t.TempDir(), "p.xlsx")
	writeStreamedXLSX(t, p, 500)
	if n := readOurs(t, p); n != 500 {
		t.Fatalf("ours: %d rows", n)
	}
	if n := readExcelize(t, p); n != 500 {
		t.Fatalf("excelize: %d rows", n)
	}
	in, err := Open(p, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	r, err := in.Next()
	if err != nil {
		t.Fatal(err)
	}
	name, code := benchRow(0)
	want := []string{"1", name, code, "100.5", "第0批"}
	for i, w := range want {
		if got := r.Cell(i).Value; got != w {
			t.Errorf("cell %d: %q, want %q", i, got, w)
		}
	}
	if fmt.Sprint(in.Header()) != "[序号 企业名称 统一社会信用代码 注册资本（万元） 备注]" {
		t.Errorf("header %q", in.Header())
	}
}
