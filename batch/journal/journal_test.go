package journal

import (
	"context"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/qccbatch/qccbatch/batch/outcome"
)

// journalClock is a deterministic clock for journal tests.
type journalClock struct{ t time.Time }

func newJournalClock() *journalClock {
	return &journalClock{t: time.Date(2025, 3, 1, 9, 0, 0, 0, time.UTC)}
}

func (c *journalClock) Now() time.Time { return c.t }

// openTestJournal opens a journal in dir with a fixed clock, failing the test on error.
func openTestJournal(t *testing.T, path string, clk *journalClock) *Journal {
	t.Helper()
	j, err := Open(path, Options{Now: clk.Now})
	require.NoError(t, err, "Open")
	return j
}

func jmust(t *testing.T, err error) {
	t.Helper()
	require.NoError(t, err)
}

func TestJournal_CreateModeAndHeader(t *testing.T) {
	path := filepath.Join(t.TempDir(), "p.qccstate")
	j := openTestJournal(t, path, newJournalClock())
	require.NoError(t, j.Close())

	data, err := os.ReadFile(path)
	require.NoError(t, err)
	assert.Truef(t, strings.HasPrefix(string(data), `{"op":"header","n":1,"at":"2025-03-01T09:00:00Z","version":3,"crc":"`),
		"header = %q", data)
	if runtime.GOOS != "windows" {
		fi, err := os.Stat(path)
		require.NoError(t, err)
		assert.Equal(t, os.FileMode(0o600), fi.Mode().Perm(), "mode")
	}
}

func TestJournal_ReopenKeepsState(t *testing.T) {
	path := filepath.Join(t.TempDir(), "p.qccstate")
	clk := newJournalClock()
	j := openTestJournal(t, path, clk)
	ctx := context.Background()
	require.NoError(t, j.Intent(ctx, Key{"91110000MA01", 1}, "91110000MA01"))
	require.NoError(t, j.Ordered(Key{"91110000MA01", 1}, "ORD1"))
	clk.t = clk.t.Add(time.Hour)
	require.NoError(t, j.Polled(Key{"91110000MA01", 1}, Poll{OrderNo: "ORD1", Status: "S", URL: "https://r/1.pdf"}))
	require.NoError(t, j.Downloaded(Key{"91110000MA01", 1}, File{Path: "out/1.pdf", SHA256: "abc"}))
	want, _ := j.Lookup(Key{"91110000MA01", 1})
	require.NoError(t, j.Close())

	assert.ErrorIs(t, j.Ordered(Key{"x", 1}, "o"), errClosed, "write after Close")
	for _, ro := range []bool{false, true} {
		j2, err := Open(path, Options{ReadOnly: ro})
		require.NoError(t, err)
		got, ok := j2.Lookup(Key{"91110000MA01", 1})
		assert.True(t, ok, "readOnly=%v: not found", ro)
		assert.Equal(t, want, got, "readOnly=%v: replayed", ro)
		if ro {
			assert.ErrorIs(t, j2.Ordered(Key{"a", 1}, "o"), errReadOnly, "write on read-only")
		}
		require.NoError(t, j2.Close())
	}
}

func TestJournal_Lock(t *testing.T) {
	path := filepath.Join(t.TempDir(), "p.qccstate")
	j := openTestJournal(t, path, newJournalClock())

	_, err := Open(path, Options{Lang: "en"})
	var le *LockedError
	require.ErrorAs(t, err, &le, "second Open")
	assert.Equal(t, os.Getpid(), le.PID, "LockedError.PID")
	assert.Contains(t, err.Error(), "pid "+jitoa(os.Getpid()))

	// Readers need no lock.
	ro, err := Open(path, Options{ReadOnly: true})
	require.NoError(t, err)
	require.NoError(t, ro.Close())

	require.NoError(t, j.Close())
	j2, err := Open(path, Options{})
	require.NoError(t, err)
	require.NoError(t, j2.Close())
}

func jitoa(n int) string { return codeString(n) }

// writeJournalFile writes lines (each encoded with a checksum unless raw)
// as a journal file.
func writeJournalFile(t *testing.T, path string, recs ...*record) []byte {
	t.Helper()
	var data []byte
	for i, r := range recs {
		var err error
		if r.Seq == 0 {
			r.Seq = i + 1
		}
		data, err = encodeRecord(data, r)
		require.NoError(t, err)
	}
	require.NoError(t, os.WriteFile(path, data, 0o600))
	return data
}

func journalHeader() *record { return &record{Op: opHeader, Version: journalVersion} }

