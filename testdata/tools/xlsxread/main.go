// Command xlsxread reads every row of a workbook with this program's reader
// (package input) or with excelize's streaming Rows, for measuring the peak
// resident memory of each (see the comment on input's sheetReader):
//
//	go run ./testdata/tools/genportfolio -n 100000 -o /tmp/p.xlsx
//	go build -o /tmp/xlsxread ./testdata/tools/xlsxread
//	/usr/bin/time -v /tmp/xlsxread -impl ours /tmp/p.xlsx
//	/usr/bin/time -v /tmp/xlsxread -impl excelize /tmp/p.xlsx
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/xuri/excelize/v2"

	"github.com/qccbatch/qccbatch/batch/input"
)

func main() {
	impl := flag.String("impl", "ours", "reader: ours or excelize")
	flag.Parse()
	if flag.NArg() != 1 {
		fmt.Fprintln(os.Stderr, "usage: xlsxread [-impl ours|excelize] FILE.xlsx")
		os.Exit(2)
	}
	read := readOurs
	if *impl == "excelize" {
		read = readExcelize
	}
	rows, cells, err := read(flag.Arg(0))
	if err != nil {
		fmt.Fprintln(os.Stderr, "xlsxread:", err)
		os.Exit(1)
	}
	fmt.Printf("%s: %d rows, %d cells\n", *impl, rows, cells)
}

func readOurs(p string) (rows, cells int, err error) {
	in, err := input.Open(p, input.Options{})
	if err != nil {
		return 0, 0, err
	}
	defer in.Close()
	for {
		r, err := in.Next()
		if errors.Is(err, io.EOF) {
			return rows, cells, nil
		}
		if err != nil {
			return rows, cells, err
		}
		rows++
		cells += len(r.Cells)
	}
}

func readExcelize(p string) (rows, cells int, err error) {
	f, err := excelize.OpenFile(p)
	if err != nil {
		return 0, 0, err
	}
	defer f.Close()
	rs, err := f.Rows(f.GetSheetName(0))
	if err != nil {
		return 0, 0, err
	}
	defer rs.Close()
	for rs.Next() {
		cols, err := rs.Columns(excelize.Options{RawCellValue: true})
		if err != nil {
			return rows, cells, err
		}
		rows++
		cells += len(cols)
	}
	return rows - 1, cells, rs.Error() // the header is not a data row
}
