package client

import (
	"errors"
	"fmt"
	"net/url"
	"strings"
	"unicode"
	"unicode/utf8"
)

// MaxOrderNoLen is the longest OrderNo accepted, in bytes: twice the 32
// characters of the API document, so a longer one is not an order number
// but a broken or hostile answer.
const MaxOrderNoLen = 64

// ErrPlainHTTPDownload is the cause of a download refused because the
// report URL (or a redirect) is plain http to a host that is not loopback:
// a report URL is a bearer link, and it would travel in clear. A client
// made with WithPlainHTTPDownloads allows it. The error is a
// *PlainHTTPError.
var ErrPlainHTTPDownload = errors.New("plain http report link to a host that is not loopback")

// PlainHTTPError is a download refused before anything was sent to Host
// (see ErrPlainHTTPDownload); retrying does not help.
type PlainHTTPError struct {
	Host     string // the host the link (or redirect) pointed at
	Redirect bool   // the refused link was a redirect's
}

func (e *PlainHTTPError) Error() string {
	if e.Redirect {
		return "qcc Download: redirected to " + e.Host + ": " + ErrPlainHTTPDownload.Error()
	}
	return "qcc Download: not downloaded from " + e.Host + ": " + ErrPlainHTTPDownload.Error()
}

// Is makes errors.Is(err, ErrPlainHTTPDownload) true.
func (e *PlainHTTPError) Is(target error) bool { return target == ErrPlainHTTPDownload }

// checkOrderNo refuses an OrderNo that cannot be an order number: empty,
// longer than MaxOrderNoLen, not UTF-8, or holding a control, format
// (zero-width, bidi) or separator character (a space included) or U+FFFD. The
// number is otherwise kept byte for byte: an OrderNo is what the vendor's
// order list shows and what resolve matches, so it is never trimmed or
// folded.
func checkOrderNo(no string) error {
	switch {
	case no == "":
		return errors.New("answer with status 200 but no OrderNo")
	case len(no) > MaxOrderNoLen:
		return fmt.Errorf("answer with status 200 but an OrderNo of %d bytes (at most %d)", len(no), MaxOrderNoLen)
	case !utf8.ValidString(no):
		return fmt.Errorf("answer with status 200 but an OrderNo that is not UTF-8 (%+q)", no)
	}
	for _, r := range no {
		if oddRune(r) {
			return fmt.Errorf("answer with status 200 but an OrderNo with a control, separator or replacement character (%+q)", no)
		}
	}
	return nil
}

// oddRune reports whether r has no place in an identifier: a control,
// format or separator character, or U+FFFD, which encoding/json puts in
// place of bytes that were not UTF-8 (the number as sent is lost).
func oddRune(r rune) bool {
	return unicode.IsControl(r) || unicode.Is(unicode.Cf, r) || unicode.Is(unicode.Z, r) || r == utf8.RuneError
}

// checkReportURL refuses a ReportUrl that is not an absolute http(s) URL
// with a host, or that holds a control, format or space character: such an
// S answer gives no report to show or download, so it is not a ready one.
func checkReportURL(raw string) error {
	if raw == "" {
		return errors.New("report status S without a ReportUrl")
	}
	for _, r := range raw {
		if oddRune(r) {
			return fmt.Errorf("report status S with a ReportUrl holding a control or space character")
		}
	}
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" || u.Opaque != "" || (!strings.EqualFold(u.Scheme, "http") && !strings.EqualFold(u.Scheme, "https")) {
		scheme := ""
		if err == nil {
			scheme = u.Scheme
		}
		return fmt.Errorf("report status S with a ReportUrl that is not an absolute http(s) address (scheme %.12q)", scheme)
	}
	return nil
}

// plainHTTPRefused reports whether a download from u must be refused: plain
// http to a host that is not loopback, unless the client allows it.
func (c *Client) plainHTTPRefused(u *url.URL) bool {
	return !c.plainHTTP && strings.EqualFold(u.Scheme, "http") && !IsLoopbackHost(u.Hostname())
}

// WithPlainHTTPDownloads lets Download fetch report URLs (and follow
// redirects) in plain http to hosts that are not loopback. Without it such
// a download fails with ErrPlainHTTPDownload before anything is sent.
func WithPlainHTTPDownloads(allow bool) Option {
	return func(c *Client) { c.plainHTTP = allow }
}
