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
)

// TestJournal_GroupCommit checks that an intent is on disk when Intent
// returns: a sync that started after the record was written has finished.
// It also checks that concurrent intents share fsyncs.
func TestJournal_GroupCommit(t *testing.T) {
	const writers, each = 16, 20
	path := filepath.Join(t.TempDir(), "s.qccstate")
	var (
		durable atomic.Pointer[[]byte] // file content covered by the last finished sync
		syncs   atomic.Int64
	)
	empty := []byte{}
	durable.Store(&empty)
	fsync := func(f *os.File) error {
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
	jmust(t, err)
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
	jmust(t, j.Close())
	n := syncs.Load()
	t.Logf("%d intents, %d fsyncs", writers*each, n)
	if n >= writers*each {
		t.Errorf("%d fsyncs for %d intents: no group commit", n, writers*each)
	}
}
