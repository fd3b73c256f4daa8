package client

import (
	"context"
	"errors"
	"fmt"
	"net/http"
)

// Decision is what the caller of CreateReport does with its outcome. Every
// order costs money, and some failures may hide a placed order, so an order
// is retried only when it certainly was not placed; ClassOf, which serves
// GetReportInfo and downloads, retries whatever is passing.
//
// The decision table (SPEC "Status codes" and "Ambiguous orders"):
//
//	DecisionPlaced     nil error
//	DecisionRetry      120; HTTP 429, 503 and 408 without a QCC answer; 115 of a
//	                   clock more than MaxClockSkew off (APIError.ClockOffset);
//	                   not sent: connection refused, DNS or TLS failure, or the
//	                   context ended before the request was written
//	DecisionAmbiguous  199, 203, 205 (at any HTTP status); HTTP 5xx (but 503) or
//	                   2xx without a QCC answer (a gateway's or proxy's page, a
//	                   200 without an OrderNo); timeout, reset or context end
//	                   after the request was written
//	DecisionRowFinal   201, 202, 207, 208, 209, 213, 215, 218, 219
//	DecisionCooldown   110
//	DecisionQuota      109, 112, 116
//	DecisionFatal      every other code (101-108, 111, 113-115, 117-119, 121,
//	                   214, 223, codes not in the document); other HTTP 3xx/4xx
//	                   without a QCC answer; an invalid argument
type Decision int

// The decisions after CreateReport.
const (
	// DecisionPlaced: the order was placed; poll its order number.
	DecisionPlaced Decision = iota
	// DecisionRetry: certainly nothing was placed and trying again may
	// succeed: retry after a backoff, honouring RetryAfter(err), and slow
	// down when ClassOf(err) is ClassSlowDown.
	DecisionRetry
	// DecisionAmbiguous: an order may have been placed. Never order the
	// company again automatically: the row is uncertain until a person
	// settles it.
	DecisionAmbiguous
	// DecisionRowFinal: the API will not report on this search key (201
	// not found, or a rejected key); final for the row, nothing placed.
	DecisionRowFinal
	// DecisionCooldown: this search key may not be ordered for two hours
	// (110); nothing placed.
	DecisionCooldown
	// DecisionQuota: the daily limit or the balance is used up; stop
	// ordering, keep polling what was ordered.
	DecisionQuota
	// DecisionFatal: the account, key, signature or configuration is
	// wrong; stop all API calls.
	DecisionFatal
)

var decisionNames = [...]string{
	DecisionPlaced:    "placed",
	DecisionRetry:     "retry",
	DecisionAmbiguous: "ambiguous",
	DecisionRowFinal:  "row_final",
	DecisionCooldown:  "cooldown",
	DecisionQuota:     "quota",
	DecisionFatal:     "fatal",
}

// String returns the decision as a short snake_case word, e.g. "row_final".
func (d Decision) String() string {
	if d >= 0 && int(d) < len(decisionNames) {
		return decisionNames[d]
	}
	return fmt.Sprintf("Decision(%d)", int(d))
}

// OrderDecision returns what to do after CreateReport returned err (see
// Decision for the table). It is meant for CreateReport errors only; for
// GetReportInfo and Download use ClassOf.
func OrderDecision(err error) Decision {
	if err == nil {
		return DecisionPlaced
	}
	if IsAmbiguous(err) {
		return DecisionAmbiguous
	}
	var ae *APIError
	if errors.As(err, &ae) {
		switch LookupCode(ae.Code).Class {
		case ClassNotFound, ClassRejected:
			return DecisionRowFinal
		case ClassSlowDown:
			return DecisionRetry
		case ClassCooldown:
			return DecisionCooldown
		case ClassQuota:
			return DecisionQuota
		}
		if ae.Code == 115 && ae.ClockOffset != 0 {
			return DecisionRetry
		}
		return DecisionFatal
	}
	var te *TransportError
	if errors.As(err, &te) {
		s := te.HTTPStatus
		switch {
		case !te.MaybeSent:
			return DecisionRetry
		case s == http.StatusTooManyRequests || s == http.StatusServiceUnavailable || s == http.StatusRequestTimeout:
			return DecisionRetry
		}
		return DecisionFatal // a non-QCC 3xx or 4xx: a wrong base URL or a blocking proxy
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return DecisionRetry // the client wraps a context end after sending in a *TransportError
	}
	return DecisionFatal
}
