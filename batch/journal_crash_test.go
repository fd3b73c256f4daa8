package batch

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// The crash test re-executes this test binary as a child that writes a
// scripted history to a journal and prints "ACK key step" after every call
// that returned. The parent SIGKILLs it at a random point, sometimes adds a
// torn record, and checks the replay against the script.

// More trials: go test ./batch -run 'TestJournal_Crash$' -crash.trials=2000
// (package before the flag, or go test takes the flag for its own).
var crashTrials = flag.Int("crash.trials", 200, "trials of TestJournal_Crash")

const (
	crashEnvPath = "QCCBATCH_CRASH_JOURNAL"
	crashEnvSeed = "QCCBATCH_CRASH_SEED"
	crashKeys    = 16
	crashWorkers = 4
)

var crashNow = time.Date(2025, 3, 1, 9, 0, 0, 0, time.UTC)

// crashStep is one call of the script.
type crashStep struct {
	op      string
	orderNo string
	status  string
	outcome Outcome
}

func crashKey(i int) (string, int) { return fmt.Sprintf("K%02d", i), 1 + i%2 }

// crashScript is the deterministic history of company i: a first attempt
// before the child reopens the journal and, for some, a second one after.
func crashScript(seed uint64, i int) (first, second []crashStep) {
	rng := rand.New(rand.NewPCG(seed, uint64(i)))
	attempt := func(tag string) []crashStep {
		s := []crashStep{{op: opIntent}}
		no := fmt.Sprintf("O%d%s", i, tag)
		switch r := rng.IntN(20); {
		case r < 10:
			s = append(s, crashStep{op: opOrdered, orderNo: no})
			for n := rng.IntN(3); n > 0; n-- {
				s = append(s, crashStep{op: opPolled, orderNo: no, status: "P"})
			}
			if rng.IntN(4) > 0 {
				s = append(s, crashStep{op: opPolled, orderNo: no, status: "S"}, crashStep{op: opDownloaded})
			} else {
				s = append(s, crashStep{op: opPolled, orderNo: no, status: "F"})
			}
		case r < 13:
			s = append(s, crashStep{op: opRefused, outcome: []Outcome{OutcomeNotFound, OutcomeRejected}[rng.IntN(2)]})
		case r < 15:
			s = append(s, crashStep{op: opCancelled})
		case r < 18:
			s = append(s, crashStep{op: opAmbiguous})
		default:
			s = append(s, crashStep{op: opCooldown})
		}
		return s
	}
	first = attempt("a")
	if rng.IntN(10) < 6 {
		second = attempt("b")
	}
	return first, second
}

// record is the journal record the step writes.
func (s crashStep) record(i int) *record {
	k, f := crashKey(i)
	r := &record{Op: s.op, Key: k, Format: f, At: crashNow, OrderNo: s.orderNo, Status: s.status, Outcome: s.outcome}
	switch s.op {
	case opIntent:
		r.SearchKey = "sk" + k
	case opRefused:
		r.Code, r.Message = 201, "refused"
	case opPolled:
		if s.status == "S" {
			r.URL = "https://r/" + s.orderNo
		}
	case opDownloaded:
		r.File, r.SHA256 = "dl/"+k, "abcd"
	case opCooldown:
		r.Until, r.Code, r.Message = crashNow.Add(2*time.Hour), 110, "cooldown"
	default:
		r.Message = "m"
	}
	return r
}

// do makes the step's call on j.
func (s crashStep) do(j *Journal, i int) error {
	r := s.record(i)
	switch s.op {
	case opIntent:
		return j.Intent(context.Background(), r.Key, r.Format, r.SearchKey)
	case opOrdered:
		return j.Ordered(r.Key, r.Format, r.OrderNo)
	case opRefused:
		return j.Refused(r.Key, r.Format, r.Code, r.Message, r.Outcome)
	case opCancelled:
		return j.Cancelled(r.Key, r.Format, r.Message)
	case opAmbiguous:
		return j.Ambiguous(r.Key, r.Format, r.Message)
	case opPolled:
		return j.Polled(r.Key, r.Format, r.OrderNo, r.Status, r.URL)
	case opDownloaded:
		return j.Downloaded(r.Key, r.Format, r.File, r.SHA256)
	default:
		return j.Cooldown(r.Key, r.Format, r.Until, r.Code, r.Message)
	}
}

