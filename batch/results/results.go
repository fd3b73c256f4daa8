package results

import (
	"errors"
	"fmt"
	"github.com/qccbatch/qccbatch/batch/msg"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/qccbatch/qccbatch/batch/input"
	"github.com/qccbatch/qccbatch/batch/internal/fsutil"
)

// Source yields the rows of the results table in order. It returns
// io.EOF after the last row.
type Source func() (input.Row, Result, error)

// resultsFileMode is the mode of a new results file: it holds customer data.
const resultsFileMode = 0o600

// Positions of the appended columns, after the input's own.
const (
	colRow          = iota // the input's sheet row, as validate names it
	colSearchKey           // search_key
	colOutcome             // outcome
	colCode                // code
	colMessage             // message
	colOrderNo             // order_no
	colReportStatus        // report_status
	colReportURL           // report_url
	colFile                // file
	colOrderedAt           // ordered_at
	colCompletedAt         // completed_at
	nAppended              // how many columns are appended
)

// resultsHeader returns the header row of the results table: the input's
// header followed by the eleven appended columns in language t ("zh" or "en").
func resultsHeader(header []string, t msg.Language) []string {
	cols := textsFor(t).columns
	out := make([]string, 0, len(header)+len(cols))
	out = append(out, header...)
	return append(out, cols[:]...)
}

// Write writes the results table to path (.xlsx or .csv, chosen by the
// extension) atomically: a temporary file in the same directory, fsync, rename.
// header is the input's header row (empty when rebuilding from the state alone).
//
// Every row keeps len(header) original cells (short rows are padded; cells
// beyond the header are not written, so the appended columns stay aligned),
// then the eleven appended columns: the row's sheet row (input.Row.Line, as
// validate names it; empty when 0) and the ten columns of its Result. Text that a spreadsheet would take
// for a formula is written so that it never is. If next fails, path is
// untouched.
//
// t is the language of every text the writer adds ("zh", else "en"): the
// columns, the outcome labels, the rows' messages (Result.Message), the
// Summary sheet. It is the one place results are rendered.
//
// Times are written in RFC 3339 in sum.Location (time.Local when nil, which
// honours TZ) with their offset, in the workbook and the csv alike.
//
// The file is always created with mode 0600 (it holds customer data),
// whatever the mode of the file it replaces; when path is a symlink, its
// target is replaced and the link stays. excelize's temporary files (the
// sheet spills to disk past 16 MB) go to a private folder beside the target,
// never to the system's temporary folder, and are removed when Write returns;
// stale temporaries of an earlier crashed write (the atomic write's and
// excelize's) are removed first.
func Write(path string, header []string, next Source, sum Summary, t msg.Language) error {
	ext := strings.ToLower(filepath.Ext(path))
	if ext != ".xlsx" && ext != ".csv" {
		return fmt.Errorf("results file %s: the name must end in .xlsx or .csv", path)
	}
	if _, err := fsutil.SweepStaleTemps(path, fsutil.StaleTempAge); err != nil {
		return err
	}
	write := func(w io.Writer) error { return writeCSV(w, header, next, newRowFormat(t, sum.Location)) }
	if ext == ".xlsx" {
		target, err := fsutil.Resolve(path)
		if err != nil {
			return fmt.Errorf("write %s: %w", path, fsutil.UnwrapPathError(err))
		}
		scratch, err := newScratchDir(target)
		if err != nil {
			return err
		}
		defer func() { _ = os.RemoveAll(scratch) }()
		x := xlsxOptions{rf: newRowFormat(t, sum.Location), tmpDir: scratch, linkBase: linkBase(path)}
		write = func(w io.Writer) error { return writeXLSX(w, header, next, sum, x) }
	}
	return fsutil.WriteFileAtomic(path, resultsFileMode, func(f *os.File) error { return write(f) })
}

// nextRow calls next, turning io.EOF into done and wrapping other errors.
func nextRow(next Source) (input.Row, Result, bool, error) {
	row, res, err := next()
	if errors.Is(err, io.EOF) {
		return input.Row{}, Result{}, true, nil
	}
	if err != nil {
		return input.Row{}, Result{}, false, fmt.Errorf("reading results: %w", err)
	}
	return row, res, false, nil
}

// rowFormat turns a row's line and Result into the texts of the appended columns. It
// remembers the last times it formatted, so one rowFormat serves one writer.
type rowFormat struct {
	lang  msg.Language
	tx    *catalog
	loc   *time.Location
	times *[2]timeText // ordered_at, completed_at
}

// newRowFormat returns the format of language t ("zh" or "en") with times
// in loc (nil: time.Local).
func newRowFormat(t msg.Language, loc *time.Location) rowFormat {
	if loc == nil {
		loc = time.Local
	}
	return rowFormat{lang: msg.Language(t.Lang()), tx: textsFor(t), loc: loc, times: new([2]timeText)}
}

// texts returns the appended columns of a row at sheet row line with result
// res as text: the row number ("" when unknown), the outcome in the
// language, the report status with its meaning, the times in RFC 3339
// (empty when zero).
func (rf rowFormat) texts(line int, res Result) [nAppended]string {
	return [nAppended]string{
		lineText(line), res.SearchKey, rf.lang.Outcome(res.Outcome), res.Code, rf.message(res), res.OrderNo,
		rf.tx.statusText(res.ReportStatus), res.ReportURL, res.File,
		rf.orderedAt(res), rf.completedAt(res),
	}
}

// message returns the row's message in the results' language.
func (rf rowFormat) message(res Result) string { return res.Message.In(rf.lang) }

// lineText returns a row number as text, "" for 0 (a row rebuilt from the
// state alone has none).
func lineText(line int) string {
	if line <= 0 {
		return ""
	}
	return strconv.Itoa(line)
}

// orderedAt returns res.OrderedAt as rf.time does, reusing the last text.
func (rf rowFormat) orderedAt(res Result) string {
	s, _ := rf.times[0].format(res.OrderedAt, rf.loc)
	return s
}

// completedAt returns res.CompletedAt as rf.time does, reusing the last text.
func (rf rowFormat) completedAt(res Result) string {
	s, _ := rf.times[1].format(res.CompletedAt, rf.loc)
	return s
}

// time formats t in RFC 3339 in the format's time zone, with its offset
// ("2025-03-01T09:30:00+08:00", "...Z" in UTC), or "" for the zero time.
func (rf rowFormat) time(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(rf.loc).Format(time.RFC3339)
}

// cellNumber returns the value of a number cell, if it really is a finite
// number; anything else is written as text.
func cellNumber(c input.Cell) (float64, bool) {
	if c.Type != input.CellNumber {
		return 0, false
	}
	v, err := strconv.ParseFloat(strings.TrimSpace(c.Value), 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		return 0, false
	}
	return v, true
}

// cellBool returns the value of a boolean cell ("1"/"0", "TRUE"/"FALSE").
func cellBool(c input.Cell) (bool, bool) {
	if c.Type != input.CellBool {
		return false, false
	}
	b, err := strconv.ParseBool(strings.TrimSpace(c.Value))
	return b, err == nil
}

// writeFile writes another report of the program (the ledger) the way Write
// writes the results: to a temporary file beside path (beside its target,
// for a symlink), fsynced and renamed, mode 0600.
func writeFile(path string, write func(w io.Writer) error) error {
	if _, err := fsutil.SweepStaleTemps(path, fsutil.StaleTempAge); err != nil {
		return err
	}
	return fsutil.WriteFileAtomic(path, 0o600, func(f *os.File) error { return write(f) })
}
