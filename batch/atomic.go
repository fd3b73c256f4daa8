package batch

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// tempInfix sits between the hidden target name and the random suffix of a
// temporary file: "out.xlsx" is written as ".out.xlsx.tmp-123456".
const tempInfix = ".tmp-"

// StaleTempAge is how long a temporary file of WriteFileAtomic must have gone
// unmodified before SweepStaleTemps removes it. A writer in progress touches
// its file continuously, so a temp this old belongs to a crashed run.
const StaleTempAge = time.Minute

// tempPattern returns the os.CreateTemp pattern for the temporaries of path.
func tempPattern(path string) string {
	return "." + filepath.Base(path) + tempInfix + "*"
}

// WriteFileAtomic replaces path with what write puts into a new file, so that
// readers (and a crash at any instant) see either the old file or the complete
// new one, never a half-written file.
//
// The data goes to a temporary file in the same directory, which is fsynced,
// closed and renamed over path; the directory is then fsynced so the rename
// itself is durable (a no-op on Windows). On any error the temporary file is
// removed and path is left as it was. A new file gets mode perm; an existing
// file keeps its mode.
func WriteFileAtomic(path string, perm fs.FileMode, write func(f *os.File) error) (err error) {
	dir := filepath.Dir(path)
	if st, statErr := os.Stat(path); statErr == nil {
		if st.IsDir() {
			return fmt.Errorf("write %s: is a directory", path)
		}
		perm = st.Mode().Perm()
	}
	tmp, err := os.CreateTemp(dir, tempPattern(path))
	if err != nil {
		return fmt.Errorf("write %s: %w", path, unwrapPathError(err))
	}
	tmpName := tmp.Name()
	defer func() {
		if err != nil {
			_ = tmp.Close() // may already be closed; the error is not interesting
			_ = os.Remove(tmpName)
		}
	}()
	if err = write(tmp); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err = tmp.Chmod(perm); err != nil && !errors.Is(err, errors.ErrUnsupported) {
		return fmt.Errorf("write %s: %w", path, unwrapPathError(err))
	}
	if err = tmp.Sync(); err != nil {
		return fmt.Errorf("write %s: sync: %w", path, unwrapPathError(err))
	}
	if err = tmp.Close(); err != nil {
		return fmt.Errorf("write %s: close: %w", path, unwrapPathError(err))
	}
	if err = os.Rename(tmpName, path); err != nil {
		return fmt.Errorf("replace %s (is it open in another program?): %w", path, unwrapLinkError(err))
	}
	if err = syncDir(dir); err != nil {
		// The new file is in place; only the durability of the rename is in
		// doubt. Report it, but do not remove anything.
		return fmt.Errorf("write %s: sync directory: %w", path, unwrapPathError(err))
	}
	return nil
}

// SweepStaleTemps removes the temporary files WriteFileAtomic left beside path
// when a process died mid-write: those not modified for at least olderThan.
// It returns the names it removed. A missing directory is not an error.
func SweepStaleTemps(path string, olderThan time.Duration) ([]string, error) {
	dir := filepath.Dir(path)
	entries, err := os.ReadDir(dir)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, nil
		}
		return nil, fmt.Errorf("sweep temporary files in %s: %w", dir, unwrapPathError(err))
	}
	prefix := "." + filepath.Base(path) + tempInfix
	cutoff := time.Now().Add(-olderThan)
	var removed []string
	var firstErr error
	for _, e := range entries {
		if !e.Type().IsRegular() || !strings.HasPrefix(e.Name(), prefix) {
			continue
		}
		info, err := e.Info()
		if err != nil || info.ModTime().After(cutoff) {
			continue // vanished meanwhile, or possibly still being written
		}
		name := filepath.Join(dir, e.Name())
		if err := os.Remove(name); err != nil && !errors.Is(err, fs.ErrNotExist) {
			if firstErr == nil {
				firstErr = fmt.Errorf("remove stale temporary file: %w", err)
			}
			continue
		}
		removed = append(removed, name)
	}
	return removed, firstErr
}

// unwrapPathError drops the *fs.PathError wrapper when the caller's message
// already names the file, so errors read as one clear line.
func unwrapPathError(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// unwrapLinkError does the same for the *os.LinkError of a rename.
func unwrapLinkError(err error) error {
	var le *os.LinkError
	if errors.As(err, &le) {
		return le.Err
	}
	return err
}
