package fsutil

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

// fsyncFile is the fsync of WriteFileAtomic's temporary file. Tests replace it
// to prove the data is synced before the rename (the journal has the same
// hook); litestream's file replica client syncs the same way.
var fsyncFile = (*os.File).Sync

// tempPattern returns the os.CreateTemp pattern for the temporaries of path.
func tempPattern(path string) string {
	return "." + filepath.Base(path) + tempInfix + "*"
}

// Resolve returns the file a write to path really changes: path itself, or,
// when path is a symlink (or a chain of them), its final target. A missing
// path, or a dangling link's missing target, is returned as the path it
// names, so a first write creates the link's target rather than replacing
// the link.
func Resolve(path string) (string, error) {
	for range 40 { // the same bound as the kernel's ELOOP
		st, err := os.Lstat(path)
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				return path, nil
			}
			return "", err
		}
		if st.Mode()&fs.ModeSymlink == 0 {
			return path, nil
		}
		target, err := os.Readlink(path)
		if err != nil {
			return "", err
		}
		if !filepath.IsAbs(target) {
			target = filepath.Join(filepath.Dir(path), target)
		}
		path = target
	}
	return "", fmt.Errorf("%s: too many levels of symbolic links", path)
}

// WriteFileAtomic replaces path with what write puts into a new file, so that
// readers (and a crash at any instant) see either the old file or the complete
// new one, never a half-written file.
//
// When path is a symlink, its target is replaced, in the target's directory:
// the link stays a link. The data goes to a temporary file beside the target,
// which is fsynced, closed and renamed over it; the directory is then fsynced
// so the rename itself is durable (a no-op on Windows). On any error the
// temporary file is removed and the file is left as it was. The file gets
// mode perm whatever the mode of the file it replaces (on Unix; on Windows a
// file inherits its folder's permissions).
func WriteFileAtomic(path string, perm fs.FileMode, write func(f *os.File) error) (err error) {
	target, err := Resolve(path)
	if err != nil {
		return fmt.Errorf("write %s: %w", path, UnwrapPathError(err))
	}
	if st, statErr := os.Stat(target); statErr == nil && st.IsDir() {
		return fmt.Errorf("write %s: is a directory", path)
	}
	dir := filepath.Dir(target)
	tmp, err := os.CreateTemp(dir, tempPattern(target))
	if err != nil {
		return fmt.Errorf("write %s: %w", path, UnwrapPathError(err))
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
		return fmt.Errorf("write %s: %w", path, UnwrapPathError(err))
	}
	if err = fsyncFile(tmp); err != nil {
		return fmt.Errorf("write %s: sync: %w", path, UnwrapPathError(err))
	}
	if err = tmp.Close(); err != nil {
		return fmt.Errorf("write %s: close: %w", path, UnwrapPathError(err))
	}
	if err = os.Rename(tmpName, target); err != nil {
		return fmt.Errorf("replace %s (is it open in another program?): %w", path, UnwrapPathError(err))
	}
	if err = SyncDir(dir); err != nil {
		// The new file is in place; only the durability of the rename is in
		// doubt. Report it, but do not remove anything.
		return fmt.Errorf("write %s: sync directory: %w", path, UnwrapPathError(err))
	}
	return nil
}

// SweepStaleTemps removes the temporary files WriteFileAtomic left beside path
// (beside its target, when path is a symlink) when a process died mid-write:
// those not modified for at least olderThan. It returns the names it removed.
// A missing directory is not an error.
func SweepStaleTemps(path string, olderThan time.Duration) ([]string, error) {
	if target, err := Resolve(path); err == nil {
		path = target
	}
	return SweepPrefix(filepath.Dir(path), "."+filepath.Base(path)+tempInfix, olderThan)
}

// SweepPrefix removes the regular files in dir whose names start with prefix
// and that were not modified for at least olderThan: the leftovers of a
// writer that died. It returns the names it removed.
func SweepPrefix(dir, prefix string, olderThan time.Duration) ([]string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, nil
		}
		return nil, fmt.Errorf("sweep temporary files in %s: %w", dir, UnwrapPathError(err))
	}
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

// UnwrapPathError drops the *fs.PathError or *os.LinkError wrapper of an os
// error when the caller's message already names the file, so errors read as
// one clear line.
func UnwrapPathError(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	var le *os.LinkError
	if errors.As(err, &le) {
		return le.Err
	}
	return err
}
