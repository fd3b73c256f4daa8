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
	Line      int    // sheet row or CSV line, for messages
	OrderNo   string // 订单号
	SearchKey string // 查询关键字 / 企业名称 / 统一社会信用代码, as written
	Key       string // normalised like the input's identifiers (identifier.ID.Key)
	// Keys are the identifiers of every company column of the line (a list
	// may have both 企业名称 and 统一社会信用代码), Key first: the line
	// is the order of a company ordered by any of them.
	Keys      []string
	OrderedAt time.Time // 下单时间; zero when the list has no time column
}

// Of reports whether the line names the company whose identifier key
// (identifier.ID.Key, journal.Key.ID) is id.
func (o VendorOrder) Of(id string) bool {
	for _, k := range o.Keys {
		if k == id {
			return true
		}
	}
	return o.Key == id
}

// orderList is a vendor order list, read whole (it is small: one line per
// order of a month or so).
type orderList struct {
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

// ChinaTime is the time zone of the vendor's console: an order time
// without an offset is read in it, whatever the machine's zone.
var ChinaTime = time.FixedZone("UTC+8", 8*60*60)

// readOrderList reads a vendor order list (.xlsx or .csv, header found like
// the input's). Identifiers are normalised as a portfolio's are, so an
// order for "９１４４…" matches the company "9144…". Times without an
// offset are China time (ChinaTime), or in loc when it is not nil.
func readOrderList(path, lang string, loc *time.Location) (*orderList, error) {
	if loc == nil {
		loc = ChinaTime
	}
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
	var keyCols []int // every company column: a company matches by any
	for i, h := range in.Header() {
		if headerIndex([]string{h}, orderKeyHeaders) >= 0 {
			keyCols = append(keyCols, i)
		}
	}
	l := &orderList{Path: path, SHA256: sum}
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
		o := VendorOrder{Line: r.Line, OrderNo: no, SearchKey: id.SearchKey, Key: id.Key, Keys: []string{id.Key}}
		for _, c := range keyCols {
			other := identifier.Classify(r.Cell(c), identifier.Options{AllowBadChecksum: true})
			if !other.Invalid && !o.Of(other.Key) {
				o.Keys = append(o.Keys, other.Key)
			}
		}
		if timeCol >= 0 {
			t, ok := parseOrderTime(r.Cell(timeCol), loc)
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
// (China time, without an offset: read in loc), with an offset (RFC 3339,
// kept), or as a spreadsheet date serial (in loc).
func parseOrderTime(c input.Cell, loc *time.Location) (time.Time, bool) {
	s := strings.TrimSpace(c.Value)
	if s == "" {
		return time.Time{}, true
	}
	if c.Type == input.CellNumber {
		if f, err := strconv.ParseFloat(s, 64); err == nil && f > 20000 && f < 80000 {
			// Excel's serial: days since 1899-12-30, in the sheet's wall time.
			base := time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)
			t := base.Add(time.Duration(f * 24 * float64(time.Hour))).Round(time.Second)
			return time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), 0, loc), true
		}
	}
	for _, layout := range []string{time.RFC3339, "2006-01-02 15:04:05Z07:00", "2006-01-02 15:04:05", "2006/01/02 15:04:05", "2006-01-02 15:04", "2006/1/2 15:04:05", "2006/1/2 15:04", "2006-01-02T15:04:05"} {
		if t, err := time.ParseInLocation(layout, s, loc); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

// parseOrdersTZ reads --orders-tz: an offset (+08:00, +8, UTC+8, UTC-05:30),
// UTC, Local, or an IANA name (Asia/Shanghai; needs the system's zone
// database). Empty is China time.
func parseOrdersTZ(s, lang string) (*time.Location, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return ChinaTime, nil
	}
	u := strings.ToUpper(s)
	switch u {
	case "UTC", "Z", "GMT":
		return time.UTC, nil
	case "LOCAL":
		return time.Local, nil
	}
	off := strings.TrimPrefix(strings.TrimPrefix(u, "UTC"), "GMT")
	if off != "" && (off[0] == '+' || off[0] == '-') {
		sign, rest := 1, off[1:]
		if off[0] == '-' {
			sign = -1
		}
		h, m, _ := strings.Cut(rest, ":")
		hh, err1 := strconv.Atoi(h)
		mm, err2 := 0, error(nil)
		if m != "" {
			mm, err2 = strconv.Atoi(m)
		}
		if err1 == nil && err2 == nil && hh >= 0 && hh <= 14 && mm >= 0 && mm < 60 && len(h) <= 2 {
			return time.FixedZone(s, sign*(hh*3600+mm*60)), nil
		}
		return nil, configErrorf(lang, msg.CfgOrdersTZ, s)
	}
	if loc, err := time.LoadLocation(s); err == nil {
		return loc, nil
	}
	return nil, configErrorf(lang, msg.CfgOrdersTZ, s)
}
