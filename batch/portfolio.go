package batch

import (
	"errors"
	"fmt"
	"io"

	"github.com/qccbatch/qccbatch/batch/identifier"
	"github.com/qccbatch/qccbatch/batch/input"
	"github.com/qccbatch/qccbatch/batch/msg"
)

// Company is one unique company of a portfolio: what is ordered once.
type Company struct {
	Key       string // de-duplication key (folded code or folded name)
	SearchKey string // what is sent to the API
	Kind      identifier.Kind
	Rows      int   // how many rows name it
	FirstRow  int32 // its first data row (0-based), which later rows repeat
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
	HeaderRow              int // sheet row (or CSV line) of the header
	// TitleLines are the input's non-empty rows above the header, which
	// the Summary sheet of the results shows (input.Reader.TitleLines).
	TitleLines []string
	// PeopleColumn is a column whose "names" mostly do not look like
	// organisations (fewer than half): probably people, e.g. --column
	// 客户经理. -1 when none, or when --name-column names it.
	PeopleColumn            int
	PeopleNames, PeopleOrgs int // the names seen in PeopleColumn, and how many look like organisations

	Rows            int                 // data rows
	RowCompany      []int32             // per data row (0-based): index into Companies, or -1 for an invalid row
	RowLine         []int32             // per data row: its sheet row number (or CSV line), for messages
	RowMessage      map[int]msg.Message // per data row: why it is invalid, or a warning for a valid row (rendered where shown)
	RowReason       map[int]msg.ID      // per data row: the short reason, for invalid rows and warnings
	Companies       []Company           // unique companies, first-appearance order
	InvalidByReason map[msg.ID]int      // invalid rows per short reason
	WarningByReason map[msg.ID]int      // valid rows with a warning, per short reason
	Duplicates      int                 // rows naming a company already named by an earlier row
	// Extra holds each row's risk rating, review date and split value
	// (refresh_scan.go).
	Extra rowExtras

	// rowName holds the name key of each row that is not its company's
	// key: a name-only row joined to the company of a coded row with that
	// name, or one left invalid because coded rows give that name with
	// different codes (joinNames). The second read checks these rows by
	// their name.
	rowName map[int]string

	// read and classify are the options of pass 1: the second read (the
	// results, an export) reads and classifies the file the same way.
	read     input.Options
	classify identifier.Options
}

// Invalid returns the number of invalid rows.
func (p *Portfolio) Invalid() int { return sumCounts(p.InvalidByReason) }

// ScanPortfolio is pass 1: it reads every data row of the file at path,
// classifies its identifier and de-duplicates the companies. Memory grows
// with the identifiers only (a map key per unique company, 4 bytes per
// row). An unusable file is an *input.Error. The Portfolio keeps in and co
// for its second read (WriteLocalResults, a run's results).
func ScanPortfolio(path string, in input.Options, co identifier.Options) (*Portfolio, error) {
	inp, err := input.Open(path, in)
	if err != nil {
		return nil, err
	}
	defer inp.Close()
	code, name := inp.Columns()
	p := &Portfolio{
		Path: path, Sheet: inp.Sheet(), Format: inp.Format(), Header: inp.Header(),
		CodeColumn: code, NameColumn: name, HeaderRow: inp.HeaderRow(), PeopleColumn: -1,
		TitleLines: inp.TitleLines(),
		read:       in, classify: co,
		RowMessage:      map[int]msg.Message{},
		RowReason:       map[int]msg.ID{},
		InvalidByReason: map[msg.ID]int{},
		WarningByReason: map[msg.ID]int{},
	}
	if err := p.Extra.init(path, p.Header, in); err != nil {
		return nil, err
	}
	p.Extra.date1904 = inp.Date1904()
	index := map[string]int32{}
	var coded codedNames
	var keyBuf []byte
	names := map[int]*[2]int{} // per column: names seen, names that look like organisations
	for {
		r, err := inp.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, err
		}
		cell, col := inp.IdentifierAt(r)
		id := identifier.Classify(cell, co)
		if id.Kind == identifier.KindName && !id.Invalid {
			n := names[col]
			if n == nil {
				n = &[2]int{}
				names[col] = n
			}
			n[0]++
			if identifier.LooksLikeOrganisation(id.SearchKey) {
				n[1]++
			}
		}
		p.RowLine = append(p.RowLine, int32(r.Line))
		p.add(id, index)
		if col == code && name >= 0 && name != code && p.RowCompany[p.Rows-1] >= 0 {
			// Its name's key only (a name that is no valid name keys no
			// name-only company either): classifying it costs 2 s a
			// million rows.
			if keyBuf = identifier.AppendNameKey(keyBuf[:0], r.Cell(name).Value); len(keyBuf) > 0 {
				coded.add(keyBuf, p.RowCompany[p.Rows-1])
			}
		}
		p.Extra.add(p, p.Rows-1, r)
		if r.Hidden && p.RowCompany[p.Rows-1] >= 0 {
			// Filtered out or hidden: the person may think it is not in
			// the book. It is ordered (it is in the file); the plan says
			// how many such rows there are before anything is paid.
			p.warnRow(p.Rows-1, msg.ReasonHiddenRow, msg.RowHidden)
		}
	}
	p.joinNames(coded)
	for col, n := range names {
		if n[1]*2 < n[0] && !(in.NameColumn != "" && col == name) {
			if p.PeopleColumn < 0 || col < p.PeopleColumn {
				p.PeopleColumn, p.PeopleNames, p.PeopleOrgs = col, n[0], n[1]
			}
		}
	}
	return p, nil
}

// PeopleError is the refusal of a run whose name column holds people (see
// Portfolio.PeopleColumn): ordering reports on people's names spends money
// on nothing.
func (p *Portfolio) PeopleError() error {
	if p.PeopleColumn < 0 {
		return nil
	}
	return configErrorf(msg.CfgPeople, p.Path, p.PeopleOrgs, p.PeopleNames, p.columnLabel(p.PeopleColumn), organisationWords)
}

// organisationWords are examples of the words that make a name look like an
// organisation's, as the people-column warnings quote them.
const organisationWords = "公司, 厂, 中心, Ltd"

func (p *Portfolio) columnLabel(i int) string {
	h := ""
	if i >= 0 && i < len(p.Header) {
		h = p.Header[i]
	}
	return fmt.Sprintf("%s %q", input.ColumnName(i), h)
}

// add records one data row.
func (p *Portfolio) add(id identifier.ID, index map[string]int32) {
	row := p.Rows
	p.Rows++
	if !id.Message.Zero() {
		p.RowMessage[row] = id.Message
		p.RowReason[row] = id.Reason
	}
	if id.Invalid {
		p.RowCompany = append(p.RowCompany, -1)
		p.InvalidByReason[id.Reason]++
		return
	}
	if id.Reason != msg.None {
		p.WarningByReason[id.Reason]++
	}
	i, seen := index[id.Key]
	if seen {
		p.Duplicates++
		p.Companies[i].Rows++
	} else {
		i = int32(len(p.Companies))
		index[id.Key] = i
		p.Companies = append(p.Companies, Company{Key: id.Key, SearchKey: id.SearchKey, Kind: id.Kind, Rows: 1, FirstRow: int32(row)})
	}
	p.RowCompany = append(p.RowCompany, i)
}
