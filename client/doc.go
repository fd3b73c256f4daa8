// Package client speaks the Qichacha 基础身份报告 API (ReportBaseId/CreateReport
// and ReportBaseId/GetReportInfo): request signing, the status-code table and
// the mapping of every answer to a typed error.
//
// The fake API that tests and the sandbox use lives beside it in qcctest.
package client
