package journal

import (
	"context"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/qccbatch/qccbatch/batch/outcome"
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
	outcome outcome.Outcome
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
			s = append(s, crashStep{op: opRefused, outcome: []outcome.Outcome{outcome.NotFound, outcome.Rejected}[rng.IntN(2)]})
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
		return j.Intent(context.Background(), Key{r.Key, r.Format}, r.SearchKey)
	case opOrdered:
		return j.Ordered(Key{r.Key, r.Format}, r.OrderNo)
	case opRefused:
		return j.Refused(Key{r.Key, r.Format}, Refusal{Code: r.Code, Message: r.Message, Outcome: r.Outcome})
	case opCancelled:
		return j.Cancelled(Key{r.Key, r.Format}, r.Message)
	case opAmbiguous:
		return j.Ambiguous(Key{r.Key, r.Format}, r.Message)
	case opPolled:
		return j.Polled(Key{r.Key, r.Format}, Poll{OrderNo: r.OrderNo, Status: r.Status, URL: r.URL})
	case opDownloaded:
		return j.Downloaded(Key{r.Key, r.Format}, File{Path: r.File, SHA256: r.SHA256})
	default:
		return j.Cooldown(Key{r.Key, r.Format}, r.Until, r.Code, r.Message)
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
	opt := Options{Now: func() time.Time { return crashNow }, compactMin: 8}
	ack := func(i, step int) { fmt.Fprintf(os.Stdout, "ACK %d %d\n", i, step) } // one write each
	for round := 0; round < 2; round++ {
		j, err := Open(path, opt)
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