// TestJournalCrashChild is the child of TestJournal_Crash; it does nothing
// in a normal test run.
func TestJournalCrashChild(t *testing.T) {
	path := os.Getenv(crashEnvPath)
	if path == "" {
		t.Skip("helper process of TestJournal_Crash")
	}
	seed, _ := strconv.ParseUint(os.Getenv(crashEnvSeed), 10, 64)
	opt := JournalOptions{Now: func() time.Time { return crashNow }, compactMin: 8}
	ack := func(i, step int) { fmt.Fprintf(os.Stdout, "ACK %d %d\n", i, step) } // one write each
	for round := 0; round < 2; round++ {
		j, err := OpenJournal(path, opt)
		if err != nil {
			fmt.Fprintln(os.Stderr, "child:", err)
			os.Exit(3)
		}
		var wg sync.WaitGroup
		for w := 0; w < crashWorkers; w++ {
			wg.Go(func() {
				for i := w; i < crashKeys; i += crashWorkers {
					first, second := crashScript(seed, i)
					steps, base := first, 0
					if round == 1 {
						steps, base = second, len(first)
					}
					for n, s := range steps {
						if err := s.do(j, i); err != nil {
							fmt.Fprintln(os.Stderr, "child:", err)
							os.Exit(3)
						}
						ack(i, base+n)
					}
				}
			})
		}
		wg.Wait()
		if err := j.Close(); err != nil {
			fmt.Fprintln(os.Stderr, "child:", err)
			os.Exit(3)
		}
	}
	os.Exit(0)
}

var crashSeed = flag.Uint64("crash.seed", 0, "base seed of TestJournal_Crash [random]")

// TestJournal_Crash kills a journal writer at random points and proves,
// after each replay, that every acknowledged record is present, that
// nothing after a torn record is misread, and that every intent is
// answered or uncertain.
func TestJournal_Crash(t *testing.T) {
	exe, err := os.Executable()
	jmust(t, err)
	base := *crashSeed
	if base == 0 {
		base = uint64(time.Now().UnixNano())
	}
	t.Logf("base seed %d (rerun with -crash.seed=%d)", base, base)
	dir := t.TempDir()
	var (
		mu    sync.Mutex
		stats = map[string]int{}
		wg    sync.WaitGroup
		sem   = make(chan struct{}, 2*runtime.NumCPU())
	)
	for trial := 0; trial < *crashTrials; trial++ {
		sem <- struct{}{}
		wg.Go(func() {
			defer func() { <-sem }()
			outcome := crashTrial(t, exe, filepath.Join(dir, fmt.Sprintf("t%d", trial)), base+uint64(trial))
			mu.Lock()
			stats[outcome]++
			mu.Unlock()
		})
	}
	wg.Wait()
	t.Logf("%d trials: %v", *crashTrials, stats)
}

