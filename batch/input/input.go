package input

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// Options choose what to read from a portfolio file.
type Options struct {
	Sheet    string // worksheet of an xlsx file [the first visible one]
	Column   string // header text or column letter of the identifier column [detected]
	Encoding string // CSV encoding override: "utf-8", "gb18030" (or "gbk"), "utf-16" [detected]
}

// Error is a portfolio file that cannot be used: not xlsx or CSV,
// damaged, password-protected, empty, without a header or identifier column,
// or a zip bomb. Error returns one line that names the problem; callers exit
// with code 2 before any order is placed.
//
// A damaged record in the middle of a file (an XML error or a truncated
// deflate stream in a worksheet, an I/O error) is an Error too: the rest
// of the file cannot be trusted, and pass 1 finds it before anything is
// ordered. A cell that merely decodes badly (U+FFFD after CSV decoding) is
// not: only that row is invalid (see Classify).
type Error struct {
	Path    string
	Problem string // what is wrong, and what to do about it
	Err     error  // the underlying error, if any
}

func (e *Error) Error() string {
	return oneLine(filepath.Base(e.Path) + ": " + e.Problem)
}

func (e *Error) Unwrap() error { return e.Err }

func inputErr(path, problem string, err error) *Error {
	return &Error{Path: path, Problem: problem, Err: err}
}

// oneLine replaces line breaks so an error is always one line.
func oneLine(s string) string {
	return strings.NewReplacer("\r\n", " ", "\n", " ", "\r", " ").Replace(s)
}

// pathErrText is the reason of an os error without the path, which
// Error already shows.
func pathErrText(err error) string {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}

// rowSource yields the raw rows of a file, blank rows included or not.
type rowSource interface {
	read() (Row, error)
	close() error
}

// Input reads the data rows of a portfolio: an .xlsx worksheet or a .csv or
// .txt file, streamed. The header is the first non-empty row.
type Reader struct {
	path    string
	src     rowSource
	header  []string
	codeCol int // -1 if none
	nameCol int // -1 if none
	sheet   string
	format  string
}

// Open opens a portfolio and reads its header. The file type is taken
// from its content where that is unambiguous (a zip is an xlsx workbook),
// else from its extension. Every problem is an *Error.
func Open(path string, opt Options) (*Reader, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, inputErr(path, "cannot open the file: "+pathErrText(err), err)
	}
	st, err := f.Stat()
	if err != nil || st.IsDir() {
		f.Close()
		return nil, inputErr(path, "not a file", err)
	}
	if st.Size() == 0 {
		f.Close()
		return nil, inputErr(path, "the file is empty (0 bytes)", nil)
	}
	magic := make([]byte, 8)
	n, _ := io.ReadFull(f, magic)
	magic = magic[:n]
	in := &Reader{path: path, codeCol: -1, nameCol: -1}
	ext := strings.ToLower(filepath.Ext(path))
	switch {
	case ext == ".ods" || ext == ".numbers":
		f.Close()
		return nil, inputErr(path, "an OpenDocument (.ods) or Numbers spreadsheet is not supported; save it as .xlsx or as CSV UTF-8", nil)
	case bytes.HasPrefix(magic, []byte("PK\x03\x04")) || bytes.HasPrefix(magic, []byte("PK\x05\x06")):
		f.Close()
		x, err := openXLSX(path, opt.Sheet)
		if err != nil {
			return nil, err
		}
		in.src, in.sheet, in.format = x, x.Sheet, "xlsx"
	case bytes.HasPrefix(magic, oleMagic):
		defer f.Close()
		if oleEncrypted(f) {
			return nil, inputErr(path, "the workbook is password-protected (encrypted); remove the password in Excel (文件 > 信息 > 保护工作簿) and save it again", nil)
		}
		return nil, inputErr(path, "an Excel 97-2003 (.xls) or WPS (.et) workbook is not supported; save it as .xlsx or as CSV UTF-8", nil)
	case ext == ".xlsx" || ext == ".xlsm":
		f.Close()
		return nil, inputErr(path, "not an xlsx workbook (the file is not a zip archive; is it a CSV or web page renamed to "+ext+"?)", nil)
	case ext == ".xls" || ext == ".et":
		f.Close()
		return nil, inputErr(path, "not a readable workbook: "+ext+" files are not supported; save it as .xlsx or as CSV UTF-8", nil)
	case ext == ".csv" || ext == ".txt" || ext == ".tsv":
		if _, err := f.Seek(0, io.SeekStart); err != nil {
			f.Close()
			return nil, inputErr(path, "cannot read the file: "+err.Error(), err)
		}
		c, err := newCSVSource(f, opt.Encoding)
		if err != nil {
			f.Close()
			return nil, inputErr(path, err.Error(), err)
		}
		in.src, in.format = c, "csv ("+c.encoding+", "+delimName(c.comma)+")"
	default:
		f.Close()
		return nil, inputErr(path, fmt.Sprintf("unsupported file type %q: use an .xlsx workbook or a .csv/.txt file", ext), nil)
	}
	if err := in.readHeader(opt.Column); err != nil {
		in.src.close()
		return nil, err
	}
	return in, nil
}

