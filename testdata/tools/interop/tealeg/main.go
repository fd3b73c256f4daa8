//go:build ignore

// Writes the portfolio with github.com/tealeg/xlsx/v3. gen.sh copies this
// file to a temporary module outside the repository and runs it there:
//
//	go run . PORTFOLIO.json OUT.xlsx
//
// The formula cell gets its result via SetStringFormula + Value, as tealeg
// users do to keep a cached value.
package main

import (
	"encoding/json"
	"fmt"
	"os"

	"github.com/tealeg/xlsx/v3"
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
			Result  string `json:"result"`
		} `json:"code"`
		Note string `json:"note"`
	} `json:"rows"`
}

func main() {
	b, err := os.ReadFile(os.Args[1])
	must(err)
	var p portfolio
	must(json.Unmarshal(b, &p))
	f := xlsx.NewFile()
	sh, err := f.AddSheet("客户名单")
	must(err)
	hr := sh.AddRow()
	for _, h := range p.Header {
		hr.AddCell().SetString(h)
	}
	for _, r := range p.Rows {
		row := sh.AddRow()
		row.AddCell().SetInt(r.No)
		row.AddCell().SetString(r.Name)
		c := row.AddCell()
		switch r.Code.Kind {
		case "text":
			c.SetString(r.Code.Value)
		case "formula":
			c.SetStringFormula(r.Code.Formula)
			c.Value = r.Code.Result
		}
		row.AddCell().SetString(r.Note)
	}
	must(f.Save(os.Args[2]))
}

func must(err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
