package input

import (
	"errors"
	"io"
	"strings"

	"github.com/qccbatch/qccbatch/batch/msg"
)

// maxHeaderRow is how far down a sheet the header is looked for: title
// rows, a maker line and blank rows above it are skipped.
const maxHeaderRow = 30

// headerScan is what scanHeader found in one sheet (or CSV file).
type headerScan struct {
	found      bool
	header     Row
	code, name int
	rest       []Row // rows read past the header, for Next to return first
	seen       Row   // the first non-empty row, for messages
	above      []Row // the non-empty rows above the header: title lines
	err        error // a header row was found but its columns are wrong
}

// scanHeader reads the start of src to find the header: row
// opt.HeaderRow when set, else the first row among the first maxHeaderRow
// that holds a known header (holdsHeader). With fallback, a sheet without
// one takes its first non-empty row (a column named by letter needs no
// header text). Only read errors are returned; a missing header is
// reported in the result.
func scanHeader(src rowSource, opt Options, fallback bool) (headerScan, error) {
	res := headerScan{code: -1, name: -1}
	limit := maxHeaderRow
	if opt.HeaderRow > 0 {
		limit = opt.HeaderRow
	}
	var buf []Row // non-empty rows above the limit, in case of fallback
	for {
		r, err := src.read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return res, err
		}
		if r.Line > limit {
			buf = append(buf, r)
			break
		}
		if blankRow(r) {
			continue
		}
		if res.seen.Line == 0 {
			res.seen = r
		}
		if opt.HeaderRow > 0 {
			if r.Line == opt.HeaderRow {
				res.take(r, opt)
				return res, nil
			}
			res.keepAbove(r)
			continue
		}
		if holdsHeader(r, opt) {
			res.take(r, opt)
			return res, nil
		}
		res.keepAbove(r)
		buf = append(buf, r)
	}
	if fallback && opt.HeaderRow == 0 && len(buf) > 0 && buf[0].Line == res.seen.Line {
		res.take(buf[0], opt)
		res.rest = buf[1:]
		res.above = nil
	}
	return res, nil
}

// maxTitleLines is the most title lines kept from above a header.
const maxTitleLines = 10

// keepAbove keeps the text of a non-empty row above the header, as a title
// line (at most maxTitleLines).
func (res *headerScan) keepAbove(r Row) {
	if len(res.above) < maxTitleLines {
		res.above = append(res.above, Row{Line: r.Line, Cells: append([]Cell(nil), r.Cells...)})
	}
}

// titleLine returns a row's non-empty cells, trimmed and joined by two
// spaces.
func titleLine(r Row) string {
	var parts []string
	for _, c := range r.Cells {
		if v := c.Text(); v != "" {
			parts = append(parts, v)
		}
	}
	return strings.Join(parts, "  ")
}

// take makes r the header and finds the identifier columns in it.
func (res *headerScan) take(r Row, opt Options) {
	res.header = r
	res.code, res.name, res.err = findColumns(headerText(r), opt)
	res.found = res.err == nil
}

// headerText returns the trimmed text of each cell of a header row.
func headerText(r Row) []string {
	h := make([]string, len(r.Cells))
	for i, c := range r.Cells {
		h[i] = strings.TrimFunc(c.Value, IsTrimmed)
	}
	return h
}

// fallbackOK reports whether a sheet without header text may use its first
// non-empty row as the header: when a column is named on the command line.
func fallbackOK(opt Options) bool { return opt.Column != "" || opt.NameColumn != "" }

// problem says, for an error line, why res has no usable header: what
// was expected and what was seen.
func (res *headerScan) problem(what msg.Message, opt Options) msg.Message {
	switch {
	case res.err != nil:
		return msg.M(msg.InHeaderRowErr, what, res.header.Line, res.err)
	case res.seen.Line == 0:
		return msg.M(msg.InNoHeaderEmpty, what)
	case opt.HeaderRow > 0:
		return msg.M(msg.InNoHeaderRow, opt.HeaderRow, what, opt.HeaderRow)
	}
	return msg.M(msg.InNoIDColumnRows, maxHeaderRow, what, exampleCodeHeader, exampleNameHeader,
		res.seen.Line, listHeaders(headerText(res.seen), 20))
}

// sheetSummary says in a few words what a sheet without a usable header
// holds, for the error that lists every sheet.
func (res *headerScan) sheetSummary(name string) msg.Message {
	switch {
	case errors.Is(res.err, errNoIDColumn):
		return msg.M(msg.InSheetSummary, name, res.header.Line, listHeaders(headerText(res.header), 6))
	case res.err != nil:
		return msg.M(msg.InSheetSummary, name, res.header.Line, res.err)
	case res.seen.Line == 0:
		return msg.M(msg.InSheetSummaryEmpty, name)
	}
	return msg.M(msg.InSheetSummary, name, res.seen.Line, listHeaders(headerText(res.seen), 6))
}
