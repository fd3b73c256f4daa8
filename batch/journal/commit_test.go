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

// TestGroupCommit_Pacing: a writer alone never waits before its fsync;
// writers that wait together let the leader wait out the rest of an
// fsync's time first, so one fsync covers more of them, and every record is
// still durable when its method returns.
func TestGroupCommit_Pacing(t *testing.T) {
	open := func(t *testing.T, paced *atomic.Int32, syncs *atomic.Int32) *Journal {
		fsync := func(f *os.File) error {
			time.Sleep(time.Millisecond) // a disk's flush
			syncs.Add(1)
			return f.Sync()
		}
		pace := func(d time.Duration) {
			require.LessOrEqual(t, d, maxSyncPace)
			paced.Add(1)
			time.Sleep(d)
		}
		j, err := Open(filepath.Join(t.TempDir(), "s.qccstate"), Options{Now: newJournalClock().Now, fsync: fsync, pace: pace})
		require.NoError(t, err)
		t.Cleanup(func() { _ = j.Close() })
		return j
	}
	t.Run("alone", func(t *testing.T) {
		var paced, syncs atomic.Int32
		j := open(t, &paced, &syncs)
		for n := range 30 {
			key := fmt.Sprintf("k%02d", n)
			require.NoError(t, j.Intent(context.Background(), Key{key, 1}, key))
		}
		require.Zero(t, paced.Load(), "a lone writer never waits")
		require.GreaterOrEqual(t, syncs.Load(), int32(30), "one fsync per intent")
	})
	t.Run("together", func(t *testing.T) {
		var paced, syncs atomic.Int32
		j := open(t, &paced, &syncs)
		const writers, each = 16, 20
		var wg sync.WaitGroup
		for w := range writers {
			wg.Go(func() {
				for n := range each {
					key := fmt.Sprintf("w%02dn%02d", w, n)
					if err := j.Intent(context.Background(), Key{key, 1}, key); err != nil {
						t.Error(err)
						return
					}
				}
			})
		}
		wg.Wait()
		require.Positive(t, paced.Load(), "leaders waited for company")
		require.Less(t, syncs.Load(), int32(writers*each/2), "each fsync covered several intents")
		t.Logf("%d intents, %d fsyncs, %d paced", writers*each, syncs.Load(), paced.Load())
	})
}
