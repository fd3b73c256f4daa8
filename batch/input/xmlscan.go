package input

import (
	"bytes"
	"io"
	"strconv"
	"unicode/utf8"

	"github.com/qccbatch/qccbatch/batch/msg"
)

// xmlScanner is a small pull tokenizer for the worksheet and shared-strings
// parts of an xlsx file. encoding/xml reads about 10 MB/s and allocates for
// every token; a worksheet of a million rows is hundreds of megabytes, so the
// hot path uses this scanner instead. It understands what those parts
// contain: elements (with namespace prefixes), attributes in either quote,
// character data with the five XML entities and numeric references, CDATA,
// comments and processing instructions. Token bytes point into its buffer
// and are valid until the next call to next.
type xmlScanner struct {
	r      io.Reader
	buf    []byte
	pos    int
	end    int
	eof    bool
	rerr   error
	offset int64 // bytes consumed before buf[0], for error messages

	kind      tokKind
	name      []byte // local name of a start or end tag
	attrs     []byte // raw attribute text of a start tag
	selfClose bool
	text      []byte // raw text (entities not decoded), or CDATA content
	cdata     bool
}

type tokKind uint8

const (
	tokEOF tokKind = iota
	tokStart
	tokEnd
	tokText
)

// maxXMLToken bounds one token (a tag or a run of text) so that a crafted
// file cannot make the scanner buffer without limit. Excel cells hold at
// most 32,767 characters.
const maxXMLToken = 4 << 20

var errXMLTokenTooLong = errText(msg.InXMLTokenTooLong)

func newXMLScanner(r io.Reader) *xmlScanner {
	return &xmlScanner{r: r, buf: make([]byte, 256<<10)}
}

// fill reads more input, keeping buf[pos:end]. It reports false when no more
// bytes can come.
func (s *xmlScanner) fill() (bool, error) {
	if s.eof {
		return false, s.rerr
	}
	if s.pos > 0 {
		n := copy(s.buf, s.buf[s.pos:s.end])
		s.offset += int64(s.pos)
		s.end, s.pos = n, 0
	}
	if s.end == len(s.buf) {
		if len(s.buf) >= maxXMLToken {
			return false, errXMLTokenTooLong
		}
		nb := make([]byte, 2*len(s.buf))
		copy(nb, s.buf[:s.end])
		s.buf = nb
	}
	n, err := io.ReadAtLeast(s.r, s.buf[s.end:], 1)
	s.end += n
	if err != nil {
		s.eof = true
		if err != io.EOF && err != io.ErrUnexpectedEOF {
			s.rerr = err
			return n > 0, err
		}
	}
	return n > 0, nil
}

// next advances to the next token. At the end of input kind is tokEOF and
// the error is nil; a read error or malformed markup is returned.
func (s *xmlScanner) next() error {
	for {
		if s.pos >= s.end {
			more, err := s.fill()
			if err != nil {
				return err
			}
			if !more {
				s.kind = tokEOF
				return nil
			}
		}
		if s.buf[s.pos] != '<' {
			i := bytes.IndexByte(s.buf[s.pos:s.end], '<')
			if i < 0 && !s.eof {
				if _, err := s.fill(); err != nil {
					return err
				}
				continue
			}
			if i < 0 {
				i = s.end - s.pos
			}
			s.kind, s.cdata, s.text = tokText, false, s.buf[s.pos:s.pos+i]
			s.pos += i
			return nil
		}
		done, err := s.tag()
		if err != nil || done {
			return err
		}
	}
}

// tag scans the markup at buf[pos] ('<'). done is false for comments and
// processing instructions, which are skipped.
func (s *xmlScanner) tag() (done bool, err error) {
	for {
		b := s.buf[s.pos:s.end]
		var n int // length of the markup, 0 if incomplete
		switch {
		case bytes.HasPrefix(b, []byte("<!--")):
			n = closeAfter(b, 4, "-->")
		case bytes.HasPrefix(b, []byte("<![CDATA[")):
			if n = closeAfter(b, 9, "]]>"); n > 0 {
				s.kind, s.cdata, s.text = tokText, true, b[9:n-3]
				s.pos += n
				return true, nil
			}
		case bytes.HasPrefix(b, []byte("<?")):
			n = closeAfter(b, 2, "?>")
		case len(b) < 9 && !s.eof && (bytes.HasPrefix([]byte("<![CDATA["), b) || bytes.HasPrefix([]byte("<!--"), b)):
			n = 0 // too short to tell
		default:
			n = tagEnd(b)
			if n > 0 {
				s.startOrEnd(b[:n])
				s.pos += n
				return true, nil
			}
		}
		if n > 0 {
			s.pos += n
			return false, nil
		}
		more, err := s.fill()
		if err != nil {
			return false, err
		}
		if !more {
			return false, errText(msg.InXMLEndsInTag, s.offset+int64(s.pos))
		}
	}
}