// crashTrial runs one child, kills it, and checks the journal it left. It
// returns a word describing the trial for the summary.
func crashTrial(t *testing.T, exe, path string, seed uint64) string {
	rng := rand.New(rand.NewPCG(seed, 99))
	scripts := make([][]crashStep, crashKeys)
	total := 0
	for i := range scripts {
		first, second := crashScript(seed, i)
		scripts[i] = append(first, second...)
		total += len(scripts[i])
	}
	killAt := rng.IntN(total + total/8 + 1) // now and then the child finishes

	cmd := exec.Command(exe, "-test.run=^TestJournalCrashChild$", "-test.count=1")
	cmd.Env = append(os.Environ(), crashEnvPath+"="+path, crashEnvSeed+"="+strconv.FormatUint(seed, 10))
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.StdoutPipe()
	jmust(t, err)
	jmust(t, cmd.Start())
	acked := make([]int, crashKeys) // steps acknowledged per company
	n := 0
	if killAt == 0 {
		_ = cmd.Process.Kill()
	}
	sc := bufio.NewScanner(out)
	for sc.Scan() {
		var i, step int
		if _, err := fmt.Sscanf(sc.Text(), "ACK %d %d", &i, &step); err != nil {
			continue
		}
		if step != acked[i] {
			t.Errorf("seed %d: company %d acknowledged step %d after %d", seed, i, step, acked[i])
		}
		acked[i] = step + 1
		if n++; n == killAt {
			_ = cmd.Process.Kill() // SIGKILL on Unix
		}
	}
	werr := cmd.Wait()
	if strings.Contains(stderr.String(), "child:") {
		t.Errorf("seed %d: child failed: %s", seed, stderr.String())
	}
	kind := "killed"
	if werr == nil {
		kind = "finished"
	}

	torn := injectTorn(t, path, rng)
	if torn {
		kind += "+torn"
	}
	ro, err := OpenJournal(path, JournalOptions{ReadOnly: true})
	if os.IsNotExist(err) {
		for i, a := range acked {
			if a > 0 {
				t.Errorf("seed %d: no journal but company %d has %d acknowledged records", seed, i, a)
			}
		}
		return "killed before open"
	}
	if err != nil {
		t.Errorf("seed %d: replay: %v", seed, err)
		return "error"
	}
	checkCrashState(t, seed, ro, scripts, acked)

	// A new run takes the lock the dead child held, cuts the torn tail and
	// appends after it; the result replays with the same history.
	j, err := OpenJournal(path, JournalOptions{Now: func() time.Time { return crashNow }, compactMin: 8})
	if err != nil {
		t.Errorf("seed %d: reopen for writing: %v", seed, err)
		return "error"
	}
	if err := j.Ordered("ZZ", 1, "after-crash"); err != nil {
		t.Errorf("seed %d: append after crash: %v", seed, err)
	}
	jmust(t, j.Close())
	ro, err = OpenJournal(path, JournalOptions{ReadOnly: true})
	if err != nil {
		t.Errorf("seed %d: replay after repair: %v", seed, err)
		return "error"
	}
	if st, _ := ro.Lookup("ZZ", 1); st.OrderNo != "after-crash" {
		t.Errorf("seed %d: record appended after the crash lost: %+v", seed, st)
	}
	checkCrashState(t, seed, ro, scripts, acked)
	return kind
}

// injectTorn sometimes appends a torn record to a journal that ends on a
// complete line: a record cut short, or a whole line with a bad checksum.
// Both claim company K00 is ready, which no script says.
func injectTorn(t *testing.T, path string, rng *rand.Rand) bool {
	data, err := os.ReadFile(path)
	if err != nil || len(data) == 0 || data[len(data)-1] != '\n' || rng.IntN(3) == 0 {
		return false
	}
	k, f := crashKey(0)
	line, err := encodeRecord(nil, &record{Op: opSnapshot, Key: k, Format: f, State: &snapshot{Outcome: OutcomeReady, OrderNo: "EVIL"}})
	jmust(t, err)
	if rng.IntN(2) == 0 {
		line = line[:1+rng.IntN(len(line)-1)] // cut before the newline
	} else {
		line[10+rng.IntN(len(line)-30)] ^= 0x01 // checksum no longer matches
	}
	jmust(t, os.WriteFile(path, append(data, line...), 0o600))
	return true
}

// checkCrashState compares every company with its script: the replayed
// state must be the one after all acknowledged steps, or after one more
// (written but killed before the acknowledgement), and an intent without
// an answer must be uncertain.
func checkCrashState(t *testing.T, seed uint64, j *Journal, scripts [][]crashStep, acked []int) {
	t.Helper()
	for i, script := range scripts {
		k, f := crashKey(i)
		got, known := j.Lookup(k, f)
		matched := -1
		for n := acked[i]; n <= acked[i]+1 && n <= len(script); n++ {
			want, wantKnown := crashModel(i, script[:n])
			if known == wantKnown && got == want {
				matched = n
				break
			}
		}
		if matched < 0 {
			want, _ := crashModel(i, script[:acked[i]])
			t.Errorf("seed %d: company %d after %d acknowledged steps:\n got %+v\nwant %+v", seed, i, acked[i], got, want)
			continue
		}
		if matched > 0 && script[matched-1].op == opIntent && got.Outcome != OutcomeUncertain {
			t.Errorf("seed %d: company %d: unanswered intent replayed as %s", seed, i, got.Outcome)
		}
	}
}

// crashModel is the state steps leave, replayed as OpenJournal would.
func crashModel(i int, steps []crashStep) (CompanyState, bool) {
	if len(steps) == 0 {
		return CompanyState{}, false
	}
	led := newLedger()
	for _, s := range steps {
		led.apply(s.record(i))
	}
	led.settle()
	k, f := crashKey(i)
	return led.m[ledgerKey{k, f}].state(), true
}