func TestJournal_OpenErrors(t *testing.T) {
	ord := func(k string) *record { return &record{Op: opOrdered, Key: k, Format: 1, OrderNo: "o-" + k} }
	tests := []struct {
		name  string
		build func(t *testing.T, path string)
		check func(t *testing.T, err error)
	}{
		{"corrupt in the middle", func(t *testing.T, path string) {
			data := writeJournalFile(t, path, journalHeader(), ord("a"), ord("b"), ord("c"))
			lines := strings.SplitAfter(string(data), "\n")
			lines[2] = strings.Replace(lines[2], "o-b", "o-X", 1) // line 3: checksum no longer matches
			require.NoError(t, os.WriteFile(path, []byte(strings.Join(lines, "")), 0o600))
		}, func(t *testing.T, err error) {
			var ce *CorruptError
			require.ErrorAs(t, err, &ce)
			require.Equal(t, 3, ce.Line)
			assert.Contains(t, err.Error(), "line 3")
		}},
		{"version mismatch", func(t *testing.T, path string) {
			writeJournalFile(t, path, &record{Op: opHeader, Version: journalVersion + 1}, ord("a"))
		}, func(t *testing.T, err error) {
			var ve *VersionError
			require.ErrorAs(t, err, &ve)
			require.Equal(t, journalVersion+1, ve.Version)
		}},
		{"missing header", func(t *testing.T, path string) {
			writeJournalFile(t, path, ord("a"))
		}, func(t *testing.T, err error) {
			var ce *CorruptError
			require.ErrorAs(t, err, &ce)
			require.Equal(t, 1, ce.Line)
		}},
		{"not a state file", func(t *testing.T, path string) {
			require.NoError(t, os.WriteFile(path, []byte("企业名称,统一社会信用代码\n某公司,911100000000000000\n"), 0o600))
		}, func(t *testing.T, err error) {
			var ne *NotJournalError
			require.ErrorAs(t, err, &ne)
		}},
		{"not a state file, one line", func(t *testing.T, path string) {
			require.NoError(t, os.WriteFile(path, []byte("PK\x03\x04 binary"), 0o600))
		}, func(t *testing.T, err error) {
			var ne *NotJournalError
			require.ErrorAs(t, err, &ne)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "s.qccstate")
			tt.build(t, path)
			before, _ := os.ReadFile(path)
			for _, ro := range []bool{false, true} {
				_, err := Open(path, Options{ReadOnly: ro, Lang: "en"})
				tt.check(t, err)
			}
			after, _ := os.ReadFile(path)
			assert.Equal(t, string(before), string(after), "a refused file was modified")
		})
	}
}

// TestJournal_TornTail cuts the last record at every byte and checks that
// replay ignores it, the next append truncates it, and nothing is misread.
func TestJournal_TornTail(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "s.qccstate")
	full := writeJournalFile(t, path, journalHeader(),
		&record{Op: opIntent, Key: "a", Format: 1, SearchKey: "a"},
		&record{Op: opOrdered, Key: "a", Format: 1, OrderNo: "o1"},
		&record{Op: opPolled, Key: "a", Format: 1, OrderNo: "o1", Status: "S", URL: "u"})
	lastStart := strings.LastIndex(strings.TrimSuffix(string(full), "\n"), "\n") + 1
	for cut := lastStart; cut < len(full); cut++ {
		require.NoError(t, os.WriteFile(path, full[:cut], 0o600))
		ro, err := Open(path, Options{ReadOnly: true})
		require.NoError(t, err, "cut %d: read-only open", cut)
		st, _ := ro.Lookup(Key{"a", 1})
		require.Equal(t, outcome.Pending, st.Outcome, "cut %d: %+v", cut, st)
		require.Equal(t, "o1", st.OrderNo, "cut %d: %+v", cut, st)
		j := openTestJournal(t, path, newJournalClock())
		require.NoError(t, j.Polled(Key{"a", 1}, Poll{OrderNo: "o1", Status: "F", URL: ""}))
		require.NoError(t, j.Close())
		j = openTestJournal(t, path, newJournalClock())
		st, _ = j.Lookup(Key{"a", 1})
		require.Equal(t, outcome.Failed, st.Outcome, "cut %d: after repair %+v", cut, st)
		require.NoError(t, j.Close())
	}

	// Zero bytes after the last record (a power cut) are a torn tail too,
	// when the last writer never closed the file: its holder file is left.
	zeroed := append(full[:lastStart:lastStart], make([]byte, 300)...)
	require.NoError(t, os.WriteFile(path, zeroed, 0o600))
	_, err := Open(path, Options{})
	var ce *CorruptError
	require.ErrorAs(t, err, &ce, "after a clean close, zero bytes at the end are damage")
	require.NoError(t, os.WriteFile(holderPath(path), []byte("pid=1 host=h\n"), 0o600))
	j := openTestJournal(t, path, newJournalClock())
	require.NoError(t, j.Close())
}
