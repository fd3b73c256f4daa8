package batch

import (
	"errors"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/qccbatch/qccbatch/batch/identifier"
	"github.com/qccbatch/qccbatch/batch/input"
	"github.com/qccbatch/qccbatch/batch/msg"
)

// VendorOrder is one line of the order list exported from Qichacha's web
// console: what the vendor says it charged.
type VendorOrder struct {
	Line      int       // sheet row or CSV line, for messages
	OrderNo   string    // 订单号
	SearchKey string    // 查询关键字 / 企业名称 / 统一社会信用代码, as written
	Key       string    // normalised like the input's identifiers (identifier.ID.Key)
	OrderedAt time.Time // 下单时间; zero when the list has no time column
}

// OrderList is a vendor order list, read whole (it is small: one line per
// order of a month or so).
type OrderList struct {
	Path   string
	SHA256 string // of the file, for the record of a resolution
	Orders []VendorOrder
	// From and To span the order times; zero when the list has none.
	From, To time.Time
}

// The headers of an order list, matched trimmed and case-insensitively.
var (
	orderNoHeaders   = []string{"订单号", "订单编号", "OrderNo", "Order No", "order_no"}
	orderKeyHeaders  = []string{"查询关键字", "searchKey", "企业名称", "统一社会信用代码", "公司名称", "search_key"}
	orderTimeHeaders = []string{"下单时间", "订单时间", "创建时间", "OrderTime", "CreateTime", "ordered_at"}
)

// ReadOrderList reads a vendor order list (.xlsx or .csv, header found like
// the input's). Identifiers are normalised as a portfolio's are, so an
// order for "９１４４…" matches the company "9144…".
func ReadOrderList(path, lang string) (*OrderList, error) {
	sum, err := fileSHA256(path)
	if err != nil {
		return nil, &input.Error{Path: path, Problem: msg.Text(lang, msg.InOrderListUnreadable, err), Err: err}
	}
	var in *input.Reader
	for _, h := range append([]string{""}, orderKeyHeaders...) {
		in, err = input.Open(path, input.Options{Column: h, Lang: lang})
		if err == nil && headerIndex(in.Header(), orderNoHeaders) >= 0 {
			break
		}
		if in != nil {
			_ = in.Close()
			in = nil
		}
	}
	if in == nil {
		return nil, &input.Error{Path: path, Problem: msg.Text(lang, msg.InOrderListColumns, "订单号 / 订单编号 / OrderNo", "查询关键字 / 企业名称 / 统一社会信用代码")}
	}
	defer in.Close()
	noCol := headerIndex(in.Header(), orderNoHeaders)
	timeCol := headerIndex(in.Header(), orderTimeHeaders)
	l := &OrderList{Path: path, SHA256: sum}
	for {
		r, err := in.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, err
		}
		no := strings.TrimSpace(r.Cell(noCol).Value)
		id := identifier.Classify(in.Identifier(r), identifier.Options{AllowBadChecksum: true})
		if no == "" || id.Invalid {
			continue // a totals line, a blank key: not an order of a company
		}
		o := VendorOrder{Line: r.Line, OrderNo: no, SearchKey: id.SearchKey, Key: id.Key}
		if timeCol >= 0 {
			t, ok := parseOrderTime(r.Cell(timeCol))
			if !ok {
				return nil, &input.Error{Path: path, Problem: msg.Text(lang, msg.InOrderListTime, r.Line, r.Cell(timeCol).Value)}
			}
			o.OrderedAt = t
			if l.From.IsZero() || t.Before(l.From) {
				l.From = t
			}
			if t.After(l.To) {
				l.To = t
			}
		}
		l.Orders = append(l.Orders, o)
	}
	return l, nil
}

// headerIndex finds the first of names among header (trimmed,
// case-insensitive), or -1.
func headerIndex(header, names []string) int {
	for _, n := range names {
		for i, h := range header {
			if strings.EqualFold(strings.TrimSpace(h), n) {
				return i
			}
		}
	}
	return -1
}

// parseOrderTime reads an order time as the vendor's console writes it
// (local time, China), or as a spreadsheet date serial.
func parseOrderTime(c input.Cell) (time.Time, bool) {
	s := strings.TrimSpace(c.Value)
	if s == "" {
		return time.Time{}, true
	}
	if c.Type == input.CellNumber {
		if f, err := strconv.ParseFloat(s, 64); err == nil && f > 20000 && f < 80000 {
			// Excel's serial: days since 1899-12-30, in the sheet's local time.
			base := time.Date(1899, 12, 30, 0, 0, 0, 0, time.Local)
			return base.Add(time.Duration(f * 24 * float64(time.Hour))).Round(time.Second), true
		}
	}
	for _, layout := range []string{time.RFC3339, "2006-01-02 15:04:05", "2006/01/02 15:04:05", "2006-01-02 15:04", "2006/1/2 15:04:05", "2006/1/2 15:04", "2006-01-02T15:04:05"} {
		if t, err := time.ParseInLocation(layout, s, time.Local); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}
