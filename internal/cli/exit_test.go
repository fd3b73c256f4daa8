package cli

import (
	"fmt"
	"hash/crc32"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// newerStateFile writes a state file of a format version this program does
// not read (version 99), with a valid checksum.
func newerStateFile(t *testing.T, path string) {
	t.Helper()
	payload := `{"op":"header","version":99,"n":1}`
	sum := crc32.Checksum([]byte(payload), crc32.MakeTable(crc32.Castagnoli))
	line := fmt.Sprintf(`%s,"crc":"%08x"}`+"\n", payload[:len(payload)-1], sum)
	require.NoError(t, os.WriteFile(path, []byte(line), 0o600))
}

// TestExitCodes: every command gives 2 for every usage, input and
// state-file error (issue 10 item 1): a foreign or newer-version state file,
// a missing one, a bad flag, too many arguments.
func TestExitCodes(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "book.csv")
	require.NoError(t, os.WriteFile(in, []byte("企业名称\n华为技术有限公司\n"), 0o600))
	foreign := filepath.Join(dir, "foreign.qccstate")
	require.NoError(t, os.WriteFile(foreign, []byte("企业名称\n华为技术有限公司\n"), 0o600))
	newer := filepath.Join(dir, "newer.qccstate")
	newerStateFile(t, newer)
	empty := filepath.Join(dir, "empty.qccstate")
	require.NoError(t, os.WriteFile(empty, nil, 0o600))
	missing := filepath.Join(dir, "missing.qccstate")
	out := filepath.Join(dir, "out.csv")

	states := map[string]string{"foreign state": foreign, "newer version": newer, "empty state": empty}
	type tc struct {
		name string
		args []string
	}
	var tests []tc
	for what, st := range states {
		tests = append(tests,
			tc{"run " + what, []string{"run", "--sandbox", "--state", st, "-o", out, in}},
			tc{"status " + what, []string{"status", st}},
			tc{"export " + what, []string{"export", "-o", out, st}},
			tc{"repair " + what, []string{"repair", st}},
		)
	}
	tests = append(tests,
		tc{"status missing state", []string{"status", missing}},
		tc{"export missing state", []string{"export", "-o", out, missing}},
		tc{"repair missing state", []string{"repair", missing}},
		tc{"validate missing input", []string{"validate", filepath.Join(dir, "nope.csv")}},
		tc{"run missing input", []string{"run", "--sandbox", filepath.Join(dir, "nope.csv")}},
	)
	for _, cmd := range [][]string{
		{"run", "--sandbox", in}, {"status", missing}, {"export", "-o", out, missing}, {"validate", in},
		{"repair", missing}, {"sandbox", "--addr", "127.0.0.1:0"}, {"version"},
	} {
		tests = append(tests,
			tc{cmd[0] + " bad flag", append(append([]string{}, cmd...), "--no-such-flag")},
			tc{cmd[0] + " too many arguments", append(append([]string{}, cmd...), "extra1", "extra2")},
		)
	}
	tests = append(tests,
		tc{"unknown command", []string{"nosuchcommand"}},
		tc{"run bad --lang", []string{"run", "--sandbox", "--lang", "fr", in}},
		tc{"run output is the input", []string{"run", "--sandbox", "-o", in, in}},
		tc{"run output is the state", []string{"run", "--sandbox", "--state", filepath.Join(dir, "s.csv"), "-o", filepath.Join(dir, "s.csv"), in}},
		tc{"export output is the state", []string{"export", "-o", foreign, foreign}},
	)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, line := runCLI(t, tt.args...)
			assert.Equal(t, exitUsage, code, "%s", line)
			assert.NotContains(t, line, "\n", "one line")
		})
	}
	// With a real ledger: export and run refuse to write results over it.
	state := filepath.Join(dir, "s.xlsx") // the case: --state s.xlsx -o s.xlsx
	code, _, line := runCLI(t, "run", "--sandbox", "--quiet", "--state", state, "-o", out, in)
	require.Equal(t, exitOK, code, line)
	before, err := os.ReadFile(state)
	require.NoError(t, err)
	before2, err := os.ReadFile(in)
	require.NoError(t, err)
	code, _, line = runCLI(t, "export", "--lang", "en", "-o", in, state) // without INPUT: the recorded input is protected
	assert.Equal(t, exitUsage, code, line)
	assert.Contains(t, line, "is the input of run")
	after2, err := os.ReadFile(in)
	require.NoError(t, err)
	assert.Equal(t, before2, after2, "the portfolio is untouched")
	for _, args := range [][]string{
		{"export", "--lang", "en", "-o", state, state},
		{"run", "--sandbox", "--quiet", "--lang", "en", "--state", state, "-o", state, in},
	} {
		code, _, line := runCLI(t, args...)
		assert.Equal(t, exitUsage, code, "%v: %s", args, line)
		assert.Contains(t, line, "ledger")
		after, err := os.ReadFile(state)
		require.NoError(t, err)
		assert.Equal(t, before, after, "the ledger is untouched")
	}
	// Nothing was created by the refused runs.
	_, err = os.Stat(filepath.Join(dir, "nope.csv.sandbox.qccstate"))
	assert.True(t, os.IsNotExist(err), "a refused run creates no state file")
}
