package qcctest_test

import (
	"bytes"
	"crypto/md5"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/qccbatch/qccbatch/client/qcctest"
)

// handmade is an API client written from the API document alone, with
// plain net/http, to show that the sandbox speaks the documented protocol
// and not merely what package client sends.
type handmade struct {
	t      *testing.T
	base   string
	key    string
	secret string
	now    func() time.Time
	skew   time.Duration
	token  string // overrides the computed Token when set
}

type qccAnswer struct {
	Result  map[string]string
	Status  string
	Message string
}

func (h handmade) do(method, op string, params url.Values) qccAnswer {
	h.t.Helper()
	params.Set("key", h.key)
	req, err := http.NewRequest(method, h.base+"/ReportBaseId/"+op+"?"+params.Encode(), nil)
	if err != nil {
		h.t.Fatal(err)
	}
	ts := strconv.FormatInt(h.now().Add(h.skew).Unix(), 10)
	token := fmt.Sprintf("%X", md5.Sum([]byte(h.key+ts+h.secret))) // 32 upper-case hex digits
	if h.token != "" {
		token = h.token
	}
	req.Header.Set("Timespan", ts)
	req.Header.Set("Token", token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		h.t.Fatal(err)
	}
	defer resp.Body.Close()
	var a qccAnswer
	if err := json.NewDecoder(resp.Body).Decode(&a); err != nil {
		h.t.Fatalf("%s: answer is not JSON: %v", op, err)
	}
	return a
}

func TestSandbox_HandmadeClient(t *testing.T) {
	clock := qcctest.NewClock(time.Now())
	srv := qcctest.New(t, qcctest.WithClock(clock.Now), qcctest.WithGenDelay(5*time.Second))
	h := handmade{t: t, base: srv.BaseURL(), key: "sandbox", secret: "sandbox", now: clock.Now}

	a := h.do(http.MethodPost, "CreateReport", url.Values{"searchKey": {"小米科技有限责任公司"}, "reportFormat": {"1"}})
	orderNo := a.Result["OrderNo"]
	if a.Status != "200" || orderNo == "" {
		t.Fatalf("CreateReport answered %+v, want 200 with an OrderNo", a)
	}
	a = h.do(http.MethodGet, "GetReportInfo", url.Values{"orderNo": {orderNo}})
	if a.Status != "200" || a.Result["ReportStatus"] != "P" {
		t.Fatalf("first GetReportInfo answered %+v, want P", a)
	}
	clock.Advance(5 * time.Second)
	a = h.do(http.MethodGet, "GetReportInfo", url.Values{"orderNo": {orderNo}})
	if a.Status != "200" || a.Result["ReportStatus"] != "S" || a.Result["ReportUrl"] == "" {
		t.Fatalf("second GetReportInfo answered %+v, want S with a ReportUrl", a)
	}
	resp, err := http.Get(a.Result["ReportUrl"]) // no credentials
	if err != nil {
		t.Fatal(err)
	}
	pdf, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "application/pdf" ||
		!bytes.HasPrefix(pdf, []byte("%PDF-1.")) || !bytes.HasSuffix(pdf, []byte("%%EOF\n")) {
		t.Errorf("report: HTTP %d %s, %d bytes starting %q; want a PDF",
			resp.StatusCode, resp.Header.Get("Content-Type"), len(pdf), pdf[:min(8, len(pdf))])
	}

	refusals := []struct {
		name string
		h    handmade
		want string
	}{
		{"unknown key", handmade{t: t, base: h.base, key: "nobody", secret: "sandbox", now: clock.Now}, "101"},
		{"bad token", handmade{t: t, base: h.base, key: "sandbox", secret: "sandbox", now: clock.Now,
			token: strings.Repeat("0", 32)}, "115"},
		{"lower-case token", handmade{t: t, base: h.base, key: "sandbox", secret: "sandbox", now: clock.Now,
			token: fmt.Sprintf("%x", md5.Sum([]byte("sandbox"+strconv.FormatInt(clock.Now().Unix(), 10)+"sandbox")))}, "115"},
		{"wrong secret", handmade{t: t, base: h.base, key: "sandbox", secret: "guess", now: clock.Now}, "115"},
		{"Timespan an hour old", handmade{t: t, base: h.base, key: "sandbox", secret: "sandbox", now: clock.Now,
			skew: -time.Hour}, "115"},
		{"Timespan 301 s ahead", handmade{t: t, base: h.base, key: "sandbox", secret: "sandbox", now: clock.Now,
			skew: 301 * time.Second}, "115"},
	}
	for _, tt := range refusals {
		t.Run(tt.name, func(t *testing.T) {
			tt.h.t = t
			for _, op := range []string{"CreateReport", "GetReportInfo"} {
				method, params := http.MethodPost, url.Values{"searchKey": {"另一家公司"}}
				if op == "GetReportInfo" {
					method, params = http.MethodGet, url.Values{"orderNo": {orderNo}}
				}
				if a := tt.h.do(method, op, params); a.Status != tt.want || a.Message == "" {
					t.Errorf("%s answered %+v, want status %s with a message", op, a, tt.want)
				}
			}
		})
	}
	if got := srv.TotalOrders(); got != 1 {
		t.Errorf("TotalOrders() = %d, want 1: refused requests must not order", got)
	}
	if got := srv.Orders("小米科技有限责任公司"); got != 1 {
		t.Errorf("Orders = %d, want 1", got)
	}
	if creates, polls, downloads := srv.Requests(); creates != 7 || polls != 8 || downloads != 1 {
		t.Errorf("Requests() = %d, %d, %d; want 7, 8, 1", creates, polls, downloads)
	}
}
