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

	"github.com/qccbatch/qccbatch/batch/msg"
)

// Options choose what to read from a portfolio file.
type Options struct {
	// Sheet is the worksheet of an xlsx file. Empty: the first visible
	// worksheet with a header (an instructions sheet or an empty one is
	// skipped).
	Sheet string
	// Column is the code column: its header text or its letter. Empty:
	// found by its header (统一社会信用代码, …).
	Column string
	// NameColumn is the name column: its header text or its letter.
	// Empty: found by its header (企业名称, …). Either way a row whose code
	// cell is empty uses its name.
	NameColumn string
	// HeaderRow is the 1-based row of the header (sheet row; CSV line).
	// 0: the first row among the first 30 holding a known header.
	HeaderRow int
	// Encoding overrides the CSV encoding: "utf-8", "gb18030" (or "gbk"),
	// "utf-16". Empty: detected.
	Encoding string
	// RiskColumn, DueColumn and SplitBy name the risk-rating, next-review
	// date and split column (header text or letter), see extras.go.
	// Empty RiskColumn: found by its header (风险等级, …); empty DueColumn
	// or SplitBy: none.
	RiskColumn, DueColumn, SplitBy string
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
//
// Its sentence is a message of the catalogue: Error writes it in zh, and
// In (or msg.Render) in any language. File, sheet and header names keep
// their text.
type Error struct {
	Path    string
	Problem msg.Message // what is wrong, and what to do about it
	Err     error       // the underlying error, if any
}

func (e *Error) Error() string { return e.In("zh") }

// In returns the error's one line in language t.
func (e *Error) In(t msg.Language) string {
	return oneLine(filepath.Base(e.Path) + ": " + e.Problem.In(t))
}

func (e *Error) Unwrap() error { return e.Err }

func inputErr(path string, problem msg.Message, err error) *Error {
	return &Error{Path: path, Problem: problem, Err: err}
}

// problemOf is err as the problem of an *Error: its message when it is one
// of the catalogue, else its text.
func problemOf(err error) msg.Message {
	if l, ok := err.(msg.Localized); ok {
		return l.Msg()
	}
	return msg.Plain(err.Error())
}

// textError is an error below *Error whose sentence is a catalogue
// message: it is rendered in the language of its *Error (see
// msg.Message.In), and in English by Error. An argument that is an error
// is rendered the same way.
type textError struct {
	id   msg.ID
	args []any
	err  error // wrapped, for errors.Is; may be nil
}

func errText(id msg.ID, args ...any) *textError { return &textError{id: id, args: args} }

func (e *textError) Error() string { return e.Msg().In("en") }
func (e *textError) Unwrap() error { return e.err }

// Msg returns the error's message, for msg.Render.
func (e *textError) Msg() msg.Message { return msg.M(e.id, e.args...) }

// excelProtectMenu is where Excel (in Chinese) removes a workbook's
// password, quoted as the menu reads.
const excelProtectMenu = "文件 > 信息 > 保护工作簿"

// The headers that errors give as examples of an identifier column.
const (
	exampleCodeHeader = "统一社会信用代码"
	exampleNameHeader = "企业名称"
)

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

// limitError is a file beyond a limit of Excel's or of this reader's (a
// cell longer than Excel allows, a quoted CSV field that runs on): not
// damage, but unusable as it is.
type limitError struct{ textError }

func limitErr(id msg.ID, args ...any) *limitError {
	return &limitError{textError{id: id, args: args}}
}

// cellTooLong is the error for a cell beyond maxCellChars; where is a
// textError naming the cell.
func cellTooLong(where *textError) error {
	return limitErr(msg.InCellTooLong, where, maxCellChars)
}

// Reader reads the data rows of a portfolio: an .xlsx worksheet or a .csv
// or .txt file, streamed. The header is found by Open (see Options).
type Reader struct {
	path      string
	wb        *workbook // nil for CSV
	src       rowSource
	pending   []Row // rows read while looking for the header, not yet returned
	header    []string
	headerRow int
	titles    []string // the title lines above the header
	codeCol   int      // -1 if none
	nameCol   int      // -1 if none
	sheet     string
	format    string
}

// Open opens a portfolio, finds its header and identifier columns, and
// checks that at least one data row follows. The file type is taken from
// its content where that is unambiguous (a zip is an xlsx workbook), else
// from its extension. Every problem is an *Error.
func Open(path string, opt Options) (*Reader, error) {
	in, err := open(path, opt)
	if err != nil {
		in.Close()
		return nil, err
	}
	return in, nil
}

func open(path string, opt Options) (*Reader, error) {
	in := &Reader{path: path, codeCol: -1, nameCol: -1}
	if opt.HeaderRow < 0 {
		return in, inputErr(path, msg.M(msg.InHeaderRowBad, opt.HeaderRow), nil)
	}
	f, err := os.Open(path)
	if err != nil {
		return in, inputErr(path, msg.M(msg.InCannotOpen, pathErrText(err)), err)
	}
	st, err := f.Stat()
	if err != nil || st.IsDir() {
		f.Close()
		return in, inputErr(path, msg.M(msg.InNotFile), err)
	}
	if st.Size() == 0 {
		f.Close()
		return in, inputErr(path, msg.M(msg.InEmpty), nil)
	}
	magic := make([]byte, 8)
	n, _ := io.ReadFull(f, magic)
	magic = magic[:n]
	ext := strings.ToLower(filepath.Ext(path))
	switch {
	case ext == ".ods" || ext == ".numbers":
		f.Close()
		return in, inputErr(path, msg.M(msg.InODS), nil)
	case bytes.HasPrefix(magic, []byte("PK\x03\x04")) || bytes.HasPrefix(magic, []byte("PK\x05\x06")):
		f.Close()
		wb, err := openWorkbook(path)
		if err != nil {
			return in, err
		}
		in.wb, in.format = wb, "xlsx"
		if err := in.chooseSheet(opt); err != nil {
			return in, err
		}
	case bytes.HasPrefix(magic, oleMagic):
		defer f.Close()
		if oleEncrypted(f) {
			return in, inputErr(path, msg.M(msg.InEncrypted, excelProtectMenu), nil)
		}
		return in, inputErr(path, msg.M(msg.InXLS), nil)
	case ext == ".xlsx" || ext == ".xlsm":
		f.Close()
		return in, inputErr(path, msg.M(msg.InNotZip, ext), nil)
	case ext == ".xls" || ext == ".et":
		f.Close()
		return in, inputErr(path, msg.M(msg.InExtUnsupported, ext), nil)
	case ext == ".csv" || ext == ".txt" || ext == ".tsv":
		if err := in.openCSV(f, opt); err != nil {
			return in, err
		}
	default:
		f.Close()
		return in, inputErr(path, msg.M(msg.InFileType, ext), nil)
	}
	return in, in.checkData()
}

// chooseSheet opens the worksheet named in opt, or else the first one with
// a header, and reads its header.
func (in *Reader) chooseSheet(opt Options) error {
	sheets := in.wb.sheets
	if opt.Sheet != "" {
		s, err := findSheet(sheets, opt.Sheet)
		if err != nil {
			return inputErr(in.path, problemOf(err), nil)
		}
		res, err := in.trySheet(s, opt, fallbackOK(opt))
		if err != nil {
			return err
		}
		if !res.found {
			return inputErr(in.path, res.problem(msg.M(msg.InWhatSheet, s.Name), opt), res.err)
		}
		return nil
	}
	cands := candidateSheets(sheets)
	results := make([]headerScan, len(cands))
	for i, s := range cands {
		res, err := in.trySheet(s, opt, false)
		if err != nil {
			return err
		}
		if res.found {
			return nil
		}
		results[i] = res
	}
	if fallbackOK(opt) && opt.HeaderRow == 0 {
		// No header text anywhere, but a column is named by letter: the
		// first non-empty row of the first sheet that has one.
		for i, s := range cands {
			if results[i].seen.Line == 0 {
				continue
			}
			res, err := in.trySheet(s, opt, true)
			if err != nil {
				return err
			}
			if res.found {
				return nil
			}
			results[i] = res
			break
		}
	}
	if len(cands) == 1 {
		return inputErr(in.path, results[0].problem(msg.M(msg.InWhatSheet, cands[0].Name), opt), results[0].err)
	}
	parts := make([]msg.Message, len(cands))
	for i, s := range cands {
		parts[i] = results[i].sheetSummary(s.Name)
	}
	where := msg.M(msg.InWhereFirstRows, maxHeaderRow)
	if opt.HeaderRow > 0 {
		where = msg.M(msg.InWhereRow, opt.HeaderRow)
	}
	return inputErr(in.path, msg.M(msg.InNoIDColumnSheets, exampleCodeHeader, exampleNameHeader,
		where, len(cands), msg.Join(msg.StopJoin, parts...)), nil)
}

// trySheet opens worksheet s and looks for its header. When found, the
// Reader reads that sheet; otherwise the sheet is closed again.
func (in *Reader) trySheet(s xlsxSheet, opt Options, fallback bool) (headerScan, error) {
	src, err := in.wb.openSheet(s)
	if err != nil {
		return headerScan{}, err
	}
	res, err := scanHeader(src, opt, fallback)
	if err != nil {
		src.close()
		in.sheet = s.Name
		return res, in.readErr(err)
	}
	if !res.found {
		src.close()
		return res, nil
	}
	in.src, in.sheet = src, s.Name
	in.use(res)
	return res, nil
}

// use takes the header that scanHeader found.
func (in *Reader) use(res headerScan) {
	in.header = headerText(res.header)
	in.headerRow = res.header.Line
	in.titles = nil
	for _, r := range res.above {
		if r.Line < res.header.Line {
			in.titles = append(in.titles, titleLine(r))
		}
	}
	in.codeCol, in.nameCol = res.code, res.name
	in.pending = res.rest
}

// checkData reads ahead to the first data row: a header with nothing
// below it is an input error (a CSV with CR line ends that were not split
// looked like that).
func (in *Reader) checkData() error {
	r, err := in.Next()
	if err == io.EOF {
		return inputErr(in.path, msg.M(msg.InNoData, in.what(), in.headerRow), nil)
	}
	if err != nil {
		return err
	}
	in.pending = append([]Row{r}, in.pending...)
	return nil
}

// readErr makes an error met while reading rows an *Error.
func (in *Reader) readErr(err error) error {
	var e *Error
	if errors.As(err, &e) {
		return err
	}
	if in.wb != nil && in.sheet != "" && !strings.HasPrefix(err.Error(), "worksheet ") {
		return inputErr(in.path, msg.M(msg.InSheetErr, in.sheet, err), err)
	}
	return inputErr(in.path, problemOf(err), err)
}

func (in *Reader) what() msg.Message {
	if in.format == "xlsx" {
		return msg.M(msg.InWhatSheet, in.sheet)
	}
	return msg.M(msg.InWhatFile)
}

// Header returns the header row, trimmed.
func (in *Reader) Header() []string { return in.header }

// Columns returns the 0-based code and name columns, -1 where there is none.
func (in *Reader) Columns() (code, name int) { return in.codeCol, in.nameCol }

// HeaderRow returns the 1-based row of the header (sheet row; CSV line).
func (in *Reader) HeaderRow() int { return in.headerRow }

// TitleLines returns the non-empty rows above the header (a report title,
// a "制表" line), each as its non-empty cells joined by two spaces, at
// most ten; nil when the header is the first non-empty row.
func (in *Reader) TitleLines() []string { return in.titles }

// columnLabel names column i for messages: its letter and header, e.g.
// `C "统一社会信用代码"`, or "" for a negative i.
func (in *Reader) columnLabel(i int) string {
	if i < 0 {
		return ""
	}
	h := ""
	if i < len(in.header) {
		h = in.header[i]
	}
	return fmt.Sprintf("%s %q", ColumnName(i), h)
}

// Sheet returns the worksheet read ("" for CSV).
func (in *Reader) Sheet() string { return in.sheet }

// Date1904 reports whether the workbook counts dates from 1904-01-01
// (an option of older Excel for Mac): read its date cells with
// Cell.DateIn(true). False for CSV.
func (in *Reader) Date1904() bool { return in.wb != nil && in.wb.date1904 }

// Format describes the file as read, e.g. "xlsx" or "csv (gb18030, comma)".
func (in *Reader) Format() string { return in.format }

// Next returns the next data row, skipping blank rows; io.EOF after the
// last. Any other error is an *Error: the file is unusable.
func (in *Reader) Next() (Row, error) {
	for len(in.pending) > 0 {
		r := in.pending[0]
		in.pending = in.pending[1:]
		if !blankRow(r) {
			return r, nil
		}
	}
	for {
		r, err := in.src.read()
		if err == io.EOF {
			return Row{}, io.EOF
		}
		if err != nil {
			return Row{}, in.readErr(err)
		}
		if !blankRow(r) {
			return r, nil
		}
	}
}

// Identifier returns the cell that identifies the company of r: the code
// cell, or the name cell where the code cell is empty (or Excel's ="").
func (in *Reader) Identifier(r Row) Cell {
	c, _ := in.IdentifierAt(r)
	return c
}

// IdentifierAt is Identifier with the 0-based column the cell came from
// (-1 when the file has neither column).
func (in *Reader) IdentifierAt(r Row) (Cell, int) {
	if in.codeCol >= 0 {
		if c := r.Cell(in.codeCol); c.Type == CellFormulaUncalculated || Trim(c.Value) != "" || in.nameCol < 0 {
			return c, in.codeCol
		}
	}
	if in.nameCol >= 0 {
		return r.Cell(in.nameCol), in.nameCol
	}
	return Cell{}, -1
}

// Close releases the file.
func (in *Reader) Close() error {
	if in == nil {
		return nil
	}
	var err error
	if in.src != nil {
		err = in.src.close()
		in.src = nil
	}
	if in.wb != nil {
		if e := in.wb.close(); err == nil {
			err = e
		}
		in.wb = nil
	}
	return err
}

// blankRow reports whether every cell of r is blank.
func blankRow(r Row) bool {
	for _, c := range r.Cells {
		if !c.isBlank() {
			return false
		}
	}
	return true
}
