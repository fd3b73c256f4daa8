package cli

import (
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rivo/uniseg"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/qccbatch/qccbatch/batch/results"
	"github.com/qccbatch/qccbatch/client/qcctest"
)

// syncBuffer is a bytes buffer written by one goroutine, read by another.
type syncBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// ptyRun is a run of the real program on an 80-column pseudo-terminal made
// by util-linux script(1): stdin, stdout and stderr are the terminal.
type ptyRun struct {
	cmd   *exec.Cmd
	stdin io.WriteCloser
	out   *syncBuffer
}

// startPTY starts qccbatch with args under script(1); the test is skipped
// where script is not available.
func startPTY(t *testing.T, args ...string) *ptyRun {
	t.Helper()
	if runtime.GOOS == "windows" || testing.Short() {
		t.Skip("needs script(1) and a pseudo-terminal")
	}
	script, err := exec.LookPath("script")
	if err != nil {
		t.Skip("script(1) is not installed")
	}
	self, err := os.Executable()
	require.NoError(t, err)
	inner := "stty cols 80 rows 24; exec '" + self + "' -test.run='^$'"
	cmd := exec.Command(script, "-q", "-e", "-c", inner, "/dev/null")
	cmd.Env = append(os.Environ(), "QCCBATCH_BE_MAIN=1", "QCCBATCH_ARGS="+strings.Join(args, " "), "TERM=dumb")
	cmd.Env = append(cmd.Env, sandboxEnv...)
	r := &ptyRun{cmd: cmd, out: &syncBuffer{}}
	cmd.Stdout, cmd.Stderr = r.out, r.out
	r.stdin, err = cmd.StdinPipe()
	require.NoError(t, err)
	require.NoError(t, cmd.Start())
	t.Cleanup(func() {
		if cmd.ProcessState == nil {
			_ = cmd.Process.Kill()
			_ = cmd.Wait()
		}
	})
	return r
}

