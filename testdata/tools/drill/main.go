// Command drill runs the real qccbatch binary against the sandbox with
// faults (5xx pages, dropped answers, throttling), kills it with SIGKILL at
// random moments, reruns it to completion, and checks from the sandbox's
// own counts that no company was ordered twice unless its row is uncertain,
// and that every row is final.
//
//	go build -o qccbatch . && go run ./testdata/tools/drill -bin ./qccbatch -kills 50
package main

import (
	"encoding/csv"
	"errors"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/qccbatch/qccbatch/client/qcctest"
)

func main() {
	bin := flag.String("bin", "./qccbatch", "qccbatch binary")
	kills := flag.Int("kills", 5, "SIGKILLs to deliver")
	rows := flag.Int("rows", 1500, "portfolio rows")
	seed := flag.Uint64("seed", uint64(time.Now().UnixNano()), "random seed")
	flag.Parse()
	if err := drill(*bin, *kills, *rows, *seed); err != nil {
		fmt.Fprintln(os.Stderr, "drill FAILED:", err)
		os.Exit(1)
	}
}

func drill(bin string, kills, n int, seed uint64) error {
	rng := rand.New(rand.NewPCG(seed, 7))
	srv := qcctest.NewUnstartedServer(qcctest.WithSeed(int64(seed)), qcctest.WithErrorRate(0.05), qcctest.WithDropRate(0.03),
		qcctest.WithRateLimit(400), qcctest.WithLatency(2*time.Millisecond), qcctest.WithGenDelay(300*time.Millisecond))
	if err := srv.Start("127.0.0.1:0"); err != nil {
		return err
	}
	defer srv.Close()
	dir, err := os.MkdirTemp("", "qccbatch-drill-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	in := filepath.Join(dir, "portfolio.csv")
	var b strings.Builder
	b.WriteString("编号,企业名称\r\n")
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&b, "%d,演练企业%05d有限公司\r\n", i, i)
	}
	if err := os.WriteFile(in, []byte(b.String()), 0o600); err != nil {
		return err
	}
	out := filepath.Join(dir, "results.csv")
	args := []string{"run", in, "--base-url", srv.BaseURL(), "--qps", "0", "--poll-interval", "100ms",
		"--concurrency", "8", "--quiet", "--lang", "en", "-o", out}
	newCmd := func() *exec.Cmd {
		cmd := exec.Command(bin, args...)
		cmd.Env = append(os.Environ(), "QCC_KEY=sandbox", "QCC_SECRET_KEY=sandbox")
		return cmd
	}

	killed := 0
	for killed < kills {
		cmd := newCmd()
		if err := cmd.Start(); err != nil {
			return err
		}
		done := make(chan error, 1)
		go func() { done <- cmd.Wait() }()
		select {
		case <-done: // finished before the kill
			if ready, err := allFinal(out); err == nil && ready {
				// Everything is done: later kills would find no work.
				fmt.Printf("drill: the run finished after %d kills; use more rows for more kills\n", killed)
				kills = killed
			}
		case <-time.After(time.Duration(50+rng.IntN(700)) * time.Millisecond):
			_ = cmd.Process.Signal(syscall.SIGKILL)
			<-done
			killed++
		}
	}
	for attempt := 1; ; attempt++ {
		cmd := newCmd()
		cmd.Stderr = os.Stderr
		err := cmd.Run()
		var ee *exec.ExitError
		if err == nil || (errors.As(err, &ee) && ee.ExitCode() == 5) {
			break // complete; with 5, some rows are uncertain (dropped answers): a person settles them
		}
		if !errors.As(err, &ee) || ee.ExitCode() != 4 || attempt >= 5 {
			return fmt.Errorf("final run: %v", err)
		}
	}
	fmt.Printf("drill: %d SIGKILLs delivered mid-run\n", killed)
	return check(out, srv)
}

func readResults(path string) ([]map[string]string, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	recs, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(string(data), "\ufeff"))).ReadAll()
	if err != nil {
		return nil, err
	}
	var rows []map[string]string
	for _, rec := range recs[1:] {
		m := map[string]string{}
		for i, h := range recs[0] {
			m[h] = rec[i]
		}
		rows = append(rows, m)
	}
	return rows, nil
}

func allFinal(path string) (bool, error) {
	rows, err := readResults(path)
	if err != nil {
		return false, err
	}
	for _, r := range rows {
		if r["outcome"] == "pending" || r["outcome"] == "not_ordered" {
			return false, nil
		}
	}
	return true, nil
}

func check(out string, srv *qcctest.Server) error {
	rows, err := readResults(out)
	if err != nil {
		return err
	}
	counts := map[string]int{}
	doubles, uncertain := 0, 0
	for _, r := range rows {
		name := r["企业名称"]
		n := srv.Orders(name)
		counts[r["outcome"]]++
		switch r["outcome"] {
		case "ready":
			if n != 1 {
				doubles++
				fmt.Fprintf(os.Stderr, "ready row %s ordered %d times\n", name, n)
			}
		case "uncertain":
			uncertain++
			if n > 1 {
				doubles++
				fmt.Fprintf(os.Stderr, "uncertain row %s ordered %d times\n", name, n)
			}
		default:
			return fmt.Errorf("row %s is %s, not final", name, r["outcome"])
		}
	}
	fmt.Printf("drill: %d rows, outcomes %v, orders accepted by the sandbox %d, uncertain %d, double orders %d\n",
		len(rows), counts, srv.TotalOrders(), uncertain, doubles)
	if doubles > 0 {
		return fmt.Errorf("%d companies ordered twice", doubles)
	}
	return nil
}
