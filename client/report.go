package client

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// Format is the file format of a report (the reportFormat parameter).
type Format int

// The report formats of the API document.
const (
	FormatPDF  Format = 1
	FormatWord Format = 2
)

// Ext returns the file extension of the format without the dot: "pdf" or
// "docx".
func (f Format) Ext() string {
	if f == FormatWord {
		return "docx"
	}
	return "pdf"
}

// String returns the format's name as the --format flag spells it.
func (f Format) String() string {
	switch f {
	case FormatPDF:
		return "pdf"
	case FormatWord:
		return "word"
	}
	return "Format(" + strconv.Itoa(int(f)) + ")"
}

// ParseFormat parses a --format value: "pdf" or "word" (any case).
func ParseFormat(s string) (Format, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "pdf":
		return FormatPDF, nil
	case "word":
		return FormatWord, nil
	}
	return 0, fmt.Errorf("unknown report format %q (want pdf or word)", s)
}

// Report statuses of GetReportInfo (ReportInfo.Status).
const (
	ReportNotGenerated = "N" // 未生成
	ReportSucceeded    = "S" // 生成成功
	ReportFailed       = "F" // 生成失败
	ReportProcessing   = "P" // 正在处理中
)

// ReportInfo is the Result of a GetReportInfo answer.
type ReportInfo struct {
	Status  string // ReportStatus: N, S, F or P
	URL     string // ReportUrl; set when Status is S
	Message string // the answer's Message
}

// Done reports whether the report reached a final status (S or F).
func (r ReportInfo) Done() bool { return r.Status == ReportSucceeded || r.Status == ReportFailed }

// CreateReport orders a report for searchKey (a company name, registration
// number or unified social credit code) and returns its order number.
//
// Every order costs money. When the answer is lost after the request was
// sent, IsAmbiguous(err) is true: an order may have been placed.
func (c *Client) CreateReport(ctx context.Context, searchKey string, format Format) (string, error) {
	if strings.TrimSpace(searchKey) == "" {
		return "", errors.New("qcc CreateReport: empty search key")
	}
	if format != FormatPDF && format != FormatWord {
		return "", fmt.Errorf("qcc CreateReport: unknown report format %d", int(format))
	}
	q := url.Values{}
	q.Set("searchKey", searchKey)
	q.Set("reportFormat", strconv.Itoa(int(format)))
	a, err := c.call(ctx, opCreate, http.MethodPost, q)
	if err != nil {
		return "", err
	}
	var res struct {
		OrderNo flexString `json:"OrderNo"`
	}
	if err := unmarshalResult(a.Result, &res); err != nil {
		res.OrderNo = ""
	}
	// The number is kept byte for byte; one that cannot be an order number
	// is like none. Status 200 says an order was placed, but not which one.
	no := string(res.OrderNo)
	if err := checkOrderNo(no); err != nil {
		return "", &TransportError{Op: opCreate, HTTPStatus: http.StatusOK, MaybeSent: true, Err: err}
	}
	return no, nil
}

// GetReportInfo asks for the state of order orderNo. A report still being
// generated is a nil error with Status P (or N); code 205 is an *APIError
// of ClassWait.
func (c *Client) GetReportInfo(ctx context.Context, orderNo string) (ReportInfo, error) {
	if strings.TrimSpace(orderNo) == "" {
		return ReportInfo{}, errors.New("qcc GetReportInfo: empty order number")
	}
	q := url.Values{}
	q.Set("orderNo", orderNo)
	a, err := c.call(ctx, opPoll, http.MethodGet, q)
	if err != nil {
		return ReportInfo{}, err
	}
	var res struct {
		ReportStatus flexString `json:"ReportStatus"`
		ReportURL    flexString `json:"ReportUrl"`
	}
	if err := unmarshalResult(a.Result, &res); err != nil {
		return ReportInfo{}, &TransportError{Op: opPoll, HTTPStatus: http.StatusOK, MaybeSent: true,
			Err: fmt.Errorf("unreadable Result: %v", err)}
	}
	info := ReportInfo{
		Status:  strings.ToUpper(strings.TrimSpace(string(res.ReportStatus))),
		URL:     strings.TrimSpace(string(res.ReportURL)),
		Message: a.Message,
	}
	switch info.Status {
	case ReportNotGenerated, ReportProcessing, ReportFailed:
	case ReportSucceeded:
		if err := checkReportURL(info.URL); err != nil {
			return ReportInfo{}, &TransportError{Op: opPoll, HTTPStatus: http.StatusOK, MaybeSent: true, Err: err}
		}
	default:
		return ReportInfo{}, &TransportError{Op: opPoll, HTTPStatus: http.StatusOK, MaybeSent: true,
			Err: fmt.Errorf("unknown ReportStatus %q", info.Status)}
	}
	return info, nil
}

func unmarshalResult(raw json.RawMessage, v any) error {
	if len(raw) == 0 || string(raw) == "null" {
		return errors.New("no Result")
	}
	return json.Unmarshal(raw, v)
}
