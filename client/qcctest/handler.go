package qcctest

import (
	"crypto/md5"
	"crypto/subtle"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// maxSkew is how far a Timespan may be from the server clock.
const maxSkew = 300 * time.Second

// meanings holds the Message of every code the sandbox answers.
var meanings = map[int]string{
	200: "查询成功", 201: "查询无结果", 202: "查询参数错误，请检查", 205: "等待处理中",
	208: "此接口不支持此公司类型查询", 213: "参数长度不能小于 2", 215: "不支持的查询关键字",
	101: "当前的 KEY 无效或者还未生效中", 110: "当前相同查询连续出错，请等 2 小时后重试",
	112: "您的账号剩余使用量已不足或已过期", 115: "身份验证错误或者已过期",
	118: "当前接口不支持此方式的调用", 120: "系统流量异常，请稍后再试", 199: "系统未知错误，请联系技术客服",
}

// Handler returns the server's HTTP handler: the API under /api/yj and the
// report files under /reports/.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc(APIPrefix+"/ReportBaseId/CreateReport", func(w http.ResponseWriter, r *http.Request) {
		s.serveAPI(w, r, true)
	})
	mux.HandleFunc(APIPrefix+"/ReportBaseId/GetReportInfo", func(w http.ResponseWriter, r *http.Request) {
		s.serveAPI(w, r, false)
	})
	mux.HandleFunc("/reports/", s.serveReport)
	return mux
}

// serveAPI runs the checks every API request goes through, in the order a
// gateway would: faults, key, signature, account state, rate limit, method.
// Every answer carries a Date header from the server's clock (with the
// offset of WithClockOffset).
func (s *Server) serveAPI(w http.ResponseWriter, r *http.Request, create bool) {
	s.mu.Lock()
	if create {
		s.creates++
	} else {
		s.polls++
	}
	s.mu.Unlock()
	if !s.sleep(r, s.latency) {
		return
	}
	now := s.now()
	w.Header().Set("Date", now.Add(s.clockOffset).UTC().Format(http.TimeFormat))
	q := r.URL.Query()

	s.mu.Lock()
	fault, faultRetry, fatal := s.httpFault, s.faultRetry, s.fatal
	if fault == 0 && s.chance(s.errorRate) {
		fault, faultRetry = http.StatusBadGateway, 0
	}
	if of := s.orderFault; fault == 0 && create && of.status != 0 && !of.placed {
		fault = of.status // a proxy or gateway answers: the API never sees the order
	}
	s.mu.Unlock()
	switch {
	case fault != 0:
		errorPage(w, fault, faultRetry)
		return
	case q.Get("key") != s.key:
		writeCode(w, 101)
		return
	case !s.signed(r, q.Get("key"), now.Add(s.clockOffset)):
		writeCode(w, 115)
		return
	case fatal != 0:
		writeCode(w, fatal)
		return
	}
	s.mu.Lock()
	ok := s.allow(now)
	if !ok {
		s.throttled++
	}
	s.mu.Unlock()
	switch {
	case !ok:
		writeCode(w, 120)
	case create && r.Method != http.MethodPost, !create && r.Method != http.MethodGet:
		writeCode(w, 118)
	case create:
		s.createReport(w, r, q.Get("searchKey"), q.Get("reportFormat"), now)
	default:
		s.getReportInfo(w, r, q.Get("orderNo"), now)
	}
}

// signed checks the Timespan and Token headers against the API clock now.
func (s *Server) signed(r *http.Request, key string, now time.Time) bool {
	ts := r.Header.Get("Timespan")
	sec, err := strconv.ParseInt(ts, 10, 64)
	if err != nil {
		return false
	}
	if d := now.Sub(time.Unix(sec, 0)); d > maxSkew || d < -maxSkew {
		return false
	}
	sum := md5.Sum([]byte(key + ts + s.secret))
	want := strings.ToUpper(hex.EncodeToString(sum[:]))
	return subtle.ConstantTimeCompare([]byte(r.Header.Get("Token")), []byte(want)) == 1
}