// waitFor waits until the output matches re.
func (r *ptyRun) waitFor(t *testing.T, re *regexp.Regexp) {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for !re.MatchString(r.out.String()) {
		if time.Now().After(deadline) {
			t.Fatalf("no %v in the output:\n%q", re, r.out.String())
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// wait waits for the program to end and returns its exit code and output,
// with the terminal's CR LF turned into LF.
func (r *ptyRun) wait(t *testing.T) (int, string) {
	t.Helper()
	err := r.cmd.Wait()
	_ = r.stdin.Close()
	return procExit(err), strings.ReplaceAll(r.out.String(), "\r\n", "\n")
}

// progressFrame matches one drawing of the progress line.
var progressFrame = regexp.MustCompile(`^ {0,3}\d{1,3}% `)

// ansiSequence matches an ANSI control sequence, such as the ESC[0K that
// ends each rendering of progressbar/v3 and the ESC[2K that clears it.
var ansiSequence = regexp.MustCompile(`\x1b\[[0-9;]*[A-Za-z]`)

// progressFrames returns every drawing of the progress line in out, as
// progressbar/v3 wrote it and a person sees it: the text after a carriage
// return, without the ANSI sequences, with the library's trailing space.
func progressFrames(out string) []string {
	var frames []string
	for _, line := range strings.Split(out, "\n") {
		for _, f := range strings.Split(line, "\r") {
			f = ansiSequence.ReplaceAllString(f, "")
			if progressFrame.MatchString(f) {
				frames = append(frames, f)
			}
		}
	}
	return frames
}

// ptyPortfolio writes a CSV of n companies.
func ptyPortfolio(t *testing.T, n int) string {
	t.Helper()
	var b strings.Builder
	b.WriteString("企业名称\n")
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&b, "进度测试企业%04d有限公司\n", i)
	}
	p := filepath.Join(t.TempDir(), "p.csv")
	require.NoError(t, os.WriteFile(p, []byte(b.String()), 0o600))
	return p
}

// TestProgressPTY_FitsAndEndsTrue: 1,000 companies on an 80-column
// terminal, in zh and en: every drawing progressbar/v3 wrote fits in 77
// columns (as the library counts them: a Han character takes two), log lines
// start at the left margin, the last drawing shows 1000/1000.
func TestProgressPTY_FitsAndEndsTrue(t *testing.T) {
	for _, lang := range []string{"en", "zh"} {
		t.Run(lang, func(t *testing.T) {
			srv := qcctest.New(t, qcctest.WithGenDelay(20*time.Millisecond))
			in := ptyPortfolio(t, 1000)
			r := startPTY(t, "run", in, "--lang", lang, "--base-url", srv.BaseURL(), "--qps", "0", "--poll-interval", "10ms",
				"--yes", "--log-format", "human", "-o", filepath.Join(filepath.Dir(in), "r.csv"))
			code, out := r.wait(t)
			require.Equal(t, 0, code, out)
			assert.Contains(t, out, "\x1b[0K", "drawn by progressbar/v3 with OptionUseANSICodes")
			frames := progressFrames(out)
			require.NotEmpty(t, frames, out)
			for _, f := range frames {
				assert.LessOrEqual(t, uniseg.StringWidth(f), 77, "%q", f)
				assert.LessOrEqual(t, results.DisplayWidth(f), 77, "%q", f)
			}
			last := frames[len(frames)-1]
			if lang == "en" {
				assert.Regexp(t, `^ 100% \[=+\]  1000/1000  .* took \d+s $`, last)
				plan := regexp.MustCompile(`(?m)^\d\d:\d\d:\d\d plan: 1000 rows`)
				assert.Regexp(t, plan, stripBlanking(out), "the log line starts on a line of its own")
				assert.Regexp(t, `(?m)^summary: 1000 rows \(1000 companies\): ready 1000 rows \(1000 companies\)\s*$`, out, "on a terminal the summary is sentences")
				return
			}
			assert.Regexp(t, `^ 100% [\[|][=█]+[\]|]  1000/1000  已下单 1000  .* 共用时 \d+s $`, last)
			assert.Regexp(t, `(?m)^\d\d:\d\d:\d\d `, stripBlanking(out), "the log line starts on a line of its own")
		})
	}
}

// TestProgressPTY_InterruptShowsTrueCounts: Ctrl-C typed while 12 reports
// are generating, in en and zh: the last drawing progressbar/v3 wrote says
// 0/12 (not 100%), and the line ends before the error message.
func TestProgressPTY_InterruptShowsTrueCounts(t *testing.T) {
	for _, tc := range []struct{ lang, running, last, interrupted string }{
		{"en", `\r {3}0% \[\.+\]  0/12  12 ordered  12 pending`, `^   0% \[\.+\]  0/12  12 ordered  12 pending  .* took \d+s $`, "qccbatch: interrupted"},
		{"zh", `\r {3}0% [\[|][ .]+[\]|]  0/12  已下单 12  处理中 12`, `^   0% [\[|][ .]+[\]|]  0/12  已下单 12  处理中 12  .* 共用时 \d+s $`, "qccbatch: "},
	} {
		t.Run(tc.lang, func(t *testing.T) {
			srv := qcctest.New(t, qcctest.WithGenDelay(time.Hour))
			in := ptyPortfolio(t, 12)
			r := startPTY(t, "run", in, "--lang", tc.lang, "--base-url", srv.BaseURL(), "--qps", "0", "--poll-interval", "10ms",
				"--log-format", "human", "-o", filepath.Join(filepath.Dir(in), "r.csv"))
			r.waitFor(t, regexp.MustCompile(tc.running))
			_, err := r.stdin.Write([]byte{3}) // Ctrl-C, turned into SIGINT by the terminal
			require.NoError(t, err)
			code, out := r.wait(t)
			require.Equal(t, 4, code, out)
			assert.Equal(t, 12, srv.TotalOrders())

			frames := progressFrames(out)
			last := frames[len(frames)-1]
			assert.Regexp(t, tc.last, last)
			assert.LessOrEqual(t, uniseg.StringWidth(last), 77, "%q", last)
			assert.NotContains(t, out, "100%")
			assert.NotContains(t, out, "12/12")
			// The final drawing is followed by a newline: the error is on its own line.
			assert.Regexp(t, `(?m)s \x1b\[0K\n(.*\n)*?`+regexp.QuoteMeta(tc.interrupted), out)
		})
	}
}

// stripBlanking removes the blanking of the progress line ("\r   \r") and
// the drawings before a line's last carriage return, leaving what a person
// sees on each line.
func stripBlanking(out string) string {
	lines := strings.Split(out, "\n")
	for i, l := range lines {
		if j := strings.LastIndex(l, "\r"); j >= 0 {
			lines[i] = l[j+1:]
		}
	}
	return strings.Join(lines, "\n")
}
