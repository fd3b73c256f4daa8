package journal

import (
	"time"
	"unicode/utf16"
	"unicode/utf8"
	"unsafe"
)

// A fast decoder for the lines the journal writes itself: a flat JSON
// object with the record's own keys (and the nested snapshot), compact, as
// json.Marshal produces it. Anything it does not recognise (whitespace, an unknown or differently
// cased key, null, a number with a fraction or exponent, a time in another
// form, invalid UTF-8) makes it give up, and decodeRecord falls back to
// encoding/json, so both always agree (FuzzReplay checks it).
//
// Kept against the library (BenchmarkLib_Decode, 100,000 lines, decodeFast
// against json.Unmarshal into a record; benchstat of 5 interleaved runs on
// the loaded 2-core build machine): events (intent, order, polls) 73 ms,
// 0 allocations, against 541 ms, 93 MB and 950,000 allocations (+639 %);
// compaction snapshots 238 ms, 20 MB, 100,000 allocations, against 1.47 s,
// 141 MB, 1,700,000 allocations (+517 %). Ten times that, decoding alone
// with encoding/json would take about 5 s for a million events and 15 s for
// a million snapshots on that machine, where the SPEC allows 3 s to open a
// million-record state file; so the scanner stays.

// jscan walks one line.
type jscan struct {
	b   []byte
	i   int
	bad bool
}

func (s *jscan) fail() { s.bad = true }

func (s *jscan) next(c byte) bool {
	if s.i < len(s.b) && s.b[s.i] == c {
		s.i++
		return true
	}
	return false
}

// str reads a JSON string.
func (s *jscan) str() string {
	if !s.next('"') {
		s.fail()
		return ""
	}
	start := s.i
	for s.i < len(s.b) {
		c := s.b[s.i]
		switch {
		case c == '"':
			raw := s.b[start:s.i]
			s.i++
			if !utf8.Valid(raw) {
				s.fail()
				return ""
			}
			if len(raw) == 0 {
				return ""
			}
			return unsafe.String(&raw[0], len(raw)) // see decodeFast
		case c == '\\':
			s.i = start
			return s.escapedStr()
		case c < 0x20:
			s.fail()
			return ""
		}
		s.i++
	}
	s.fail()
	return ""
}

// key reads an object key: plain ASCII, no escapes. The string shares the
// line's memory and must not be kept.
func (s *jscan) key() string {
	if !s.next('"') {
		s.fail()
		return ""
	}
	start := s.i
	for s.i < len(s.b) && s.b[s.i] != '"' {
		if c := s.b[s.i]; c == '\\' || c < 0x20 || c >= 0x80 {
			s.fail()
			return ""
		}
		s.i++
	}
	if s.i == len(s.b) {
		s.fail()
		return ""
	}
	s.i++
	return unsafe.String(&s.b[start], s.i-1-start)
}

// escapedStr reads a string with escapes, from just after its quote.
func (s *jscan) escapedStr() string {
	var out []byte
	for s.i < len(s.b) {
		c := s.b[s.i]
		s.i++
		switch {
		case c == '"':
			if !utf8.Valid(out) {
				s.fail()
			}
			return string(out)
		case c < 0x20:
			s.fail()
			return ""
		case c != '\\':
			out = append(out, c)
			continue
		}
		if s.i >= len(s.b) {
			break
		}
		e := s.b[s.i]
		s.i++
		switch e {
		case '"', '\\', '/':
			out = append(out, e)
		case 'b':
			out = append(out, '\b')
		case 'f':
			out = append(out, '\f')
		case 'n':
			out = append(out, '\n')
		case 'r':
			out = append(out, '\r')
		case 't':
			out = append(out, '\t')
		case 'u':
			r := s.hex4()
			if utf16.IsSurrogate(r) {
				if !s.next('\\') || !s.next('u') {
					s.fail()
					return ""
				}
				r = utf16.DecodeRune(r, s.hex4())
				if r == utf8.RuneError {
					s.fail()
					return ""
				}
			}
			out = utf8.AppendRune(out, r)
		default:
			s.fail()
			return ""
		}
	}
	s.fail()
	return ""
}

func (s *jscan) hex4() rune {
	if s.i+4 > len(s.b) {
		s.fail()
		return 0
	}
	var r rune
	for _, c := range s.b[s.i : s.i+4] {
		switch {
		case '0' <= c && c <= '9':
			r = r<<4 | rune(c-'0')
		case 'a' <= c && c <= 'f':
			r = r<<4 | rune(c-'a'+10)
		case 'A' <= c && c <= 'F':
			r = r<<4 | rune(c-'A'+10)
		default:
			s.fail()
			return 0
		}
	}
	s.i += 4
	return r
}

// int reads a JSON integer that fits an int32, the range of every number
// the journal holds.
func (s *jscan) int() int {
	neg := s.next('-')
	start := s.i
	n := 0
	for s.i < len(s.b) && '0' <= s.b[s.i] && s.b[s.i] <= '9' {
		n = n*10 + int(s.b[s.i]-'0')
		s.i++
	}
	d := s.i - start
	if d == 0 || d > 9 || (d > 1 && s.b[start] == '0') {
		s.fail()
	}
	if neg {
		return -n
	}
	return n
}

// time reads a UTC time as json.Marshal writes it (RFC 3339, "Z", with
// zero to nine fraction digits).
func (s *jscan) time() time.Time {
	v := s.str()
	if s.bad {
		return time.Time{}
	}
	if len(v) < 20 || v[4] != '-' || v[7] != '-' || v[10] != 'T' || v[13] != ':' || v[16] != ':' || v[len(v)-1] != 'Z' {
		s.fail()
		return time.Time{}
	}
	num := func(a, b int) int { return digits(s, v[a:b]) }
	year, month, day := num(0, 4), num(5, 7), num(8, 10)
	hour, minute, sec := num(11, 13), num(14, 16), num(17, 19)
	nsec := 0
	if frac := v[19 : len(v)-1]; frac != "" {
		if frac[0] != '.' || len(frac) < 2 || len(frac) > 10 {
			s.fail()
			return time.Time{}
		}
		nsec = num(20, len(v)-1)
		for range 10 - len(frac) {
			nsec *= 10
		}
	}
	if s.bad || month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || sec > 59 ||
		day > time.Date(year, time.Month(month)+1, 0, 0, 0, 0, 0, time.UTC).Day() {
		s.fail()
		return time.Time{}
	}
	return time.Date(year, time.Month(month), day, hour, minute, sec, nsec, time.UTC)
}

// member starts the next member of an object ({ or , then "key":) and
// returns its key, or "" at the closing brace or on an error. first is set
// by the caller before the first member.
func (s *jscan) member(first *bool) string {
	if *first {
		*first = false
		if !s.next('{') {
			s.fail()
			return ""
		}
		if s.next('}') {
			return ""
		}
	} else if s.next('}') {
		return ""
	} else if !s.next(',') {
		s.fail()
		return ""
	}
	key := s.key()
	if s.bad || key == "" || !s.next(':') {
		s.fail()
		return ""
	}
	return key
}

// digits parses a run of decimal digits.
func digits(s *jscan, v string) int {
	n := 0
	for i := 0; i < len(v); i++ {
		c := v[i]
		if c < '0' || c > '9' {
			s.fail()
		}
		n = n*10 + int(c-'0')
	}
	return n
}
