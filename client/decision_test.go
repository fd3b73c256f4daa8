package client

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/qccbatch/qccbatch/client/qcctest"
)

// wantDecision is SPEC's answer to "may this order be sent again?" per
// code, written out independently of the client's rules.
var wantDecision = map[int]Decision{
	201: DecisionRowFinal,
	202: DecisionRowFinal, 207: DecisionRowFinal, 208: DecisionRowFinal, 209: DecisionRowFinal,
	213: DecisionRowFinal, 215: DecisionRowFinal, 218: DecisionRowFinal, 219: DecisionRowFinal,
	205: DecisionAmbiguous, 199: DecisionAmbiguous, 203: DecisionAmbiguous,
	120: DecisionRetry,
	110: DecisionCooldown,
	109: DecisionQuota, 112: DecisionQuota, 116: DecisionQuota,
	101: DecisionFatal, 102: DecisionFatal, 103: DecisionFatal, 104: DecisionFatal, 105: DecisionFatal,
	106: DecisionFatal, 107: DecisionFatal, 108: DecisionFatal, 111: DecisionFatal, 113: DecisionFatal,
	114: DecisionFatal, 115: DecisionFatal, 117: DecisionFatal, 118: DecisionFatal, 119: DecisionFatal,
	121: DecisionFatal, 214: DecisionFatal, 223: DecisionFatal,
}

func TestOrderDecision_EveryCode(t *testing.T) {
	for _, sc := range StatusCodes() {
		if sc.Code == 200 {
			continue // success is a nil error
		}
		t.Run(strconv.Itoa(sc.Code), func(t *testing.T) {
			want, ok := wantDecision[sc.Code]
			require.True(t, ok, "code %d has no decision in SPEC", sc.Code)
			for _, status := range []int{200, 500, 502, 503} { // a QCC body decides, whatever the HTTP status
				err := &APIError{Op: opCreate, Code: sc.Code, Message: sc.Meaning, Class: sc.Class, HTTPStatus: status}
				assert.Equal(t, want, OrderDecision(err), "code %d in HTTP %d", sc.Code, status)
				assert.Equal(t, want == DecisionAmbiguous, IsAmbiguous(err), "IsAmbiguous, code %d", sc.Code)
			}
			poll := &APIError{Op: opPoll, Code: sc.Code, Class: sc.Class}
			assert.False(t, IsAmbiguous(poll), "a GetReportInfo answer is never ambiguous")
			assert.Equal(t, sc.Class, ClassOf(poll), "GetReportInfo keeps its class")
		})
	}
	assert.Len(t, wantDecision, len(StatusCodes())-1)
	for _, code := range []int{0, 100, 122, 204, 777} {
		assert.Equal(t, DecisionFatal, OrderDecision(&APIError{Op: opCreate, Code: code, Class: ClassFatal}), "unknown code %d", code)
	}
}

func TestOrderDecision_Errors(t *testing.T) {
	sent := func(status int, cause error) error {
		return &TransportError{Op: opCreate, HTTPStatus: status, MaybeSent: true, Err: cause}
	}
	tests := []struct {
		name string
		err  error
		want Decision
	}{
		{"nil", nil, DecisionPlaced},
		{"115 of a clock 10 min slow", &APIError{Op: opCreate, Code: 115, Class: ClassFatal, ClockOffset: 10 * time.Minute}, DecisionRetry},
		{"115 of a clock 10 min fast", &APIError{Op: opCreate, Code: 115, Class: ClassFatal, ClockOffset: -10 * time.Minute}, DecisionRetry},
		{"115 of a right clock", &APIError{Op: opCreate, Code: 115, Class: ClassFatal}, DecisionFatal},
		{"not sent: refused", &TransportError{Op: opCreate, Err: errors.New("connect: connection refused")}, DecisionRetry},
		{"not sent: DNS", &TransportError{Op: opCreate, Err: &net.DNSError{Err: "no such host", Name: "pro.qcc.com", IsNotFound: true}}, DecisionRetry},
		{"not sent: context ended", &TransportError{Op: opCreate, Err: context.Canceled}, DecisionRetry},
		{"bare context error", context.DeadlineExceeded, DecisionRetry},
		{"HTTP 429", sent(429, nil), DecisionRetry},
		{"HTTP 503", sent(503, nil), DecisionRetry},
		{"HTTP 408", sent(408, nil), DecisionRetry},
		{"HTTP 500 page", sent(500, nil), DecisionAmbiguous},
		{"HTTP 502 page", sent(502, nil), DecisionAmbiguous},
		{"HTTP 504 page", sent(504, nil), DecisionAmbiguous},
		{"HTTP 200 page", sent(200, nil), DecisionAmbiguous},
		{"timeout after sending", sent(0, ErrTimeout), DecisionAmbiguous},
		{"context ended after sending", sent(0, context.Canceled), DecisionAmbiguous},
		{"HTTP 302 to a login page", sent(302, nil), DecisionFatal},
		{"HTTP 404 wrong base URL", sent(404, nil), DecisionFatal},
		{"HTTP 403 proxy", sent(403, nil), DecisionFatal},
		{"invalid argument", errors.New("qcc CreateReport: empty search key"), DecisionFatal},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, OrderDecision(tt.err), "%v", tt.err)
			assert.Equal(t, tt.want == DecisionAmbiguous, IsAmbiguous(tt.err))
		})
	}
}

