package msg

// Messages of hostile or broken API answers (issue 18, item 8).
const (
	// DupOrderNo is why a company whose order number the state file holds
	// for another company is uncertain.
	DupOrderNo ID = 24000 + iota
	// DupOrderNoThisRun is the same, for a number another company of this
	// run was given a moment before.
	DupOrderNoThisRun
	// StopRetryAfter is why a run stopped on a Retry-After longer than it
	// waits.
	StopRetryAfter
	// DownloadPlainHTTP is why a ready report was not downloaded.
	DownloadPlainHTTP
)

var hostileTable = map[ID][2]string{
	DupOrderNo: {"API 返回的订单号 %q 在状态文件中属于另一家公司 %s：同一份报告不能属于两家公司",
		"the API answered order number %q, which the state file holds for another company, %s: one report cannot belong to two companies"},
	DupOrderNoThisRun: {"API 返回的订单号 %q 刚刚已给了本次运行中的另一家公司：同一份报告不能属于两家公司",
		"the API answered order number %q, which another company of this run was given: one report cannot belong to two companies"},
	StopRetryAfter: {"API 要求等待 %s 后再发请求（Retry-After），超过本程序最多等待的 %s：已停止；请稍后重新运行以继续",
		"the API asked to wait %s before the next request (Retry-After), longer than the %s this program waits: stopped; run again later to resume"},
	DownloadPlainHTTP: {"报告未下载：报告地址是指向 %s 的明文 http 链接（链接本身即访问凭证，会以明文传输）；如确认无妨，请加 --allow-http-downloads",
		"report not downloaded: its address is a plain-http link to %s (the link itself grants access and would travel in clear); --allow-http-downloads allows it"},
}

func init() {
	for id, m := range hostileTable {
		table[id] = m
	}
}