// readHeader skips blank rows, takes the first non-empty row as the header
// and finds the identifier column(s).
func (in *Reader) readHeader(column string) error {
	for {
		r, err := in.src.read()
		if err == io.EOF {
			return inputErr(in.path, "no header: the "+in.what()+" has no non-empty row", nil)
		}
		if err != nil {
			return inputErr(in.path, err.Error(), err)
		}
		if blankRow(r) {
			continue
		}
		in.header = make([]string, len(r.Cells))
		for i, c := range r.Cells {
			in.header[i] = strings.TrimFunc(c.Value, IsTrimmed)
		}
		break
	}
	code, name, err := findColumns(in.header, column)
	if err != nil {
		return inputErr(in.path, err.Error(), nil)
	}
	in.codeCol, in.nameCol = code, name
	return nil
}

func (in *Reader) what() string {
	if in.format == "xlsx" {
		return fmt.Sprintf("worksheet %q", in.sheet)
	}
	return "file"
}

// Header returns the header row, trimmed.
func (in *Reader) Header() []string { return in.header }

// Columns returns the 0-based code and name columns, -1 where there is none.
func (in *Reader) Columns() (code, name int) { return in.codeCol, in.nameCol }

// Sheet returns the worksheet read ("" for CSV).
func (in *Reader) Sheet() string { return in.sheet }

// Format describes the file as read, e.g. "xlsx" or "csv (gb18030, comma)".
func (in *Reader) Format() string { return in.format }

// Next returns the next data row, skipping blank rows; io.EOF after the
// last. Any other error is an *Error: the file is unusable.
func (in *Reader) Next() (Row, error) {
	for {
		r, err := in.src.read()
		if err == io.EOF {
			return Row{}, io.EOF
		}
		if err != nil {
			return Row{}, inputErr(in.path, err.Error(), err)
		}
		if !blankRow(r) {
			return r, nil
		}
	}
}

// Identifier returns the cell that identifies the company of r: the code
// cell, or the name cell where the code cell is empty.
func (in *Reader) Identifier(r Row) Cell {
	if in.codeCol >= 0 {
		if c := r.Cell(in.codeCol); Trim(c.Value) != "" || in.nameCol < 0 {
			return c
		}
	}
	if in.nameCol >= 0 {
		return r.Cell(in.nameCol)
	}
	return Cell{}
}

// Close releases the file.
func (in *Reader) Close() error {
	if in.src == nil {
		return nil
	}
	err := in.src.close()
	in.src = nil
	return err
}

// blankRow reports whether every cell of r is empty or white space.
func blankRow(r Row) bool {
	for _, c := range r.Cells {
		if strings.TrimFunc(c.Value, IsTrimmed) != "" {
			return false
		}
	}
	return true
}
