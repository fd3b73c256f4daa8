package input

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"os"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"

	"github.com/qccbatch/qccbatch/batch/msg"
)

// csvSource streams the records of a CSV or tab-separated text file in
// the encoding and with the delimiter that sniffCSV found.
type csvSource struct {
	c        io.Closer
	r        *csv.Reader
	rec      int
	skip     int // lines before the first the csv.Reader sees (a sep= line)
	encoding string
	comma    rune
}

// Limits of a CSV file. A record may span lines only inside a quoted field;
// a stray quote would otherwise swallow the rest of the file into one cell.
const (
	maxCSVRecord      = 16 << 20 // bytes of one record, across the lines of its quoted fields
	maxQuotedFieldLen = 64 << 10 // bytes of one quoted field
	maxQuotedLines    = 16       // lines one quoted field may span
)

// newCSVSource sniffs the encoding (unless override names one) and the
// delimiter of f and returns a reader positioned on the first record. Lone
// CRs (Mac line ends) are line breaks; a first line "sep=;" (which Excel
// writes and honours) sets the delimiter and is not a record.
func newCSVSource(f io.ReadSeekCloser, override string) (*csvSource, error) {
	enc, err := sniffEncoding(f, override)
	if err != nil {
		return nil, err
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return nil, err
	}
	dec := bufio.NewReaderSize(transform.NewReader(f, decoderFor(enc)), 64<<10)
	br := bufio.NewReaderSize(&crSplitter{r: dec}, 64<<10)
	head, _ := br.Peek(64 << 10)
	comma, sepLen := sepDirective(head)
	skip := 0
	if sepLen > 0 {
		br.Discard(sepLen)
		skip = 1
	} else {
		comma = sniffDelimiter(head)
	}
	g := &csvGuard{r: br, comma: byte(comma), line: 1 + skip}
	r := csv.NewReader(g)
	r.Comma, r.FieldsPerRecord, r.LazyQuotes = comma, -1, true
	return &csvSource{c: f, r: r, skip: skip, encoding: enc, comma: comma}, nil
}

func (c *csvSource) read() (Row, error) {
	rec, err := c.r.Read()
	if err == io.EOF {
		return Row{}, io.EOF
	}
	if err != nil {
		var (
			pe *csv.ParseError
			le *limitError
		)
		switch {
		case errors.As(err, &le):
			return Row{}, err
		case errors.As(err, &pe):
			return Row{}, errText(msg.InCSVRecordLine, c.rec+1, pe.StartLine+c.skip, pe.Err)
		}
		return Row{}, errText(msg.InCSVRecord, c.rec+1, err)
	}
	c.rec++
	line, _ := c.r.FieldPos(0) // the line in the file, counting blank lines
	line += c.skip
	row := Row{Line: line, Cells: make([]Cell, len(rec))}
	for i, v := range rec {
		if len(v) > maxCellChars && utf8.RuneCountInString(v) > maxCellChars {
			return Row{}, cellTooLong(errText(msg.InWhereCSVCell, line, ColumnName(i)))
		}
		if v != "" {
			row.Cells[i] = Cell{Value: v, Type: CellString}
		}
	}
	return row, nil
}

func (c *csvSource) close() error { return c.c.Close() }

// sepDirective recognises Excel's first line "sep=X" (also quoted, as some
// tools write it): the delimiter X and the length of the line, or 0.
func sepDirective(head []byte) (rune, int) {
	end := bytes.IndexByte(head, '\n')
	line := head
	if end >= 0 {
		line = head[:end]
	}
	line = bytes.TrimRight(line, "\r")
	if len(line) >= 2 && line[0] == '"' && line[len(line)-1] == '"' {
		line = line[1 : len(line)-1]
	}
	if len(line) != 5 || !bytes.EqualFold(line[:4], []byte("sep=")) {
		return 0, 0
	}
	d := line[4]
	if d == 0 || d == '"' || d == '\r' || d == '\n' || d >= utf8.RuneSelf {
		return 0, 0
	}
	if end < 0 {
		return rune(d), len(head)
	}
	return rune(d), end + 1
}

// crSplitter turns lone CRs (the line ends of Mac Excel's "CSV (Macintosh)")
// into LFs; CRLF stays.
type crSplitter struct{ r *bufio.Reader }

func (c *crSplitter) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	b := p[:n]
	for i := 0; i < len(b); i++ {
		j := bytes.IndexByte(b[i:], '\r')
		if j < 0 {
			break
		}
		i += j
		if i+1 < len(b) {
			if b[i+1] != '\n' {
				b[i] = '\n'
			}
		} else if next, _ := c.r.Peek(1); len(next) == 0 || next[0] != '\n' {
			b[i] = '\n'
		}
	}
	return n, err
}

// csvGuard follows the quoting of the stream that encoding/csv parses (with
// LazyQuotes: a field is quoted when it starts with '"', and its quote
// closes only before a delimiter or a line end) and fails the read when a
// quoted field runs past maxQuotedLines lines or maxQuotedFieldLen bytes,
// when the file ends inside one, or when a record passes maxCSVRecord bytes.
// Memory stays bounded whatever the file holds.
type csvGuard struct {
	r        io.Reader
	comma    byte
	state    uint8
	line     int // line of the byte being read, 1-based
	openLine int // line where the current quoted field opened
	quoted   int // bytes of the current quoted field
	since    int // bytes since the last record break
	err      error
}

