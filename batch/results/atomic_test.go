package results

import (
	"bufio"
	"errors"
	"fmt"
	"github.com/qccbatch/qccbatch/batch/msg"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/qccbatch/qccbatch/batch/input"
	"github.com/qccbatch/qccbatch/batch/internal/fsutil"
	"github.com/qccbatch/qccbatch/batch/outcome"
)

// dirNames lists the names in dir, sorted.
func dirNames(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
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
					require.NoError(t, os.WriteFile(path, []byte("previous results"), 0o600))
				}
				// Past the width sample, so rows have been streamed already.
				err := Write(path, []string{"name"}, failingSource(widthSample+100), Summary{}, "zh")
				require.ErrorContains(t, err, "state file read error", "Write returns the source's error")
				var want []string
				if existing {
					want = []string{"results" + ext}
					b, _ := os.ReadFile(path)
					assert.Equal(t, "previous results", string(b), "the previous results were changed")
				}
				assert.Equal(t, want, dirNames(t, dir), "no temporary file or scratch folder is left")
			})
		}
	}
}

// TestWriteResults_Crash kills a process in the middle of writing results and
// checks that the previous file is intact, that nothing was left in the
// system's temporary folder, and that the leftovers beside the output (the
// hidden temporary file, and for .xlsx excelize's spill file in its scratch
// folder) are swept by the next write.
func TestWriteResults_Crash(t *testing.T) {
	if out := os.Getenv("QCCBATCH_CRASH_OUT"); out != "" {
		crashHelper(out) // never returns
	}
	if runtime.GOOS == "windows" {
		t.Skip("uses SIGKILL semantics")
	}
	for _, ext := range []string{".csv", ".xlsx"} {
		t.Run(ext, func(t *testing.T) {
			dir, sysTmp := t.TempDir(), t.TempDir()
			path := filepath.Join(dir, "results"+ext)
			require.NoError(t, os.WriteFile(path, []byte("previous results"), 0o600))
			cmd := exec.Command(os.Args[0], "-test.run=^TestWriteResults_Crash$")
			// The child's system temporary folder is sysTmp, so anything
			// excelize put there would show.
			cmd.Env = append(os.Environ(), "QCCBATCH_CRASH_OUT="+path, "TMPDIR="+sysTmp)
			stdout, err := cmd.StdoutPipe()
			require.NoError(t, err)
			require.NoError(t, cmd.Start())
			line, err := bufio.NewReader(stdout).ReadString('\n')
			_ = cmd.Process.Kill()
			_ = cmd.Wait()
			require.NoError(t, err)
			require.Equal(t, "mid-write\n", line)

			b, _ := os.ReadFile(path)
			require.Equal(t, "previous results", string(b), "after the crash the results file changed")
			assert.Empty(t, dirNames(t, sysTmp), "the killed writer left files in the system's temporary folder")
			names := dirNames(t, dir)
			leftovers := []string{names[0]}
			if ext == ".xlsx" {
				require.Len(t, names, 3, "the directory holds %q", names)
				require.Regexp(t, `^\.results\.xlsx\.excelize-\d+$`, names[0])
				require.Regexp(t, `^\.results\.xlsx\.tmp-\d+$`, names[1])
				spill := dirNames(t, filepath.Join(dir, names[0]))
				require.Len(t, spill, 1, "excelize's spill file is in the scratch folder beside the output")
				require.Regexp(t, `^excelize-\d+$`, spill[0])
				leftovers = append(leftovers, names[1], filepath.Join(names[0], spill[0]))
			} else {
				require.Len(t, names, 2, "the directory holds %q", names)
				require.Regexp(t, `^\.results\.csv\.tmp-\d+$`, names[0])
			}
			old := time.Now().Add(-2 * fsutil.StaleTempAge)
			for _, name := range leftovers {
				require.NoError(t, os.Chtimes(filepath.Join(dir, name), old, old))
			}
			_, rows, sum := samplePortfolio()
			require.NoError(t, Write(path, nil, sliceSource(rows), sum, "en"))
			assert.Equal(t, []string{"results" + ext}, dirNames(t, dir), "the next write sweeps every leftover")
		})
	}
}

