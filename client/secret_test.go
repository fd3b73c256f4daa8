package client

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/qccbatch/qccbatch/client/qcctest"
)

// TestErrors_NoCredentials provokes every kind of failure, with a server
// that echoes what it received, and checks that no error text, at any
// layer of its chain, holds the secret, a Token or the key.
func TestErrors_NoCredentials(t *testing.T) {
	const key, secret = "KEY-7f3a9c1e", "SECRET-b81d44e0"
	var mu sync.Mutex
	var tokens []string
	echo := func(status int, ctype, format string) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			tok := r.Header.Get("Token")
			mu.Lock()
			tokens = append(tokens, tok)
			mu.Unlock()
			w.Header().Set("Content-Type", ctype)
			w.WriteHeader(status)
			fmt.Fprintf(w, format, tok+" "+r.URL.RawQuery+" "+secret)
		}
	}
	handlers := map[string]http.HandlerFunc{
		"code 107 echoing": echo(200, "application/json", `{"Status":"107","Message":"签名错误 %s"}`),
		"code 999 echoing": echo(200, "application/json", `{"Status":"999","Message":"%s"}`),
		"HTML 502 echoing": echo(502, "text/html", `<html>%s</html>`),
		"success echoing":  echo(200, "application/json", `{"Status":"200","Result":{"ReportStatus":"X"},"Message":"%s"}`),
		"truncated echoing": func(w http.ResponseWriter, r *http.Request) {
			echo(200, "application/json", `{"Status":"2%s`)(w, r)
			panic(http.ErrAbortHandler)
		},
	}
	var errs []error
	for _, h := range handlers {
		srv := httptest.NewServer(h)
		c, err := New(srv.URL+"/api/yj", key, secret)
		require.NoError(t, err)
		_, err = c.CreateReport(context.Background(), "某公司", FormatPDF)
		errs = append(errs, err)
		_, err = c.GetReportInfo(context.Background(), "SBX1")
		errs = append(errs, err)
		srv.Close()
	}

	fake := qcctest.New(t, qcctest.WithKey(key), qcctest.WithSecret(secret))
	c, err := New(fake.BaseURL(), key, secret, WithTimeout(50*time.Millisecond))
	require.NoError(t, err)
	for _, k := range []string{"超时公司", "掉线公司", "不存在"} {
		_, err := c.CreateReport(context.Background(), k, FormatPDF)
		errs = append(errs, err)
	}
	wrong, _ := New(fake.BaseURL(), key, secret+"x")
	_, err = wrong.CreateReport(context.Background(), "某公司", FormatPDF)
	errs = append(errs, err)
	skewed := qcctest.New(t, qcctest.WithKey(key), qcctest.WithSecret(secret), qcctest.WithClockOffset(time.Hour))
	wrongSkewed, _ := New(skewed.BaseURL(), key, secret+"x") // 115, resent with the API's time, 115 again
	_, err = wrongSkewed.CreateReport(context.Background(), "某公司", FormatPDF)
	errs = append(errs, err)

	addr := closedAddr(t)
	refused, _ := New("http://"+addr+"/api/yj", key, secret)
	_, err = refused.CreateReport(context.Background(), "某公司", FormatPDF)
	errs = append(errs, err)
	_, err = refused.Download(context.Background(), "http://"+addr+"/r.pdf?key="+key, new(strings.Builder), 0)
	errs = append(errs, err)

	mu.Lock()
	defer mu.Unlock()
	secrets := append([]string{secret, key}, tokens...)
	for i, err := range errs {
		if !assert.Error(t, err, "case %d", i) {
			continue
		}
		for e := err; e != nil; e = errors.Unwrap(e) {
			for _, s := range secrets {
				if s != "" {
					assert.NotContains(t, e.Error(), s, "an error text holds a credential")
				}
			}
		}
	}
}
