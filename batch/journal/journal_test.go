package journal

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

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
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	return j
}

func jmust(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func TestJournal_CreateModeAndHeader(t *testing.T) {
	path := filepath.Join(t.TempDir(), "p.qccstate")
	j := openTestJournal(t, path, newJournalClock())
	jmust(t, j.Close())

	data, err := os.ReadFile(path)
	jmust(t, err)
	if !strings.HasPrefix(string(data), `{"op":"header","n":1,"at":"2025-03-01T09:00:00Z","version":3,"crc":"`) {
		t.Errorf("header = %q", data)
	}
	if runtime.GOOS != "windows" {
		fi, err := os.Stat(path)
		jmust(t, err)
		if got := fi.Mode().Perm(); got != 0o600 {
			t.Errorf("mode = %o, want 600", got)
		}
	}
}

func TestJournal_ReopenKeepsState(t *testing.T) {
	path := filepath.Join(t.TempDir(), "p.qccstate")
	clk := newJournalClock()
	j := openTestJournal(t, path, clk)
	ctx := context.Background()
	jmust(t, j.Intent(ctx, Key{"91110000MA01", 1}, "91110000MA01"))
	jmust(t, j.Ordered(Key{"91110000MA01", 1}, "ORD1"))
	clk.t = clk.t.Add(time.Hour)
	jmust(t, j.Polled(Key{"91110000MA01", 1}, Poll{OrderNo: "ORD1", Status: "S", URL: "https://r/1.pdf"}))
	jmust(t, j.Downloaded(Key{"91110000MA01", 1}, File{Path: "out/1.pdf", SHA256: "abc"}))
	want, _ := j.Lookup(Key{"91110000MA01", 1})
	jmust(t, j.Close())

	if err := j.Ordered(Key{"x", 1}, "o"); !errors.Is(err, ErrClosed) {
		t.Errorf("write after Close = %v, want ErrClosed", err)
	}
	for _, ro := range []bool{false, true} {
		j2, err := Open(path, Options{ReadOnly: ro})
		jmust(t, err)
		got, ok := j2.Lookup(Key{"91110000MA01", 1})
		if !ok || got != want {
			t.Errorf("readOnly=%v: replayed\n %+v\nwant\n %+v", ro, got, want)
		}
		if ro {
			if err := j2.Ordered(Key{"a", 1}, "o"); !errors.Is(err, ErrReadOnly) {
				t.Errorf("write on read-only = %v", err)
			}
		}
		jmust(t, j2.Close())
	}
}

func TestJournal_Lock(t *testing.T) {
	path := filepath.Join(t.TempDir(), "p.qccstate")
	j := openTestJournal(t, path, newJournalClock())

	_, err := Open(path, Options{})
	var le *LockedError
	if !errors.As(err, &le) {
		t.Fatalf("second Open = %v, want *LockedError", err)
	}
	if le.PID != os.Getpid() {
		t.Errorf("LockedError.PID = %d, want %d", le.PID, os.Getpid())
	}
	if want := "pid " + jitoa(os.Getpid()); !strings.Contains(err.Error(), want) {
		t.Errorf("error %q does not name %q", err, want)
	}

	// Readers need no lock.
	ro, err := Open(path, Options{ReadOnly: true})
	jmust(t, err)
	jmust(t, ro.Close())

	jmust(t, j.Close())
	j2, err := Open(path, Options{})
	jmust(t, err)
	jmust(t, j2.Close())
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
		jmust(t, err)
	}
	jmust(t, os.WriteFile(path, data, 0o600))
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
			jmust(t, os.WriteFile(path, []byte(strings.Join(lines, "")), 0o600))
		}, func(t *testing.T, err error) {
			var ce *CorruptError
			if !errors.As(err, &ce) || ce.Line != 3 {
				t.Fatalf("err = %v, want *CorruptError at line 3", err)
			}
			if !strings.Contains(err.Error(), "line 3") {
				t.Errorf("message %q lacks the line", err)
			}
		}},
		{"version mismatch", func(t *testing.T, path string) {
			writeJournalFile(t, path, &record{Op: opHeader, Version: journalVersion + 1}, ord("a"))
		}, func(t *testing.T, err error) {
			var ve *VersionError
			if !errors.As(err, &ve) || ve.Version != journalVersion+1 {
				t.Fatalf("err = %v, want *VersionError{Version: 3}", err)
			}
		}},
		{"missing header", func(t *testing.T, path string) {
			writeJournalFile(t, path, ord("a"))
		}, func(t *testing.T, err error) {
			var ce *CorruptError
			if !errors.As(err, &ce) || ce.Line != 1 {
				t.Fatalf("err = %v, want *CorruptError at line 1", err)
			}
		}},
		{"not a state file", func(t *testing.T, path string) {
			jmust(t, os.WriteFile(path, []byte("企业名称,统一社会信用代码\n某公司,911100000000000000\n"), 0o600))
		}, func(t *testing.T, err error) {
			var ne *NotJournalError
			if !errors.As(err, &ne) {
				t.Fatalf("err = %v, want *NotJournalError", err)
			}
		}},
		{"not a state file, one line", func(t *testing.T, path string) {
			jmust(t, os.WriteFile(path, []byte("PK\x03\x04 binary"), 0o600))
		}, func(t *testing.T, err error) {
			var ne *NotJournalError
			if !errors.As(err, &ne) {
				t.Fatalf("err = %v, want *NotJournalError", err)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "s.qccstate")
			tt.build(t, path)
			before, _ := os.ReadFile(path)
			for _, ro := range []bool{false, true} {
				_, err := Open(path, Options{ReadOnly: ro})
				tt.check(t, err)
			}
			after, _ := os.ReadFile(path)
			if string(before) != string(after) {
				t.Errorf("a refused file was modified")
			}
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
		jmust(t, os.WriteFile(path, full[:cut], 0o600))
		ro, err := Open(path, Options{ReadOnly: true})
		if err != nil {
			t.Fatalf("cut %d: read-only open: %v", cut, err)
		}
		st, _ := ro.Lookup(Key{"a", 1})
		if st.Outcome != outcome.Pending || st.OrderNo != "o1" {
			t.Fatalf("cut %d: state %+v, want pending o1", cut, st)
		}
		j := openTestJournal(t, path, newJournalClock())
		jmust(t, j.Polled(Key{"a", 1}, Poll{OrderNo: "o1", Status: "F", URL: ""}))
		jmust(t, j.Close())
		j = openTestJournal(t, path, newJournalClock())
		if st, _ := j.Lookup(Key{"a", 1}); st.Outcome != outcome.Failed {
			t.Fatalf("cut %d: after repair state %+v, want failed", cut, st)
		}
		jmust(t, j.Close())
	}

	// Zero bytes after the last record (a power cut) are a torn tail too.
	jmust(t, os.WriteFile(path, append(full[:lastStart:lastStart], make([]byte, 300)...), 0o600))
	j := openTestJournal(t, path, newJournalClock())
	jmust(t, j.Close())
}
