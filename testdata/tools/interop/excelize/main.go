//go:build ignore

// Writes the portfolio with excelize. gen.sh copies this file to a temporary
// module outside the repository and runs it there:
//
//	go run . PORTFOLIO.json OUT.xlsx
//
// SetCellFormula stores the formula without a cached value, as excelize does.
package main

import (
	"encoding/json"
	"fmt"
	"os"

	"github.com/xuri/excelize/v2"
)

type portfolio struct {
	Header []string `json:"header"`
	Rows   []struct {
		No   int    `json:"no"`
		Name string `json:"name"`
		Code struct {
			Kind    string `json:"kind"`
			Value   string `json:"value"`
			Formula string `json:"formula"`
		} `json:"code"`
		Note string `json:"note"`
	} `json:"rows"`
}

func main() {
	b, err := os.ReadFile(os.Args[1])
	must(err)
	var p portfolio
	must(json.Unmarshal(b, &p))
	f := excelize.NewFile()
	sh := "客户名单"
	must(f.SetSheetName("Sheet1", sh))
	for c, h := range p.Header {
		cell, _ := excelize.CoordinatesToCellName(c+1, 1)
		must(f.SetCellStr(sh, cell, h))
	}
	for i, r := range p.Rows {
		row := i + 2
		must(f.SetCellInt(sh, fmt.Sprintf("A%d", row), int64(r.No)))
		must(f.SetCellStr(sh, fmt.Sprintf("B%d", row), r.Name))
		switch r.Code.Kind {
		case "text":
			must(f.SetCellStr(sh, fmt.Sprintf("C%d", row), r.Code.Value))
		case "formula":
			must(f.SetCellFormula(sh, fmt.Sprintf("C%d", row), r.Code.Formula))
		}
		must(f.SetCellStr(sh, fmt.Sprintf("D%d", row), r.Note))
	}
	must(f.SaveAs(os.Args[2]))
}

func must(err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
