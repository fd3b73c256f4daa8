package batch_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/qccbatch/qccbatch/batch/internal/fsutil"
)

// TestRun_DownloadSyncsItsDir: each downloaded report's rename into the
// download directory is made durable (the directory fsynced with the report
// in place), or a crash can lose a report the state file says is on disk.
// A mutation that dropped the SyncDir passed every test.
func TestRun_DownloadSyncsItsDir(t *testing.T) {
	e := newEnv(t, []string{"下载同步公司甲", "下载同步公司乙"})
	e.cfg.DownloadDir = filepath.Join(e.dir, "reports")
	require.NoError(t, os.Mkdir(e.cfg.DownloadDir, 0o700))
	var mu sync.Mutex
	var seen []int // reports in the download directory at each of its syncs
	t.Cleanup(fsutil.SetSyncDirHook(func(dir string) error {
		if dir != e.cfg.DownloadDir {
			return nil
		}
		n := 0
		ents, _ := os.ReadDir(dir)
		for _, d := range ents {
			if strings.HasSuffix(d.Name(), ".pdf") {
				n++
			}
		}
		mu.Lock()
		seen = append(seen, n)
		mu.Unlock()
		return nil
	}))
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	_, err := e.run(ctx, nil)
	require.NoError(t, err)
	for _, r := range e.results() {
		require.Equal(t, "ready", r["outcome"])
		require.FileExists(t, r["file"])
	}
	mu.Lock()
	defer mu.Unlock()
	require.Len(t, seen, 2, "the download directory is synced once per report")
	for _, n := range seen {
		assert.GreaterOrEqual(t, n, 1, "synced after the report was renamed into place")
	}
}