// TestOrderDecision_Live provokes each transport case against loopback
// servers and checks the decision and what the fake API placed.
func TestOrderDecision_Live(t *testing.T) {
	fake := func(opts ...qcctest.Option) func(t *testing.T) (*Client, *qcctest.Server) {
		return func(t *testing.T) (*Client, *qcctest.Server) {
			srv := qcctest.New(t, opts...)
			return newTestClient(t, srv, WithTimeout(200*time.Millisecond)), srv
		}
	}
	tests := []struct {
		name       string
		client     func(t *testing.T) (*Client, *qcctest.Server)
		searchKey  string
		want       Decision
		wantOrders int
	}{
		{"placed", fake(), "某公司", DecisionPlaced, 1},
		{"502 page, nothing placed", fake(qcctest.WithOrderFault(502, false)), "某公司", DecisionAmbiguous, 0},
		{"502 page after placing", fake(qcctest.WithOrderFault(502, true)), "某公司", DecisionAmbiguous, 1},
		{"502 page after placing, by key", fake(), "已下单502公司", DecisionAmbiguous, 1},
		{"proxy page with HTTP 200", fake(qcctest.WithOrderFault(200, false)), "某公司", DecisionAmbiguous, 0},
		{"answer dropped after placing", fake(), "掉线公司", DecisionAmbiguous, 1},
		{"answer held past the timeout", fake(), "超时公司", DecisionAmbiguous, 1},
		{"205 after placing", fake(), "已下单205公司", DecisionAmbiguous, 1},
		{"199 after placing", fake(), "已下单199公司", DecisionAmbiguous, 1},
		{"120", fake(), "繁忙公司", DecisionRetry, 0},
		{"connection refused", func(t *testing.T) (*Client, *qcctest.Server) {
			c, err := New("http://"+closedAddr(t)+"/api/yj", "key-123456", "secret-123456")
			require.NoError(t, err)
			return c, nil
		}, "某公司", DecisionRetry, 0},
		{"TLS handshake fails", func(t *testing.T) (*Client, *qcctest.Server) {
			srv := httptest.NewTLSServer(http.NotFoundHandler()) // its certificate is not trusted
			t.Cleanup(srv.Close)
			c, err := New(srv.URL+"/api/yj", "key-123456", "secret-123456")
			require.NoError(t, err)
			return c, nil
		}, "某公司", DecisionRetry, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, srv := tt.client(t)
			_, err := c.CreateReport(context.Background(), tt.searchKey, FormatPDF)
			assert.Equal(t, tt.want, OrderDecision(err), "%v", err)
			if srv != nil {
				assert.Equal(t, tt.wantOrders, srv.Orders(tt.searchKey), "orders placed")
			}
		})
	}
	t.Run("HTTP 503 and 429 pages", func(t *testing.T) {
		for _, status := range []int{503, 429} {
			srv := qcctest.New(t)
			srv.SetHTTPFault(status, time.Second)
			_, err := newTestClient(t, srv).CreateReport(context.Background(), "某公司", FormatPDF)
			assert.Equal(t, DecisionRetry, OrderDecision(err), "%v", err)
			assert.Equal(t, time.Second, RetryAfter(err))
			assert.Zero(t, srv.TotalOrders())
		}
	})
}

func TestDecision_String(t *testing.T) {
	tests := []struct {
		d    Decision
		want string
	}{
		{DecisionPlaced, "placed"}, {DecisionRetry, "retry"}, {DecisionAmbiguous, "ambiguous"},
		{DecisionRowFinal, "row_final"}, {DecisionCooldown, "cooldown"}, {DecisionQuota, "quota"},
		{DecisionFatal, "fatal"}, {Decision(-1), "Decision(-1)"},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, tt.d.String())
	}
}