// closeAfter returns the length of b up to and including the first closer
// at or after from, or 0.
func closeAfter(b []byte, from int, closer string) int {
	if from > len(b) {
		return 0
	}
	i := bytes.Index(b[from:], []byte(closer))
	if i < 0 {
		return 0
	}
	return from + i + len(closer)
}

// tagEnd returns the length of the tag at the start of b, honouring quoted
// attribute values, or 0 if b does not hold all of it.
func tagEnd(b []byte) int {
	var quote byte
	for i := 1; i < len(b); i++ {
		c := b[i]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '"' || c == '\'':
			quote = c
		case c == '>':
			return i + 1
		}
	}
	return 0
}

// startOrEnd fills the token fields from a complete tag "<...>".
func (s *xmlScanner) startOrEnd(t []byte) {
	t = t[1 : len(t)-1]
	s.kind, s.selfClose, s.attrs = tokStart, false, nil
	if len(t) > 0 && t[0] == '/' {
		s.kind, t = tokEnd, t[1:]
	} else if len(t) > 0 && t[len(t)-1] == '/' {
		s.selfClose, t = true, t[:len(t)-1]
	}
	i := 0
	for i < len(t) && !isXMLSpace(t[i]) {
		i++
	}
	if i < len(t) {
		s.attrs = t[i:]
	}
	name := t[:i]
	if j := bytes.LastIndexByte(name, ':'); j >= 0 {
		name = name[j+1:]
	}
	s.name = name
}

// is reports whether the current token is a start (or end) tag named name.
func (s *xmlScanner) is(kind tokKind, name string) bool {
	return s.kind == kind && string(s.name) == name
}

// attr returns the raw value of the attribute whose local name is name.
// It is on the hot path (three lookups per cell), so it scans by hand.
func attr(attrs []byte, name string) ([]byte, bool) {
	i := 0
	for {
		for i < len(attrs) && isXMLSpace(attrs[i]) {
			i++
		}
		start := i
		for i < len(attrs) && attrs[i] != '=' && !isXMLSpace(attrs[i]) {
			i++
		}
		key := attrs[start:i]
		for i < len(attrs) && (attrs[i] == '=' || isXMLSpace(attrs[i])) {
			i++
		}
		if i >= len(attrs) || (attrs[i] != '"' && attrs[i] != '\'') {
			return nil, false
		}
		q := attrs[i]
		i++
		vs := i
		for i < len(attrs) && attrs[i] != q {
			i++
		}
		if i >= len(attrs) {
			return nil, false
		}
		if j := bytes.LastIndexByte(key, ':'); j >= 0 {
			key = key[j+1:]
		}
		if string(key) == name {
			return attrs[vs:i], true
		}
		i++
	}
}

func isXMLSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\r' || c == '\n' }

// appendText appends raw character data to dst with entities decoded.
// Unknown entities are kept as written.
func appendText(dst, raw []byte) []byte {
	for {
		i := bytes.IndexByte(raw, '&')
		if i < 0 {
			return append(dst, raw...)
		}
		dst = append(dst, raw[:i]...)
		raw = raw[i:]
		semi := bytes.IndexByte(raw, ';')
		if semi < 0 || semi > 12 {
			dst, raw = append(dst, '&'), raw[1:]
			continue
		}
		ent := raw[1:semi]
		switch string(ent) {
		case "lt":
			dst = append(dst, '<')
		case "gt":
			dst = append(dst, '>')
		case "amp":
			dst = append(dst, '&')
		case "quot":
			dst = append(dst, '"')
		case "apos":
			dst = append(dst, '\'')
		default:
			r, ok := charRef(ent)
			if !ok {
				dst = append(dst, raw[:semi+1]...)
				raw = raw[semi+1:]
				continue
			}
			dst = utf8.AppendRune(dst, r)
		}
		raw = raw[semi+1:]
	}
}

// charRef decodes "#123" or "#x1F" to a rune.
func charRef(ent []byte) (rune, bool) {
	if len(ent) < 2 || ent[0] != '#' {
		return 0, false
	}
	base, digits := 10, ent[1:]
	if digits[0] == 'x' || digits[0] == 'X' {
		base, digits = 16, digits[1:]
	}
	n, err := strconv.ParseUint(string(digits), base, 32)
	if err != nil || !utf8.ValidRune(rune(n)) {
		return 0, false
	}
	return rune(n), true
}

// unescapeOOXML decodes the _xHHHH_ escapes that OOXML uses in strings for
// characters XML cannot carry (LibreOffice and Excel write "_x000D_" for CR).
func unescapeOOXML(s []byte) []byte {
	if !bytes.Contains(s, []byte("_x")) {
		return s
	}
	out := make([]byte, 0, len(s))
	for i := 0; i < len(s); {
		if i+7 <= len(s) && s[i] == '_' && s[i+1] == 'x' && s[i+6] == '_' {
			if n, err := strconv.ParseUint(string(s[i+2:i+6]), 16, 16); err == nil {
				out = utf8.AppendRune(out, rune(n))
				i += 7
				continue
			}
		}
		out = append(out, s[i])
		i++
	}
	return out
}
