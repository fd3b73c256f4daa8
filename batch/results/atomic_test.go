package results

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/qccbatch/qccbatch/batch/input"
	"github.com/qccbatch/qccbatch/batch/internal/fsutil"
	"github.com/qccbatch/qccbatch/batch/outcome"
)

// dirNames lists the names in dir, sorted.
func dirNames(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names
}

// failingSource yields n good rows, then an error.
func failingSource(n int) Source {
	i := 0
	return func() (input.Row, Result, error) {
		if i == n {
			return input.Row{}, Result{}, errors.New("state file read error")
		}
		i++
		return input.Row{Line: i + 1, Cells: []input.Cell{strCell(fmt.Sprint("company ", i))}},
			Result{SearchKey: fmt.Sprint("company ", i), Outcome: outcome.Ready}, nil
	}
}

func TestWriteResults_FailingSourceLeavesNoFile(t *testing.T) {
	for _, ext := range []string{".xlsx", ".csv"} {
		for _, existing := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s existing=%v", ext, existing), func(t *testing.T) {
				dir := t.TempDir()
				path := filepath.Join(dir, "results"+ext)
				if existing {
					if err := os.WriteFile(path, []byte("previous results"), 0o600); err != nil {
						t.Fatal(err)
					}
				}
				// Past the width sample, so rows have been streamed already.
				err := Write(path, []string{"name"}, failingSource(widthSample+100), Summary{}, "zh")
				if err == nil || !strings.Contains(err.Error(), "state file read error") {
					t.Fatalf("Write error = %v, want the source's error", err)
				}
				var want []string
				if existing {
					want = []string{"results" + ext}
					if b, _ := os.ReadFile(path); string(b) != "previous results" {
						t.Errorf("the previous results were changed to %d bytes", len(b))
					}
				}
				if got := dirNames(t, dir); !slices.Equal(got, want) {
					t.Errorf("directory holds %q, want %q", got, want)
				}
			})
		}
	}
}

// TestWriteResults_Crash kills a process in the middle of writing results and
// checks that the previous file is intact and the leftover temporary file is
// hidden and swept by the next write.
func TestWriteResults_Crash(t *testing.T) {
	if out := os.Getenv("QCCBATCH_CRASH_OUT"); out != "" {
		crashHelper(out) // never returns
	}
	if runtime.GOOS == "windows" {
		t.Skip("uses SIGKILL semantics")
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "results.csv")
	if err := os.WriteFile(path, []byte("previous results"), 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestWriteResults_Crash$")
	cmd.Env = append(os.Environ(), "QCCBATCH_CRASH_OUT="+path)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil || line != "mid-write\n" {
		_ = cmd.Process.Kill()
		t.Fatalf("helper said %q, %v", line, err)
	}
	_ = cmd.Process.Kill()
	_ = cmd.Wait()

	if b, _ := os.ReadFile(path); string(b) != "previous results" {
		t.Fatalf("after the crash the results file holds %d bytes, want the previous file", len(b))
	}
	names := dirNames(t, dir)
	if len(names) != 2 || !strings.HasPrefix(names[0], ".results.csv.tmp-") {
		t.Fatalf("after the crash the directory holds %q, want the file and one hidden temporary", names)
	}
	old := time.Now().Add(-2 * fsutil.StaleTempAge)
	if err := os.Chtimes(filepath.Join(dir, names[0]), old, old); err != nil {
		t.Fatal(err)
	}
	_, rows, sum := samplePortfolio()
	if err := Write(path, nil, sliceSource(rows), sum, "en"); err != nil {
		t.Fatal(err)
	}
	if got := dirNames(t, dir); !slices.Equal(got, []string{"results.csv"}) {
		t.Errorf("after the next write the directory holds %q, want only results.csv", got)
	}
}

// crashHelper writes results to out from a source that announces itself on
// stdout after 5,000 rows and then blocks until the process is killed.
func crashHelper(out string) {
	i := 0
	next := func() (input.Row, Result, error) {
		i++
		if i == 5000 {
			fmt.Println("mid-write")
			time.Sleep(time.Hour) // until the test kills this process
		}
		return input.Row{Cells: []input.Cell{strCell("company")}}, Result{SearchKey: "company", Outcome: outcome.Ready}, nil
	}
	err := Write(out, []string{"name"}, next, Summary{}, "en")
	fmt.Fprintln(os.Stderr, "helper finished unexpectedly:", err)
	os.Exit(1)
}
