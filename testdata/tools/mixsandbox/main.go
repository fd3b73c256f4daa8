// Command mixsandbox serves the sandbox API (client/qcctest) on loopback with
// report generation times drawn from a two-part mixture, which the sandbox
// command does not offer: a share of fast reports and the rest slow, each
// part lognormal. For the bimodal case of `testdata/bench.sh poll`:
//
//	go run ./testdata/tools/mixsandbox -addr 127.0.0.1:8080 -latency 50ms -rate-limit 21 \
//	    -fast-share 0.7 -fast 10s -slow 90s -sigma 0.3 -max 180s
//
// The sandbox itself answers every request (key, Token, rate limit, latency,
// scripted names) with generation time 0; this wrapper turns its S or F
// into P until the order's own ready time, drawn from the order number. On
// SIGINT or SIGTERM it prints the sandbox command's closing line, with
// polls that found P counted here, plus last_order: when the last order was
// accepted. With -log FILE it writes one CSV line per answered API call:
// time (Unix ms), create or poll, order number, order time and ready time
// (Unix ms), and the status answered (the order number for a create) — to
// see when a run polls, at what age, and which polls came too early.
package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"hash/fnv"
	"log"
	"math"
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/qccbatch/qccbatch/client/qcctest"
)

type mix struct {
	share      float64 // of fast reports
	fast, slow time.Duration
	sigma      float64
	max        time.Duration
	seed       uint64
}

// genTime draws the generation time of an order from its number.
func (m mix) genTime(orderNo string) time.Duration {
	h := fnv.New64a()
	h.Write([]byte(orderNo))
	r := rand.New(rand.NewPCG(m.seed, h.Sum64()))
	median := m.slow
	if r.Float64() < m.share {
		median = m.fast
	}
	d := time.Duration(float64(median) * math.Exp(m.sigma*r.NormFloat64()))
	if m.max > 0 {
		d = min(d, m.max)
	}
	return max(d, 0)
}

// orderTime reads the order time the sandbox writes into its order numbers
// ("SBX" + Unix ms, 13 digits, + ...).
func orderTime(no string) (time.Time, bool) {
	if len(no) < 16 || !strings.HasPrefix(no, "SBX") {
		return time.Time{}, false
	}
	ms, err := strconv.ParseInt(no[3:16], 10, 64)
	return time.UnixMilli(ms), err == nil
}

type wrapper struct {
	h                    http.Handler
	m                    mix
	mu                   sync.Mutex
	pnd                  int
	lastOrder, lastReady time.Time
	log                  *bufio.Writer // nil: no log
}

type envelope struct {
	Result  map[string]string `json:"Result"`
	Status  string            `json:"Status"`
	Message string            `json:"Message"`
}

func (w *wrapper) ServeHTTP(rw http.ResponseWriter, r *http.Request) {
	create := strings.HasSuffix(r.URL.Path, "/CreateReport")
	poll := strings.HasSuffix(r.URL.Path, "/GetReportInfo")
	if !create && !poll {
		w.h.ServeHTTP(rw, r)
		return
	}
	rec := httptest.NewRecorder()
	w.h.ServeHTTP(rec, r)
	body := rec.Body.Bytes()
	var env envelope
	if rec.Code == http.StatusOK && json.Unmarshal(body, &env) == nil && env.Status == "200" {
		no := env.Result["OrderNo"]
		if poll {
			no = r.URL.Query().Get("orderNo")
		}
		if at, ok := orderTime(no); ok {
			ready := at.Add(w.m.genTime(no))
			w.mu.Lock()
			status := "created"
			if create {
				if at.After(w.lastOrder) {
					w.lastOrder = at
				}
				if ready.After(w.lastReady) {
					w.lastReady = ready
				}
			} else if st := env.Result["ReportStatus"]; st == "P" || time.Now().Before(ready) {
				w.pnd++
				status = "P"
				if st != "P" {
					env.Result = map[string]string{"ReportStatus": "P", "ReportUrl": ""}
					body, _ = json.Marshal(env)
				}
			} else {
				status = st
			}
			if w.log != nil {
				kind := "poll"
				if create {
					kind = "create"
				}
				fmt.Fprintf(w.log, "%d,%s,%s,%d,%d,%s\n", time.Now().UnixMilli(), kind, no, at.UnixMilli(), ready.UnixMilli(), status)
			}
			w.mu.Unlock()
		}
	}
	for k, v := range rec.Header() {
		rw.Header()[k] = v
	}
	rw.Header().Set("Content-Length", strconv.Itoa(len(body)))
	rw.WriteHeader(rec.Code)
	_, _ = bytes.NewReader(body).WriteTo(rw)
}

