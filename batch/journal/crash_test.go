package journal

import (
	"bufio"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/qccbatch/qccbatch/batch/outcome"
)

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
	mid := stats["killed mid-history"] + stats["killed mid-history+torn"]
	assert.GreaterOrEqual(t, mid, *crashTrials/2, "too few trials were killed in the middle of their history: %v", stats)
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
	} else if n > 0 && n < total {
		kind = "killed mid-history" // some steps acknowledged, not all
	}

	torn := injectTorn(t, path, rng)
	if torn {
		kind += "+torn"
	}
	ro, err := Open(path, Options{ReadOnly: true})
	if errors.Is(err, fs.ErrNotExist) {
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
	j, err := Open(path, Options{Now: func() time.Time { return crashNow }, compactMin: 8})
	if err != nil {
		t.Errorf("seed %d: reopen for writing: %v", seed, err)
		return "error"
	}
	if err := j.Ordered(Key{"ZZ", 1}, "after-crash"); err != nil {
		t.Errorf("seed %d: append after crash: %v", seed, err)
	}
	jmust(t, j.Close())
	ro, err = Open(path, Options{ReadOnly: true})
	if err != nil {
		t.Errorf("seed %d: replay after repair: %v", seed, err)
		return "error"
	}
	if st, _ := ro.Lookup(Key{"ZZ", 1}); st.OrderNo != "after-crash" {
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
	line, err := encodeRecord(nil, &record{Op: opSnapshot, Key: k, Format: f, State: &snapshot{Outcome: outcome.Ready, OrderNo: "EVIL"}})
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
		got, known := j.Lookup(Key{k, f})
		matched := -1
		for n := acked[i]; n <= acked[i]+1 && n <= len(script); n++ {
			want, wantKnown := crashModel(i, script[:n])
			if known == wantKnown && reflect.DeepEqual(got, want) {
				matched = n
				break
			}
		}
		if matched < 0 {
			want, _ := crashModel(i, script[:acked[i]])
			t.Errorf("seed %d: company %d after %d acknowledged steps:\n got %+v\nwant %+v", seed, i, acked[i], got, want)
			continue
		}
		if matched > 0 && script[matched-1].op == opIntent && got.Outcome != outcome.Uncertain {
			t.Errorf("seed %d: company %d: unanswered intent replayed as %s", seed, i, got.Outcome)
		}
	}
}

// crashModel is the state steps leave, replayed as Open would.
func crashModel(i int, steps []crashStep) (State, bool) {
	if len(steps) == 0 {
		return State{}, false
	}
	led := newLedger()
	for _, s := range steps {
		led.apply(s.record(i))
	}
	led.settle()
	k, f := crashKey(i)
	return led.state(led.find(Key{k, f})), true
}
