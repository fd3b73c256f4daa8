package input

import (
	"bufio"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"

	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"
)

// csvSource streams the records of a CSV or tab-separated text file in
// the encoding and with the delimiter that sniffCSV found.
type csvSource struct {
	c        io.Closer
	r        *csv.Reader
	rec      int
	encoding string
	comma    rune
}

// maxCSVRecord bounds one record, so a file without line breaks cannot
// make the reader buffer without limit.
const maxCSVRecord = 16 << 20

// newCSVSource sniffs the encoding (unless override names one) and the
// delimiter of f and returns a reader positioned on the first record.
func newCSVSource(f io.ReadSeekCloser, override string) (*csvSource, error) {
	enc, err := sniffEncoding(f, override)
	if err != nil {
		return nil, err
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return nil, err
	}
	br := bufio.NewReaderSize(transform.NewReader(f, decoderFor(enc)), 64<<10)
	head, _ := br.Peek(64 << 10)
	comma := sniffDelimiter(head)
	r := csv.NewReader(&recordLimiter{r: br})
	r.Comma, r.FieldsPerRecord, r.LazyQuotes = comma, -1, true
	return &csvSource{c: f, r: r, encoding: enc, comma: comma}, nil
}

func (c *csvSource) read() (Row, error) {
	rec, err := c.r.Read()
	if err == io.EOF {
		return Row{}, io.EOF
	}
	if err != nil {
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			return Row{}, fmt.Errorf("CSV record %d (line %d) cannot be read: %v", c.rec+1, pe.StartLine, pe.Err)
		}
		return Row{}, fmt.Errorf("CSV record %d cannot be read: %v", c.rec+1, err)
	}
	c.rec++
	line, _ := c.r.FieldPos(0) // the line in the file, counting blank lines
	row := Row{Line: line, Cells: make([]Cell, len(rec))}
	for i, v := range rec {
		if v != "" {
			row.Cells[i] = Cell{Value: v, Type: CellString}
		}
	}
	return row, nil
}

func (c *csvSource) close() error { return c.c.Close() }

// recordLimiter fails a read once maxCSVRecord bytes have passed without a
// line break.
type recordLimiter struct {
	r     io.Reader
	since int
}

var errRecordTooLong = errors.New("a line longer than 16 MiB (is this really a CSV file?)")

func (l *recordLimiter) Read(p []byte) (int, error) {
	n, err := l.r.Read(p)
	for _, b := range p[:n] {
		if b == '\n' {
			l.since = 0
		} else {
			l.since++
		}
	}
	if l.since > maxCSVRecord {
		return n, errRecordTooLong
	}
	return n, err
}

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
	return "", fmt.Errorf("unknown encoding %q: use utf-8, gb18030 (gbk) or utf-16", s)
}
