package batch

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"

	"github.com/qccbatch/qccbatch/batch/internal/fsutil"
	"github.com/qccbatch/qccbatch/batch/journal"
	"github.com/qccbatch/qccbatch/batch/msg"
	"github.com/qccbatch/qccbatch/client"
)

// ConfigError is a problem with what the run was asked to do, found before
// any order: an output that would overwrite the input or the state file, a
// folder that cannot be written, a declined confirmation. Nothing was
// ordered.
//
// Problem is a message of the catalogue: Error writes it in zh, Msg gives
// it to msg.Render for any language.
type ConfigError struct {
	Problem msg.Message
}

func (e *ConfigError) Error() string { return e.Problem.String() }

// Msg returns the problem, for msg.Render.
func (e *ConfigError) Msg() msg.Message { return e.Problem }

// configErrorf returns message id of the catalogue as a *ConfigError. An
// argument that is an error is rendered in the same language (see
// msg.Message.In).
func configErrorf(id msg.ID, a ...any) error {
	return &ConfigError{Problem: msg.M(id, a...)}
}

// CheckOutput checks a results path before anything is written: .xlsx or
// .csv, not the input (after symlinks), in a folder that takes a new file,
// replaceable if it exists.
//
// Its errors are messages of the catalogue (see msg.Render).
func CheckOutput(input, output string) error {
	switch strings.ToLower(filepath.Ext(output)) {
	case ".xlsx", ".csv":
	default:
		return configErrorf(msg.CfgOutputExt, output)
	}
	return checkPaths(input, output, "", "")
}

// maxXLSXRows is how many data rows a results sheet holds (Excel's
// 1,048,576 rows less the header).
var maxXLSXRows = 1<<20 - 1 // a variable only so that tests can lower it

// checkPaths checks, before anything is ordered, that the results and the
// state file can be written where they were asked to go and that neither
// replaces the input or the other (SPEC "Results"; issue: paths were found
// wrong only after paying). Every check follows symlinks and compares files
// case-insensitively where the file system does.
func checkPaths(input, output, state, downloadDir string) error {
	named := []struct{ flag, path string }{{"-o", output}, {"--state", state}}
	for _, n := range named {
		if n.path == "" {
			continue
		}
		if same(n.path, input) {
			return configErrorf(msg.CfgIsInput, n.flag, n.path)
		}
	}
	if output != "" && state != "" && same(output, state) {
		return configErrorf(msg.CfgOutputIsState, output)
	}
	for _, n := range named {
		if n.path == "" {
			continue
		}
		if err := checkWritableDir(n.path); err != nil {
			return configErrorf(msg.CfgPath, n.flag, n.path, err)
		}
	}
	if output != "" {
		if err := checkReplaceable(output); err != nil {
			return configErrorf(msg.CfgPath, "-o", output, err)
		}
	}
	if downloadDir != "" {
		if st, err := os.Stat(downloadDir); err == nil && !st.IsDir() {
			return configErrorf(msg.CfgDownloadIsFile, downloadDir)
		} else if err != nil {
			parent := filepath.Dir(filepath.Clean(downloadDir))
			if st, err := os.Stat(parent); err != nil || !st.IsDir() {
				return configErrorf(msg.CfgDownloadNoParent, downloadDir, parent)
			}
		}
	}
	return nil
}

// same reports whether a and b name the same file: after symlinks, by
// device and inode where both exist, case-insensitively on Windows and
// macOS, where file names usually are.
func same(a, b string) bool {
	ra, errA := fsutil.Resolve(a)
	rb, errB := fsutil.Resolve(b)
	if errA != nil || errB != nil {
		ra, rb = a, b
	}
	if sa, err := os.Stat(ra); err == nil {
		if sb, err := os.Stat(rb); err == nil {
			return os.SameFile(sa, sb)
		}
	}
	aa, errA := filepath.Abs(ra)
	ab, errB := filepath.Abs(rb)
	if errA != nil || errB != nil {
		return false
	}
	if runtime.GOOS == "windows" || runtime.GOOS == "darwin" {
		return strings.EqualFold(aa, ab)
	}
	return aa == ab
}

// CheckWritableDir checks, before anything is ordered, that the folder of
// path (of its target, for a symlink) exists and takes a new file: it
// creates and removes one. Its errors are catalogue messages (msg.Render).
func CheckWritableDir(path string) error { return checkWritableDir(path) }

func checkWritableDir(path string) error {
	target, err := fsutil.Resolve(path)
	if err != nil {
		return err
	}
	dir := filepath.Dir(target)
	st, err := os.Stat(dir)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return msg.Errorf(msg.CfgNoFolder, dir)
		}
		return fsutil.UnwrapPathError(err)
	}
	if !st.IsDir() {
		return msg.Errorf(msg.CfgNotFolder, dir)
	}
	f, err := os.CreateTemp(dir, ".qccbatch-check-*")
	if err != nil {
		return msg.Errorf(msg.CfgCannotWrite, dir, fsutil.UnwrapPathError(err))
	}
	name := f.Name()
	_ = f.Close()
	_ = os.Remove(name)
	return nil
}

// checkReplaceable checks that an existing output can be replaced: not a
// folder, and (on Windows) not open in another program, which would refuse
// the final rename after every order was paid.
func checkReplaceable(path string) error {
	target, err := fsutil.Resolve(path)
	if err != nil {
		return err
	}
	st, err := os.Stat(target)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fsutil.UnwrapPathError(err)
	}
	if st.IsDir() {
		return msg.Errorf(msg.CfgIsFolder)
	}
	return checkNotOpen(target)
}

// ConfirmAbove is how many new orders a run places without a
// confirmation: a plan of more wants a Confirmed that covers it (Start).
const ConfirmAbove = 100

// checkFormat refuses a plan that would re-order every company in a
// --format other than the one the state file's orders have, unless
// Config.NewFormat. It runs before any order.
func (r *runner) checkFormat(pl runPlan) error {
	if r.cfg.NewFormat {
		return nil
	}
	other := 0
	for _, i := range pl.orders {
		for _, f := range []int{1, 2} {
			if f == r.format {
				continue
			}
			if st, ok := r.j.Lookup(journal.Key{ID: r.p.Companies[i].Key, Format: f}); ok && st.Orders > 0 {
				other++
				break
			}
		}
	}
	if other > 0 {
		return configErrorf(msg.CfgOtherFormat, other, client.Format(r.format).String())
	}
	return nil
}
