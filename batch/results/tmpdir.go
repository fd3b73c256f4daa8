package results

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/qccbatch/qccbatch/batch/internal/fsutil"
)

// scratchInfix names the private folder that holds excelize's temporary files
// while a workbook is written: "out.xlsx" gets ".out.xlsx.excelize-123456/"
// beside it. excelize names its files "excelize-*" in Options.TmpDir; a
// folder of our own keeps them beside the output (not in /tmp, where a
// killed run left the whole table) without ever touching a user's file that
// happens to start with "excelize-".
const scratchInfix = ".excelize-"

// scratchPrefix returns the name prefix of the scratch folders of target.
func scratchPrefix(target string) string {
	return "." + filepath.Base(target) + scratchInfix
}

// newScratchDir sweeps the scratch folders that crashed writes of target left
// behind and creates a new one (mode 0700) beside target. The caller removes
// it with os.RemoveAll.
func newScratchDir(target string) (string, error) {
	dir := filepath.Dir(target)
	if _, err := sweepScratchDirs(dir, scratchPrefix(target), fsutil.StaleTempAge); err != nil {
		return "", err
	}
	scratch, err := os.MkdirTemp(dir, scratchPrefix(target)+"*")
	if err != nil {
		return "", fmt.Errorf("write %s: %w", target, fsutil.UnwrapPathError(err))
	}
	return scratch, nil
}

// sweepScratchDirs removes the folders in dir whose names start with prefix
// and in which nothing was modified for at least olderThan: the scratch space
// of a writer that died (a writer alive keeps writing its spill file). It
// returns the folders it removed.
func sweepScratchDirs(dir, prefix string, olderThan time.Duration) ([]string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, nil
		}
		return nil, fmt.Errorf("sweep temporary files in %s: %w", dir, fsutil.UnwrapPathError(err))
	}
	cutoff := time.Now().Add(-olderThan)
	var removed []string
	var firstErr error
	for _, e := range entries {
		if !e.IsDir() || !strings.HasPrefix(e.Name(), prefix) {
			continue
		}
		name := filepath.Join(dir, e.Name())
		if newestChange(name).After(cutoff) {
			continue // possibly still being written
		}
		if err := os.RemoveAll(name); err != nil {
			if firstErr == nil {
				firstErr = fmt.Errorf("remove stale temporary files: %w", err)
			}
			continue
		}
		removed = append(removed, name)
	}
	return removed, firstErr
}

// newestChange returns the latest modification time of folder dir and of the
// files directly in it; the zero time when dir cannot be read.
func newestChange(dir string) time.Time {
	var newest time.Time
	if st, err := os.Stat(dir); err == nil {
		newest = st.ModTime()
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if info, err := e.Info(); err == nil && info.ModTime().After(newest) {
			newest = info.ModTime()
		}
	}
	return newest
}
