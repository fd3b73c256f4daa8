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

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

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
	require.NoError(h.t, err)
	ts := strconv.FormatInt(h.now().Add(h.skew).Unix(), 10)
	token := fmt.Sprintf("%X", md5.Sum([]byte(h.key+ts+h.secret))) // 32 upper-case hex digits
	if h.token != "" {
		token = h.token
	}
	req.Header.Set("Timespan", ts)
	req.Header.Set("Token", token)
	resp, err := http.DefaultClient.Do(req)
	require.NoError(h.t, err)
	defer resp.Body.Close()
	var a qccAnswer
	require.NoError(h.t, json.NewDecoder(resp.Body).Decode(&a), "%s: answer is not JSON", op)
	return a
}

func TestSandbox_HandmadeClient(t *testing.T) {
	clock := qcctest.NewClock(time.Now())
	srv := qcctest.New(t, qcctest.WithClock(clock.Now), qcctest.WithGenDelay(5*time.Second))
	h := handmade{t: t, base: srv.BaseURL(), key: "sandbox", secret: "sandbox", now: clock.Now}

	a := h.do(http.MethodPost, "CreateReport", url.Values{"searchKey": {"小米科技有限责任公司"}, "reportFormat": {"1"}})
	orderNo := a.Result["OrderNo"]
	require.Equal(t, "200", a.Status, "CreateReport answered %+v", a)
	require.NotEmpty(t, orderNo, "CreateReport answered %+v", a)
	a = h.do(http.MethodGet, "GetReportInfo", url.Values{"orderNo": {orderNo}})
	require.Equal(t, "200", a.Status, "first GetReportInfo answered %+v", a)
	require.Equal(t, "P", a.Result["ReportStatus"], "first GetReportInfo answered %+v", a)
	clock.Advance(5 * time.Second)
	a = h.do(http.MethodGet, "GetReportInfo", url.Values{"orderNo": {orderNo}})
	require.Equal(t, "200", a.Status, "second GetReportInfo answered %+v", a)
	require.Equal(t, "S", a.Result["ReportStatus"], "second GetReportInfo answered %+v", a)
	require.NotEmpty(t, a.Result["ReportUrl"])
	resp, err := http.Get(a.Result["ReportUrl"]) // no credentials
	require.NoError(t, err)
	pdf, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	require.NoError(t, err)
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Equal(t, "application/pdf", resp.Header.Get("Content-Type"))
	assert.True(t, bytes.HasPrefix(pdf, []byte("%PDF-1.")), "report starts %q, want a PDF", pdf[:min(8, len(pdf))])
	assert.True(t, bytes.HasSuffix(pdf, []byte("%%EOF\n")), "report does not end with %%%%EOF")

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
				a := tt.h.do(method, op, params)
				assert.Equal(t, tt.want, a.Status, "%s answered %+v", op, a)
				assert.NotEmpty(t, a.Message, "%s answered without a message", op)
			}
		})
	}
	assert.Equal(t, 1, srv.TotalOrders(), "refused requests must not order")
	assert.Equal(t, 1, srv.Orders("小米科技有限责任公司"))
	creates, polls, downloads := srv.Requests()
	assert.Equal(t, []int{7, 8, 1}, []int{creates, polls, downloads}, "creates, polls, downloads")
}
