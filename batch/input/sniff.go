package input

import (
	"bytes"
	"fmt"
	"io"
	"unicode/utf8"
)

// sniffEncoding decides how a CSV file is encoded. A byte-order mark wins;
// then UTF-16 without a mark is recognised by its NUL bytes; then the whole
// file is checked: UTF-8 (see utf8Counter) is UTF-8, anything else is GB18030
// (a superset of GBK/CP936, what Excel's "CSV (逗号分隔)" writes on Chinese
// Windows). The whole file is read because a short GBK text is valid UTF-8
// by accident surprisingly often. override ("utf-8", "gbk", ...) skips it.
func sniffEncoding(r io.Reader, override string) (string, error) {
	if override != "" {
		return normaliseEncoding(override)
	}
	buf := make([]byte, 256<<10)
	n, err := io.ReadFull(r, buf)
	head := buf[:n]
	if err != nil && err != io.ErrUnexpectedEOF && err != io.EOF {
		return "", err
	}
	if enc, ok := sniffBOM(head); ok {
		return enc, nil
	}
	if enc, ok := sniffUTF16(head); ok {
		return enc, nil
	}
	v := utf8Counter{}
	v.write(head)
	for err == nil {
		n, err = io.ReadFull(r, buf)
		v.write(buf[:n])
	}
	if err != io.ErrUnexpectedEOF && err != io.EOF {
		return "", err
	}
	if !v.isUTF8() {
		return encGB18030, nil
	}
	return encUTF8, nil
}

// sniffBOM recognises a byte-order mark.
func sniffBOM(b []byte) (string, bool) {
	switch {
	case bytes.HasPrefix(b, []byte{0xEF, 0xBB, 0xBF}):
		return encUTF8, true
	case bytes.HasPrefix(b, []byte{0xFF, 0xFE}):
		return encUTF16LE, true
	case bytes.HasPrefix(b, []byte{0xFE, 0xFF}):
		return encUTF16BE, true
	}
	return "", false
}

// sniffUTF16 recognises UTF-16 without a BOM: in text that is mostly ASCII
// (delimiters, digits, line breaks), every other byte is NUL. Neither UTF-8
// nor GB18030 text contains NUL bytes.
func sniffUTF16(b []byte) (string, bool) {
	n := len(b) &^ 1
	if n < 4 {
		return "", false
	}
	var even, odd int
	for i := 0; i < n; i += 2 {
		if b[i] == 0 {
			even++
		}
		if b[i+1] == 0 {
			odd++
		}
	}
	pairs := n / 2
	switch {
	case odd*3 > pairs && even*10 < pairs:
		return encUTF16LE, true
	case even*3 > pairs && odd*10 < pairs:
		return encUTF16BE, true
	}
	return "", false
}

// utf8Counter counts, across chunk boundaries, the multi-byte UTF-8
// sequences and the bytes that are not valid UTF-8.
type utf8Counter struct {
	carry   []byte
	multi   int
	invalid int
}

// write counts b, keeping an incomplete rune at its end for the next call.
func (v *utf8Counter) write(b []byte) {
	if len(v.carry) > 0 {
		b = append(v.carry, b...)
		v.carry = nil
	}
	for i := 0; i < len(b); {
		if b[i] < utf8.RuneSelf {
			i++
			continue
		}
		if !utf8.FullRune(b[i:]) {
			v.carry = append([]byte{}, b[i:]...)
			return
		}
		r, size := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && size == 1 {
			v.invalid++
		} else {
			v.multi++
		}
		i += size
	}
}

// isUTF8 decides after the last write: no invalid byte, or a file that is
// plainly UTF-8 with a little damage (at most one bad byte per 20 good
// characters; the damaged rows then show U+FFFD and are invalid). GBK text
// forms valid UTF-8 sequences only by accident.
func (v *utf8Counter) isUTF8() bool {
	invalid := v.invalid + len(v.carry)
	return invalid == 0 || (v.multi > 0 && invalid*20 <= v.multi)
}

// sniffDelimiter picks comma, tab or semicolon from the decoded start of a
// file: the candidate that splits the first line (the header) into the most
// fields and the following lines the same way. Quoted text is ignored. A
// file with none of them is one column: comma.
func sniffDelimiter(head []byte) rune {
	lines := splitLines(head, 20)
	best, bestScore := ',', -1
	for _, d := range []byte{',', '\t', ';'} {
		if len(lines) == 0 {
			break
		}
		h := countOutsideQuotes(lines[0], d)
		if h == 0 {
			continue
		}
		same := 0
		for _, l := range lines[1:] {
			if countOutsideQuotes(l, d) == h {
				same++
			}
		}
		if score := same*1000 + h; score > bestScore {
			best, bestScore = rune(d), score
		}
	}
	return best
}

// splitLines returns up to max non-empty lines of b, treating line breaks
// inside quotes as part of the line. An incomplete last line is dropped
// unless it is the only one.
func splitLines(b []byte, limit int) [][]byte {
	var out [][]byte
	start, quoted := 0, false
	for i := 0; i < len(b) && len(out) < limit; i++ {
		switch b[i] {
		case '"':
			quoted = !quoted
		case '\n':
			if !quoted {
				if l := bytes.TrimRight(b[start:i], "\r"); len(bytes.TrimSpace(l)) > 0 {
					out = append(out, l)
				}
				start = i + 1
			}
		}
	}
	if len(out) == 0 && start < len(b) {
		out = append(out, b[start:])
	}
	return out
}

func countOutsideQuotes(line []byte, d byte) int {
	n, quoted := 0, false
	for _, c := range line {
		switch {
		case c == '"':
			quoted = !quoted
		case c == d && !quoted:
			n++
		}
	}
	return n
}

// delimName names a delimiter for messages.
func delimName(r rune) string {
	switch r {
	case '\t':
		return "tab"
	case ';':
		return "semicolon"
	case ',':
		return "comma"
	}
	return fmt.Sprintf("%q", r)
}
