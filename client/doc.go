// Package client speaks the Qichacha 基础身份报告 API (ReportBaseId/CreateReport
// and ReportBaseId/GetReportInfo): request signing, the status-code table and
// the mapping of every answer to a typed error.
//
// What follows a failed request is decided in one place per kind of call:
// OrderDecision after CreateReport, where an order may have been placed
// although the answer was lost or unclear (an order costs money and is
// never sent again unless certainly nothing was placed), and ClassOf after
// GetReportInfo and Download, which retry whatever is passing. RetryAfter
// gives the delay the server asked for.
//
// The client keeps its signature valid on a machine whose clock is off: it
// measures the API's clock from the Date header of every answer
// (ClockOffset) and signs with it when the local clock is more than
// MaxClockSkew off.
//
// The fake API that tests and the sandbox use lives beside it in qcctest.
package client
