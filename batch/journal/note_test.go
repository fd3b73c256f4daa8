package journal

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/qccbatch/qccbatch/batch/msg"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestJournal_NotesAreIDs: the state file keeps why a company is uncertain
// as a stable message name and its arguments, never as a sentence, and
// the state renders it in any language; compaction keeps it so.
func TestJournal_NotesAreIDs(t *testing.T) {
	path := filepath.Join(t.TempDir(), "s.qccstate")
	j, err := Open(path, Options{Account: Account{Endpoint: sandboxEndpoint}})
	require.NoError(t, err)
	ctx := context.Background()
	dup, lost, plain := Key{"dup", 1}, Key{"lost", 1}, Key{"plain", 1}
	require.NoError(t, j.Intent(ctx, dup, "sk-dup"))
	require.NoError(t, j.AmbiguousBecause(dup, msg.M(msg.DupOrderNo, "O-1", "other")))
	require.NoError(t, j.Intent(ctx, plain, "sk-plain"))
	require.NoError(t, j.Ambiguous(plain, "read tcp: timeout"))
	require.NoError(t, j.Intent(ctx, lost, "sk-lost"))
	assert.Error(t, j.AmbiguousBecause(lost, msg.M(msg.NotOrdered, "x")), "a message without a stable name is refused")
	require.NoError(t, j.Close())

	check := func(t *testing.T, j *Journal) {
		t.Helper()
		st, _ := j.Lookup(dup)
		assert.Equal(t, msg.M(msg.CauseResolveAdvice, msg.M(msg.DupOrderNo, "O-1", "other")), st.Note)
		assert.Empty(t, st.Message)
		assert.Contains(t, st.Note.In("en"), `the API answered order number "O-1", which the state file holds for another company, other`)
		assert.Contains(t, st.Note.In("zh"), "请在企查查订单列表中查找")
		st, _ = j.Lookup(plain)
		assert.Equal(t, "read tcp: timeout: "+legacyAdvice, st.Note.In("en"))
		st, _ = j.Lookup(lost) // settled when reopened: no answer recorded
		assert.Equal(t, msg.M(msg.NoAnswer), st.Note)
		assert.Equal(t, legacyNoAnswer, st.Note.In("en"))
	}
	noSentences := func(t *testing.T) {
		t.Helper()
		data, err := os.ReadFile(path)
		require.NoError(t, err)
		assert.Contains(t, string(data), `"mid":"dup_order_no","margs":["O-1","other"]`)
		assert.Contains(t, string(data), `"mid":"no_answer"`)
		for _, sentence := range []string{"an order may have been placed", "qccbatch resolve", "one report cannot belong", "program stopped", "订单"} {
			assert.NotContains(t, string(data), sentence, "a sentence in the state file")
		}
	}
	j, err = Open(path, Options{}) // settles the unanswered intent: a record
	require.NoError(t, err)
	check(t, j)
	require.NoError(t, j.Close())
	noSentences(t)

	j, err = Open(path, Options{})
	require.NoError(t, err)
	_, err = j.compact()
	require.NoError(t, err)
	require.NoError(t, j.Close())
	noSentences(t)
	j, err = Open(path, Options{ReadOnly: true})
	require.NoError(t, err)
	defer j.Close()
	check(t, j)
}

// TestJournal_OldNotesReadTheSame: a state file an older qccbatch wrote,
// with English sentences for its uncertain companies, reads the same.
func TestJournal_OldNotesReadTheSame(t *testing.T) {
	path := filepath.Join(t.TempDir(), "old.qccstate")
	amb := func(k, m string) *record { return &record{Op: opAmbiguous, Key: k, Format: 1, Message: m} }
	snap := func(k, m string) *record {
		return &record{Op: opSnapshot, Key: k, Format: 1, State: &snapshot{Outcome: "uncertain", Message: m}}
	}
	dupZH := msg.Text("zh", msg.DupOrderNoThisRun, "O-2")
	writeJournalFile(t, path, &record{Op: opHeader, Version: journalVersion},
		amb("a", legacyNoAnswer),
		amb("b", "timeout: "+legacyAdvice),
		amb("c", legacyRepaired),
		amb("d", dupZH+": "+legacyAdvice),
		snap("e", "EOF: "+legacyAdvice),
		snap("f", legacyNoAnswer),
		amb("g", "timeout: an order may have been placed"))
	j, err := Open(path, Options{ReadOnly: true})
	require.NoError(t, err)
	defer j.Close()
	for k, want := range map[string]string{
		"a": legacyNoAnswer,
		"b": "timeout: " + legacyAdvice,
		"c": legacyRepaired,
		"d": dupZH + ": " + legacyAdvice,
		"e": "EOF: " + legacyAdvice,
		"f": legacyNoAnswer,
		"g": "timeout: " + legacyAdvice,
	} {
		st, ok := j.Lookup(Key{k, 1})
		require.True(t, ok, k)
		assert.Equal(t, want, st.Note.In("en"), k)
		assert.NotEqual(t, want, st.Note.In("zh"), "%s: rendered in zh too", k)
	}
}