// csvGuard states.
const (
	gFieldStart uint8 = iota
	gUnquoted
	gQuoted
	gQuoteInQuoted // a '"' inside a quoted field: escape, close, or a lazy literal
)

func (g *csvGuard) Read(p []byte) (int, error) {
	if g.err != nil {
		return 0, g.err
	}
	n, err := g.r.Read(p)
	// The loop runs over every byte of the file: state in locals.
	comma, state, line, openLine, quoted, since := g.comma, g.state, g.line, g.openLine, g.quoted, g.since
	var fail error
	for _, c := range p[:n] {
		since++
		switch state {
		case gFieldStart, gUnquoted:
			switch c {
			case comma:
				state = gFieldStart
			case '\n':
				state, since = gFieldStart, 0
				line++
			case '"':
				if state == gFieldStart {
					state, openLine, quoted = gQuoted, line, 0
				}
			default:
				state = gUnquoted
			}
		case gQuoted:
			quoted++
			if c == '"' {
				state = gQuoteInQuoted
			} else if c == '\n' {
				line++
				if line-openLine >= maxQuotedLines {
					fail = errQuoteRunsOn
				}
			}
			if quoted > maxQuotedFieldLen {
				fail = errQuoteRunsOn
			}
		case gQuoteInQuoted:
			switch c {
			case '"':
				state = gQuoted
			case comma:
				state = gFieldStart
			case '\n':
				state, since = gFieldStart, 0
				line++
			case '\r':
			default:
				state = gQuoted
			}
		}
		if since > maxCSVRecord {
			fail = errRecordTooLong
		}
		if fail != nil {
			break
		}
	}
	g.state, g.line, g.openLine, g.quoted, g.since = state, line, openLine, quoted, since
	switch {
	case fail == errQuoteRunsOn:
		return n, g.fail(limitErr(msg.InQuoteRunsOn, openLine, maxQuotedLines, maxQuotedFieldLen>>10))
	case fail != nil:
		return n, g.fail(fail)
	case err == io.EOF && state == gQuoted:
		return n, g.fail(limitErr(msg.InQuoteNeverClosed, openLine))
	}
	return n, err
}

// errQuoteRunsOn marks, inside csvGuard.Read, a quoted field past its limits.
var errQuoteRunsOn = errors.New("quoted field runs on")

func (g *csvGuard) fail(err error) error {
	g.err = err
	return err
}

var errRecordTooLong = limitErr(msg.InRecordTooLong)

// Encodings a CSV file may be read in.
const (
	encUTF8    = "utf-8"
	encGB18030 = "gb18030"
	encUTF16LE = "utf-16le"
	encUTF16BE = "utf-16be"
)

// decoderFor returns the decoding of a sniffed encoding. Every decoder strips
// a byte-order mark and turns undecodable bytes into U+FFFD; Classify makes
// such a row invalid.
func decoderFor(enc string) transform.Transformer {
	switch enc {
	case encGB18030:
		return simplifiedchinese.GB18030.NewDecoder()
	case encUTF16LE:
		return unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewDecoder()
	case encUTF16BE:
		return unicode.UTF16(unicode.BigEndian, unicode.UseBOM).NewDecoder()
	}
	return unicode.UTF8BOM.NewDecoder()
}

// normaliseEncoding maps a --encoding value to one of the encodings above.
func normaliseEncoding(s string) (string, error) {
	switch strings.ToLower(strings.ReplaceAll(strings.TrimSpace(s), "_", "-")) {
	case "utf-8", "utf8", "utf-8-bom":
		return encUTF8, nil
	case "gb18030", "gbk", "gb2312", "cp936", "936":
		return encGB18030, nil
	case "utf-16", "utf16", "utf-16le", "unicode":
		return encUTF16LE, nil
	case "utf-16be":
		return encUTF16BE, nil
	}
	return "", errText(msg.InUnknownEncoding, s)
}

// openCSV reads the header of the CSV file f, whose first bytes were read
// to tell its type: f is the Reader's source from then on, closed by Close
// (by openCSV when it fails before that).
func (in *Reader) openCSV(f *os.File, opt Options) error {
	path, lang := in.path, in.lang
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		f.Close()
		return inputErr(path, msg.Text(lang, msg.InCannotRead, err), err)
	}
	c, err := newCSVSource(f, opt.Encoding)
	if err != nil {
		f.Close()
		return inputErr(path, render(lang, err), err)
	}
	in.src, in.format = c, "csv ("+c.encoding+", "+delimName(c.comma)+")"
	res, err := scanHeader(c, opt, fallbackOK(opt))
	if err != nil {
		return in.readErr(err)
	}
	if !res.found {
		problem := res.problem(msg.Text(lang, msg.InWhatFile), opt)
		if opt.Encoding != "" {
			problem += encodingHint(path, c.encoding, lang)
		}
		return inputErr(path, problem, res.err)
	}
	in.use(res)
	return nil
}

// encodingHint suggests the detected encoding when an --encoding override
// left the header unreadable: "; the file looks like gb18030: try
// --encoding gb18030, or leave --encoding out".
func encodingHint(path, used, lang string) string {
	f, err := os.Open(path)
	if err != nil {
		return ""
	}
	defer f.Close()
	detected, err := sniffEncoding(f, "")
	if err != nil || detected == used {
		return ""
	}
	return msg.Text(lang, msg.InEncodingHint, detected, used, detected)
}
