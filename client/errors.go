package client

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"
)

// ErrTimeout is the cause (TransportError.Err) of a request that got no
// complete answer within the client's per-request timeout.
var ErrTimeout = errors.New("no answer within the request timeout")

// APIError is a QCC answer whose Status is not 200. Most codes say the API
// refused the request before doing anything; on CreateReport, 199, 203 and
// 205 do not, and an order may have been placed (see OrderDecision).
type APIError struct {
	Op         string        // "CreateReport" or "GetReportInfo"
	Code       int           // the answer's Status
	Message    string        // the answer's Message (the key, secret and token removed)
	Class      Class         // LookupCode(Code).Class
	HTTPStatus int           // HTTP status of the answer (usually 200)
	RetryAfter time.Duration // from a Retry-After header, 0 if none

	// ClockOffset is set on a 115 answer to a request whose Timespan was
	// more than MaxClockSkew off the API's clock (its Date header): how far
	// the API's clock was ahead of the Timespan sent. Such a 115 was caused
	// by the clock, not the credentials; the client has already retried it
	// once with the API's time if the context allowed.
	ClockOffset time.Duration
}

func (e *APIError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "qcc %s: status %d: ", e.Op, e.Code)
	meaning := LookupCode(e.Code).Meaning
	switch {
	case e.Message == "" || e.Message == meaning:
		b.WriteString(meaning)
	case meaning == UnknownMeaning:
		fmt.Fprintf(&b, "%s (%s)", e.Message, meaning)
	default:
		fmt.Fprintf(&b, "%s (%s)", meaning, e.Message)
	}
	switch {
	case e.Code == 115 && e.ClockOffset != 0:
		fmt.Fprintf(&b, "; the local clock is %s: correct the system clock", describeOffset(e.ClockOffset))
	case e.Code == 115:
		b.WriteString("; check the system clock and the secret key")
	case e.Op == opCreate && IsAmbiguous(e):
		b.WriteString(" (this code does not say that nothing was ordered: an order may have been placed)")
	}
	return b.String()
}

// TransportError is a request that got no usable QCC answer: a network
// error, a timeout, a truncated body, or an HTTP answer that is not a QCC
// JSON document (a proxy's HTML error page, a redirect, a 404).
type TransportError struct {
	Op         string        // "CreateReport", "GetReportInfo" or "Download"
	HTTPStatus int           // HTTP status if an HTTP answer came, else 0
	MaybeSent  bool          // the request was written to the server
	RetryAfter time.Duration // from a Retry-After header, 0 if none
	Err        error         // the cause; ErrTimeout, context.Canceled, a net error...
}

func (e *TransportError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "qcc %s: ", e.Op)
	if e.HTTPStatus != 0 {
		fmt.Fprintf(&b, "HTTP %d %s: ", e.HTTPStatus, http.StatusText(e.HTTPStatus))
	}
	if e.Err != nil {
		b.WriteString(e.Err.Error())
	} else {
		b.WriteString("no usable answer")
	}
	if e.Op == opCreate && IsAmbiguous(e) {
		b.WriteString(" (the request was sent: an order may have been placed)")
	}
	return b.String()
}

// Unwrap returns the cause, so errors.Is(err, context.Canceled) works.
func (e *TransportError) Unwrap() error { return e.Err }

// Timeout reports whether the request ran out of the per-request timeout.
func (e *TransportError) Timeout() bool { return errors.Is(e.Err, ErrTimeout) }

// ClassOf returns the class of an error returned by this package: ClassOK
// for nil; the code's class for an *APIError; for a *TransportError,
// ClassSlowDown on HTTP 429 or 503, ClassFatal on any other 3xx or 4xx
// non-QCC answer except 408 (a wrong base URL or a blocking proxy: retrying
// does not help), else ClassTransient. A cancelled or expired context is
// ClassTransient. Any other error (a bad argument) is ClassFatal.
func ClassOf(err error) Class {
	if err == nil {
		return ClassOK
	}
	var ae *APIError
	if errors.As(err, &ae) {
		if ae.Class == ClassOK && ae.Code != 200 {
			return LookupCode(ae.Code).Class
		}
		return ae.Class
	}
	var te *TransportError
	if errors.As(err, &te) {
		switch s := te.HTTPStatus; {
		case s == http.StatusTooManyRequests || s == http.StatusServiceUnavailable:
			return ClassSlowDown
		case s >= 300 && s < 500 && s != http.StatusRequestTimeout:
			return ClassFatal
		}
		return ClassTransient
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return ClassTransient
	}
	return ClassFatal
}

// IsAmbiguous reports whether err leaves unknown whether the request took
// effect: a request that may have reached the server and got no complete
// answer (a timeout or a connection reset after the request was written,
// an HTTP 5xx (but 503) or 2xx answer without a QCC JSON body), or a
// CreateReport answered 199, 203 or 205, codes that do not say that
// nothing was done. For CreateReport this means an order may have been
// placed: OrderDecision is DecisionAmbiguous exactly when this is true.
//
// It is false for requests that certainly never reached the server (dial
// refused, DNS failure, TLS handshake failure, a context cancelled before
// sending), for answers where the server refused the request (HTTP 429,
// 503, 3xx, 4xx), and for every other *APIError.
func IsAmbiguous(err error) bool {
	var ae *APIError
	if errors.As(err, &ae) {
		c := LookupCode(ae.Code).Class
		return ae.Op == opCreate && (c == ClassWait || c == ClassTransient)
	}
	var te *TransportError
	if !errors.As(err, &te) || !te.MaybeSent {
		return false
	}
	s := te.HTTPStatus
	return s != http.StatusTooManyRequests && s != http.StatusServiceUnavailable &&
		!(s >= 300 && s < 500)
}

// RetryAfter returns the delay the server asked for with a Retry-After
// header, or 0.
func RetryAfter(err error) time.Duration {
	var ae *APIError
	if errors.As(err, &ae) {
		return ae.RetryAfter
	}
	var te *TransportError
	if errors.As(err, &te) {
		return te.RetryAfter
	}
	return 0
}

// scrubbedError is a cause whose text had the credentials removed; it
// still unwraps to the original for errors.Is.
type scrubbedError struct {
	msg string
	err error
}

func (e *scrubbedError) Error() string { return e.msg }
func (e *scrubbedError) Unwrap() error { return e.err }
