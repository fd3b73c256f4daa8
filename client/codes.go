package client

import (
	"fmt"
	"slices"
)

// Class says what an answer means for a run: whether to continue, give up
// on one row, wait, slow down, retry, or stop. Every status code of the API
// document and every transport failure belongs to exactly one class. After
// CreateReport, decide with OrderDecision, which refines the class by what
// may have been ordered.
type Class int

// The classes of SPEC "Status codes: what each one does to a run".
const (
	// ClassOK: the request succeeded (200).
	ClassOK Class = iota
	// ClassNotFound: the search key matched no company (201); final for the row.
	ClassNotFound
	// ClassRejected: the API does not support this row (202, 207, 208, 209,
	// 213, 215, 218, 219); final for the row, never retried.
	ClassRejected
	// ClassWait: still processing (205); poll again later. On CreateReport
	// an order may have been placed: see OrderDecision.
	ClassWait
	// ClassSlowDown: too many requests (120, HTTP 429, HTTP 503); lower the
	// rate and retry, honouring Retry-After.
	ClassSlowDown
	// ClassTransient: a passing failure (199, 203, other HTTP 5xx, network
	// errors); retry GetReportInfo and downloads with backoff. For
	// CreateReport see OrderDecision: most of these are ambiguous.
	ClassTransient
	// ClassCooldown: this search key may not be ordered for two hours (110).
	ClassCooldown
	// ClassQuota: the daily limit or the balance is used up (109, 112, 116);
	// stop ordering, finish polling.
	ClassQuota
	// ClassFatal: the account, key, signature or configuration is wrong
	// (101-108, 111, 113-115, 117-119, 121, 214, 223, unknown codes,
	// non-QCC 4xx answers); stop all API calls.
	ClassFatal
)

var classNames = [...]string{
	ClassOK:        "ok",
	ClassNotFound:  "not_found",
	ClassRejected:  "rejected",
	ClassWait:      "wait",
	ClassSlowDown:  "slow_down",
	ClassTransient: "transient",
	ClassCooldown:  "cooldown",
	ClassQuota:     "quota",
	ClassFatal:     "fatal",
}

// String returns the class as a short snake_case word, e.g. "slow_down".
func (c Class) String() string {
	if c >= 0 && int(c) < len(classNames) {
		return classNames[c]
	}
	return fmt.Sprintf("Class(%d)", int(c))
}

// StatusCode is one row of the API document's status-code table.
type StatusCode struct {
	Code    int
	Meaning string // the document's Chinese text, without its 【有效请求】 prefix
	Class   Class
}

// StatusCodes returns every status code listed in the API document
// (section 7), in the document's order, with its class. The slice is a
// fresh copy on each call: changing it changes nothing in the client.
func StatusCodes() []StatusCode { return slices.Clone(statusCodes) }

// statusCodes is the table of StatusCodes. It is never modified.
var statusCodes = []StatusCode{
	// 7.1 有效请求状态码
	{200, "查询成功", ClassOK},
	{201, "查询无结果", ClassNotFound},
	{202, "查询参数错误，请检查", ClassRejected},
	{205, "等待处理中", ClassWait},
	{207, "请求数据的条目数超过上限（5000）", ClassRejected},
	{208, "此接口不支持此公司类型查询", ClassRejected},
	{209, "企业数量超过上限", ClassRejected},
	{213, "参数长度不能小于 2", ClassRejected},
	{215, "不支持的查询关键字", ClassRejected},
	{218, "该企业暂不支持空壳扫描", ClassRejected},
	{219, "该企业暂不支持准入尽调", ClassRejected},
	{105, "接口已下线停用", ClassFatal},
	{110, "当前相同查询连续出错，请等 2 小时后重试", ClassCooldown},
	// 7.2 无效请求状态码
	{101, "当前的 KEY 无效或者还未生效中", ClassFatal},
	{102, "当前 KEY 已欠费", ClassFatal},
	{103, "当前 KEY 被暂停使用", ClassFatal},
	{104, "请求 KEY 异常，请联系管理员", ClassFatal},
	{106, "非法请求过多，请联系管理员", ClassFatal},
	{107, "被禁止的 IP 或者签名错误", ClassFatal},
	{108, "异常请求过多，请联系管理员", ClassFatal},
	{109, "请求超过每日系统限制", ClassQuota},
	{111, "接口权限未开通，请联系管理员", ClassFatal},
	{112, "您的账号剩余使用量已不足或已过期", ClassQuota},
	{113, "当前接口已被删除，请重新申请", ClassFatal},
	{114, "当前接口已被禁用，请联系管理员", ClassFatal},
	{115, "身份验证错误或者已过期", ClassFatal},
	{116, "请求超过每日调用总量限制", ClassQuota},
	{117, "当前不支持的请求参数调用量过多", ClassFatal},
	{118, "当前接口不支持此方式的调用", ClassFatal},
	{119, "您的帐号出现异常，请联系管理员", ClassFatal},
	{120, "系统流量异常，请稍后再试", ClassSlowDown},
	{121, "数据不能出境", ClassFatal},
	{199, "系统未知错误，请联系技术客服", ClassTransient},
	{203, "系统查询有异常，请联系技术人员", ClassTransient},
	{214, "您还未购买过该接口，请先购买", ClassFatal},
	{223, "当前接口的计费方式不支持此查询参数", ClassFatal},
}

// UnknownMeaning is the meaning LookupCode gives a code that is not in the
// API document.
const UnknownMeaning = "未知状态码"

var codeIndex = func() map[int]StatusCode {
	m := make(map[int]StatusCode, len(statusCodes))
	for _, sc := range statusCodes {
		m[sc.Code] = sc
	}
	return m
}()

// LookupCode returns the table row of code. A code the document does not
// list is ClassFatal with the meaning UnknownMeaning: the program stops and
// says the code rather than guess.
func LookupCode(code int) StatusCode {
	if sc, ok := codeIndex[code]; ok {
		return sc
	}
	return StatusCode{Code: code, Meaning: UnknownMeaning, Class: ClassFatal}
}
