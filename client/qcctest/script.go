package qcctest

import (
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Usage describes the sandbox's scripted behaviour; the sandbox command
// shows it in its help.
const Usage = `Scripted answers (by search key, checked in this order; deterministic):
  one character       CreateReport answers 213 (参数长度不能小于 2)
  contains 不存在     201 (查询无结果)
  contains 社会组织   208 (此接口不支持此公司类型查询); so does an 18-character code starting with 5
  contains 不支持     215 (不支持的查询关键字)
  contains 冷却       110 (请等 2 小时后重试)
  contains 余额       112 (剩余使用量已不足)
  contains 繁忙       120 on the first CreateReport of that key, then accepted
  contains 异常       199 on the first CreateReport of that key, then accepted
  contains 排队       205 on the first CreateReport of that key, then accepted
  contains 已下单205  order placed (counted), answered 205 (等待处理中), every time
  contains 已下单199  order placed (counted), answered 199 (系统未知错误), every time
  contains 已下单502  order placed (counted), answered by an HTTP 502 HTML page, every time
  contains 掉线       order accepted, then the connection is closed with no answer
  contains 超时       order accepted, the answer held back 35 s (past the client timeout)
  contains 失败       order accepted, the report ends F (生成失败)
  contains 处理中     order accepted, the report stays P for ever
  anything else       order accepted, report P for the generation time, then S
(繁忙, 异常 and 排队 place no order when they refuse; the 已下单 keys do, as
the real API may: on CreateReport, 199, 203, 205 and a 5xx page are ambiguous.)

Protocol: POST /api/yj/ReportBaseId/CreateReport?key=K&searchKey=S&reportFormat=1|2
          GET  /api/yj/ReportBaseId/GetReportInfo?key=K&orderNo=O
          headers Timespan (Unix seconds, within 300 s of the server clock) and
          Token (upper-case hex MD5 of key+Timespan+secret), else 115; unknown key 101.
          Every answer has a Date header from the sandbox's clock.
GetReportInfo of a number that is not one the sandbox gives answers 201 (查询无结果).
Reports are served at the ReportUrl of an S answer (a small PDF, or DOCX for format 2).`

// holdAnswer is how long a 超时 order's answer is held back.
const holdAnswer = 35 * time.Second

// outcome is how a report ends.
type outcome byte

const (
	endsS     outcome = '0' // succeeds after the generation delay
	endsF     outcome = '1' // fails after the generation delay
	endsNever outcome = '2' // stays P
)

// script is what the sandbox does with one CreateReport.
type script struct {
	code    int  // answer this code and place no order (but see placed); 0 = accept
	placed  bool // place the order, then answer code (or, with code 0 and page, the page)
	page    int  // answer an HTML page with this HTTP status instead of JSON
	outcome outcome
	drop    bool // close the connection after accepting
	hold    bool // hold the answer back after accepting
}

// scriptFor decides the answer to the attempt-th (1-based) CreateReport of
// searchKey.
func scriptFor(searchKey string, attempt int) script {
	has := func(sub string) bool { return strings.Contains(searchKey, sub) }
	first := attempt == 1
	switch {
	case utf8.RuneCountInString(searchKey) < 2:
		return script{code: 213}
	case has("不存在"):
		return script{code: 201}
	case has("社会组织") || (len(searchKey) == 18 && searchKey[0] == '5'):
		return script{code: 208}
	case has("不支持"):
		return script{code: 215}
	case has("冷却"):
		return script{code: 110}
	case has("余额"):
		return script{code: 112}
	case has("繁忙") && first:
		return script{code: 120}
	case has("异常") && first:
		return script{code: 199}
	case has("排队") && first:
		return script{code: 205}
	case has("已下单205"):
		return script{code: 205, placed: true, outcome: endsS}
	case has("已下单199"):
		return script{code: 199, placed: true, outcome: endsS}
	case has("已下单502"):
		return script{placed: true, page: 502, outcome: endsS}
	}
	sc := script{outcome: endsS, drop: has("掉线"), hold: has("超时")}
	if has("失败") {
		sc.outcome = endsF
	} else if has("处理中") {
		sc.outcome = endsNever
	}
	return sc
}

// An order number is self-describing, so that a sandbox restarted with the
// same flags still answers for orders an earlier one placed:
// "SBX" + order time (13 digits, Unix ms) + format (1 digit) + outcome
// (1 digit) + sequence (9 digits): 27 characters.
const orderNoLen = 27

// order is what an order number says.
type order struct {
	at      time.Time
	format  int
	outcome outcome
	seq     uint64
}

func orderNo(at time.Time, format int, oc outcome, seq uint64) string {
	return fmt.Sprintf("SBX%013d%d%c%09d", at.UnixMilli(), format, oc, seq%1e9)
}

func parseOrderNo(s string) (order, bool) {
	if len(s) != orderNoLen || !strings.HasPrefix(s, "SBX") {
		return order{}, false
	}
	ms, err := strconv.ParseInt(s[3:16], 10, 64)
	if err != nil || ms < 0 {
		return order{}, false
	}
	seq, err := strconv.ParseUint(s[18:], 10, 64)
	if err != nil {
		return order{}, false
	}
	o := order{at: time.UnixMilli(ms), format: int(s[16] - '0'), outcome: outcome(s[17]), seq: seq}
	if (o.format != 1 && o.format != 2) || (o.outcome != endsS && o.outcome != endsF && o.outcome != endsNever) {
		return order{}, false
	}
	return o, true
}

// status returns the report status of o at now, for a report that takes
// genTime to generate: P, then S or F.
func (o order) status(now time.Time, genTime time.Duration) string {
	if o.outcome == endsNever || now.Before(o.at.Add(genTime)) {
		return "P"
	}
	if o.outcome == endsF {
		return "F"
	}
	return "S"
}

func (o order) ext() string {
	if o.format == 2 {
		return "docx"
	}
	return "pdf"
}
