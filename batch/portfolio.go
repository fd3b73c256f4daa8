package batch

import (
	"errors"
	"io"

	"github.com/qccbatch/qccbatch/batch/identifier"
	"github.com/qccbatch/qccbatch/batch/input"
)

// Company is one unique company of a portfolio: what is ordered once.
type Company struct {
	Key       string // de-duplication key (folded code or folded name)
	SearchKey string // what is sent to the API
	Kind      identifier.Kind
	Rows      int // how many rows name it
}

// Portfolio is the result of pass 1 over an input file: every data row
// mapped to its company (or marked invalid), and the unique companies in
// order of first appearance. It holds identifiers only, not the rows.
type Portfolio struct {
	Path   string
	Sheet  string // worksheet read ("" for CSV)
	Format string // e.g. "xlsx" or "csv (gb18030, comma)"
	Header []string
	// CodeColumn and NameColumn are the identifier columns (0-based, -1 if none).
	CodeColumn, NameColumn int

	Rows            int            // data rows
	RowCompany      []int32        // per data row (0-based): index into Companies, or -1 for an invalid row
	RowMessage      map[int]string // per data row: why it is invalid, or a warning for a valid row
	RowReason       map[int]string // per data row: the short reason, for invalid rows and warnings
	Companies       []Company      // unique companies, first-appearance order
	InvalidByReason map[string]int // invalid rows per short reason
	WarningByReason map[string]int // valid rows with a warning, per short reason
	Duplicates      int            // rows naming a company already named by an earlier row
}

// Invalid returns the number of invalid rows.
func (p *Portfolio) Invalid() int {
	n := 0
	for _, c := range p.InvalidByReason {
		n += c
	}
	return n
}

// ScanPortfolio is pass 1: it reads every data row of the file at path,
// classifies its identifier and de-duplicates the companies. Memory grows
// with the identifiers only (a map key per unique company, 4 bytes per
// row). An unusable file is an *input.Error.
func ScanPortfolio(path string, in input.Options, co identifier.Options) (*Portfolio, error) {
	inp, err := input.Open(path, in)
	if err != nil {
		return nil, err
	}
	defer inp.Close()
	code, name := inp.Columns()
	p := &Portfolio{
		Path: path, Sheet: inp.Sheet(), Format: inp.Format(), Header: inp.Header(),
		CodeColumn: code, NameColumn: name,
		RowMessage:      map[int]string{},
		RowReason:       map[int]string{},
		InvalidByReason: map[string]int{},
		WarningByReason: map[string]int{},
	}
	index := map[string]int32{}
	for {
		r, err := inp.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, err
		}
		p.add(identifier.Classify(inp.Identifier(r), co), index)
	}
	return p, nil
}

// add records one data row.
func (p *Portfolio) add(id identifier.ID, index map[string]int32) {
	row := p.Rows
	p.Rows++
	if id.Message != "" {
		p.RowMessage[row] = id.Message
		p.RowReason[row] = id.Reason
	}
	if id.Invalid {
		p.RowCompany = append(p.RowCompany, -1)
		p.InvalidByReason[id.Reason]++
		return
	}
	if id.Reason != "" {
		p.WarningByReason[id.Reason]++
	}
	i, seen := index[id.Key]
	if seen {
		p.Duplicates++
		p.Companies[i].Rows++
	} else {
		i = int32(len(p.Companies))
		index[id.Key] = i
		p.Companies = append(p.Companies, Company{Key: id.Key, SearchKey: id.SearchKey, Kind: id.Kind, Rows: 1})
	}
	p.RowCompany = append(p.RowCompany, i)
}
