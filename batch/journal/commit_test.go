package journal

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestJournal_GroupCommit checks that an intent is on disk when Intent
// returns: a sync that started after the record was written has finished.
// It also checks that concurrent intents share fsyncs: the first fsync is
// held until every writer has written its first intent, so the next one
// covers all of them whatever the scheduler does (with GOMAXPROCS=1 the
// writers may otherwise run one after the other, each leading its own
// fsync).
func TestJournal_GroupCommit(t *testing.T) {
	const writers, each = 16, 20
	path := filepath.Join(t.TempDir(), "s.qccstate")
	var (
		durable atomic.Pointer[[]byte] // file content covered by the last finished sync
		syncs   atomic.Int64
		opened  atomic.Pointer[Journal]
		first   sync.Once
	)
	empty := []byte{}
	durable.Store(&empty)
	fsync := func(f *os.File) error {
		first.Do(func() {
			for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(time.Millisecond) {
				if j := opened.Load(); j != nil && j.writtenSeq.Load() >= writers {
					return
				}
			}
		})
		snap, err := os.ReadFile(path) // what this sync covers, at least
		if err != nil {
			return err
		}
		if err := f.Sync(); err != nil {
			return err
		}
		syncs.Add(1)
		durable.Store(&snap)
		return nil
	}
	j, err := Open(path, Options{Now: newJournalClock().Now, fsync: fsync})
	require.NoError(t, err)
	opened.Store(j)
	var wg sync.WaitGroup
	for w := 0; w < writers; w++ {
		wg.Go(func() {
			for n := 0; n < each; n++ {
				key := fmt.Sprintf("w%02dn%02d", w, n)
				if err := j.Intent(context.Background(), Key{key, 1}, key); err != nil {
					t.Error(err)
					return
				}
				if !bytes.Contains(*durable.Load(), []byte(`"k":"`+key+`"`)) {
					t.Errorf("Intent(%s) returned before its record was synced", key)
				}
				// Answers need no fsync of their own.
				if err := j.Ordered(Key{key, 1}, "o"+key); err != nil {
					t.Error(err)
				}
			}
		})
	}
	wg.Wait()
	require.NoError(t, j.Close())
	n := syncs.Load()
	t.Logf("%d intents, %d fsyncs", writers*each, n)
	assert.LessOrEqual(t, n, int64(writers*each-writers+2), "no group commit: the second fsync did not cover the waiting writers")
}