func (s *Server) createReport(w http.ResponseWriter, r *http.Request, searchKey, format string, now time.Time) {
	searchKey = strings.TrimSpace(searchKey)
	f := 1
	switch format {
	case "", "1":
	case "2":
		f = 2
	default:
		searchKey = ""
	}
	if searchKey == "" {
		writeCode(w, 202)
		return
	}
	s.mu.Lock()
	s.attempts[searchKey]++
	sc := scriptFor(searchKey, s.attempts[searchKey])
	place := sc.code == 0 || sc.placed
	if place && s.quota == 0 {
		sc, place = script{code: 112}, false
	}
	var no string
	if place {
		s.seq++
		no = orderNo(now, f, sc.outcome, s.seq)
		s.placed = append(s.placed, PlacedOrder{OrderNo: no, SearchKey: searchKey, Format: f, At: now})
		s.orders[searchKey]++
		s.total++
		if s.quota > 0 {
			s.quota--
		}
		if o, ok := parseOrderNo(no); ok && o.outcome != endsNever {
			if ready := o.at.Add(s.genTime(o)); ready.After(s.lastReady) {
				s.lastReady = ready
			}
		}
		if of := s.orderFault; of.status != 0 && of.placed {
			sc.page = of.status
		}
		if sc.code == 0 && sc.page == 0 {
			sc.drop = sc.drop || s.chance(s.dropRate)
		}
	}
	s.mu.Unlock()
	switch {
	case sc.page != 0:
		errorPage(w, sc.page, 0)
	case sc.code != 0:
		writeCode(w, sc.code)
	case sc.drop:
		panic(http.ErrAbortHandler) // closes the connection before any byte of the answer
	case sc.hold && !s.sleep(r, holdAnswer):
		return
	default:
		writeJSON(w, 200, map[string]string{"OrderNo": s.rewriteOrderNo(searchKey, no)})
	}
}

func (s *Server) getReportInfo(w http.ResponseWriter, r *http.Request, no string, now time.Time) {
	o, ok := parseOrderNo(no)
	switch {
	case strings.TrimSpace(no) == "":
		writeCode(w, 202)
		return
	case !ok: // not a number this sandbox gives: it knows no such order
		writeCode(w, 201)
		return
	}
	res := map[string]string{"ReportStatus": o.status(now, s.genTime(o)), "ReportUrl": ""}
	if res["ReportStatus"] == "P" {
		s.mu.Lock()
		s.pending++
		s.mu.Unlock()
	}
	if res["ReportStatus"] == "S" {
		scheme := "http"
		if r.TLS != nil {
			scheme = "https"
		}
		res["ReportUrl"] = s.rewriteReportURL(no, fmt.Sprintf("%s://%s/reports/%s.%s", scheme, r.Host, no, o.ext()))
	}
	writeJSON(w, 200, res)
}

// sleep waits d, or until the client goes away (false).
func (s *Server) sleep(r *http.Request, d time.Duration) bool {
	if d <= 0 {
		return true
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-r.Context().Done():
		return false
	}
}

type envelope struct {
	Result  any    `json:"Result"`
	Status  string `json:"Status"`
	Message string `json:"Message"`
}

func writeJSON(w http.ResponseWriter, code int, result any) {
	msg, ok := meanings[code]
	if !ok {
		msg = "沙箱模拟状态码"
	}
	b, _ := json.Marshal(envelope{Result: result, Status: strconv.Itoa(code), Message: msg})
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	_, _ = w.Write(b)
}

func writeCode(w http.ResponseWriter, code int) { writeJSON(w, code, nil) }

// errorPage answers an HTML page with HTTP status, as a gateway or proxy
// does: an nginx error page, or for 200 a proxy's sign-in page.
func errorPage(w http.ResponseWriter, status int, retryAfter time.Duration) {
	if retryAfter > 0 {
		w.Header().Set("Retry-After", strconv.Itoa(int((retryAfter+time.Second-1)/time.Second)))
	}
	w.Header().Set("Content-Type", "text/html")
	w.WriteHeader(status)
	if status == http.StatusOK {
		fmt.Fprint(w, "<!DOCTYPE html>\r\n<html><head><title>Web proxy</title></head>\r\n<body><h1>Sign in to continue</h1><p>Your request was held by the company web proxy.</p></body></html>\r\n")
		return
	}
	text := fmt.Sprintf("%d %s", status, http.StatusText(status))
	fmt.Fprintf(w, "<html>\r\n<head><title>%s</title></head>\r\n<body>\r\n<center><h1>%s</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n", text, text)
}