func stamp(t time.Time) string {
	if t.IsZero() {
		return "none"
	}
	return t.UTC().Format("2006-01-02T15:04:05.000Z07:00")
}

func main() {
	addr := flag.String("addr", "127.0.0.1:8080", "loopback address to listen on")
	latency := flag.Duration("latency", 0, "delay before every API answer")
	rateLimit := flag.Float64("rate-limit", 0, "API requests per second before code 120 (0 = none)")
	var m mix
	var seed int64
	flag.Float64Var(&m.share, "fast-share", 0.7, "share (0-1) of fast reports")
	flag.DurationVar(&m.fast, "fast", 10*time.Second, "median generation time of the fast reports")
	flag.DurationVar(&m.slow, "slow", 90*time.Second, "median generation time of the slow reports")
	flag.Float64Var(&m.sigma, "sigma", 0.3, "sigma of the logarithm of each part")
	flag.DurationVar(&m.max, "max", 180*time.Second, "cap of every generation time (0 = none)")
	flag.Int64Var(&seed, "seed", 1, "seed of the draws")
	logPath := flag.String("log", "", "write every API call to this CSV file")
	flag.Parse()
	m.seed = uint64(seed)
	if m.share < 0 || m.share > 1 || m.fast <= 0 || m.slow <= 0 || m.sigma < 0 || m.max < 0 {
		log.Fatal("mixsandbox: want 0 <= -fast-share <= 1, -fast and -slow above 0, -sigma and -max not negative")
	}
	host, _, err := net.SplitHostPort(*addr)
	if err != nil || (host != "127.0.0.1" && host != "::1" && host != "localhost") {
		log.Fatalf("mixsandbox: -addr %q: want a loopback HOST:PORT", *addr)
	}
	srv := qcctest.NewUnstartedServer(qcctest.WithGenDelay(0), qcctest.WithLatency(*latency), qcctest.WithRateLimit(*rateLimit))
	w := &wrapper{h: srv.Handler(), m: m}
	if *logPath != "" {
		f, err := os.Create(*logPath)
		if err != nil {
			log.Fatal("mixsandbox: ", err)
		}
		defer f.Close()
		w.log = bufio.NewWriterSize(f, 1<<16)
		fmt.Fprintln(w.log, "at_ms,kind,order_no,ordered_ms,ready_ms,status")
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		log.Fatal("mixsandbox: ", err)
	}
	hs := &http.Server{Handler: w, ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = hs.Serve(ln) }()
	fmt.Printf("sandbox API at http://%s%s  key %s  secret %s  (mixture: %.0f%% ~%v, rest ~%v, sigma %.2f, max %v)\n",
		ln.Addr(), qcctest.APIPrefix, qcctest.DefaultKey, qcctest.DefaultSecret, 100*m.share, m.fast, m.slow, m.sigma, m.max)

	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	<-sigs
	_ = hs.Close()
	st := srv.Stats()
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.log != nil {
		_ = w.log.Flush()
	}
	fmt.Fprintf(os.Stderr, "sandbox stopped: orders=%d api_calls=%d creates=%d polls=%d polls_pending=%d downloads=%d throttled=%d last_ready=%s last_order=%s\n",
		st.Orders, st.APICalls, st.Creates, st.Polls, w.pnd, st.Downloads, st.Throttled, stamp(w.lastReady), stamp(w.lastOrder))
}