// crashHelper writes results to out from a source that announces itself on
// stdout once the write is well under way — for .xlsx once excelize has
// spilled the sheet to a temporary file — and then blocks until the process
// is killed.
func crashHelper(out string) {
	spilled := func() bool {
		if !strings.HasSuffix(out, ".xlsx") {
			return true
		}
		m, _ := filepath.Glob(filepath.Join(filepath.Dir(out), ".*.excelize-*", "excelize-*"))
		return len(m) > 0
	}
	i := 0
	next := func() (input.Row, Result, error) {
		i++
		if i >= 5000 && i%1000 == 0 && spilled() {
			fmt.Println("mid-write")
			time.Sleep(time.Hour) // until the test kills this process
		}
		if i > 2_000_000 {
			return input.Row{}, Result{}, errors.New("excelize never spilled to disk")
		}
		return input.Row{Cells: []input.Cell{strCell("company")}}, Result{SearchKey: "company", Outcome: outcome.Ready,
			Message: msg.Plain("a message long enough to fill the sheet sooner")}, nil
	}
	err := Write(out, []string{"name"}, next, Summary{}, "en")
	fmt.Fprintln(os.Stderr, "helper finished unexpectedly:", err)
	os.Exit(1)
}

// TestWriteResults_Mode: a results file is 0600 whatever the mode of the file
// it replaces, and a symlinked output is written through to its target.
func TestWriteResults_Mode(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("Windows files inherit their folder's permissions; symlinks need privileges")
	}
	_, rows, sum := samplePortfolio()
	for _, ext := range []string{".xlsx", ".csv"} {
		t.Run(ext+" replaces a 0644 file", func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "results"+ext)
			require.NoError(t, os.WriteFile(path, []byte("old"), 0o644))
			require.NoError(t, os.Chmod(path, 0o644))
			require.NoError(t, Write(path, nil, sliceSource(rows), sum, "en"))
			st, err := os.Stat(path)
			require.NoError(t, err)
			assert.Equal(t, os.FileMode(0o600), st.Mode().Perm())
		})
		t.Run(ext+" through a symlink", func(t *testing.T) {
			vol, work := t.TempDir(), t.TempDir()
			target := filepath.Join(vol, "real"+ext)
			link := filepath.Join(work, "results"+ext)
			require.NoError(t, os.WriteFile(target, []byte("old"), 0o644))
			require.NoError(t, os.Symlink(target, link))
			require.NoError(t, Write(link, nil, sliceSource(rows), sum, "en"))
			st, err := os.Lstat(link)
			require.NoError(t, err)
			assert.NotZero(t, st.Mode()&os.ModeSymlink, "the link was replaced by a regular file")
			st, err = os.Stat(target)
			require.NoError(t, err)
			assert.Equal(t, os.FileMode(0o600), st.Mode().Perm())
			assert.Greater(t, st.Size(), int64(len("old")), "the target holds the new results")
			assert.Equal(t, []string{"real" + ext}, dirNames(t, vol), "no temporary left beside the target")
			assert.Equal(t, []string{"results" + ext}, dirNames(t, work), "nothing written beside the link")
		})
	}
}

// TestSweepScratchDirs: only stale scratch folders of this output go.
func TestSweepScratchDirs(t *testing.T) {
	dir := t.TempDir()
	old := time.Now().Add(-2 * fsutil.StaleTempAge)
	mk := func(name string, stale bool) {
		p := filepath.Join(dir, name)
		require.NoError(t, os.MkdirAll(p, 0o700))
		f := filepath.Join(p, "excelize-1")
		require.NoError(t, os.WriteFile(f, nil, 0o600))
		if stale {
			require.NoError(t, os.Chtimes(f, old, old))
			require.NoError(t, os.Chtimes(p, old, old))
		}
	}
	mk(".r.xlsx.excelize-1", true)  // crashed: goes
	mk(".r.xlsx.excelize-2", false) // a writer at work: stays
	mk(".other.xlsx.excelize-3", true)
	require.NoError(t, os.WriteFile(filepath.Join(dir, "excelize-4"), nil, 0o600)) // the user's
	require.NoError(t, os.Chtimes(filepath.Join(dir, "excelize-4"), old, old))
	removed, err := sweepScratchDirs(dir, scratchPrefix(filepath.Join(dir, "r.xlsx")), fsutil.StaleTempAge)
	require.NoError(t, err)
	assert.Equal(t, []string{filepath.Join(dir, ".r.xlsx.excelize-1")}, removed)
	assert.Equal(t, []string{".other.xlsx.excelize-3", ".r.xlsx.excelize-2", "excelize-4"}, dirNames(t, dir))
}
