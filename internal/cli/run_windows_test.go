//go:build windows

package cli

import (
	"testing"

	"github.com/spf13/cobra"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestRunConfig_WindowsGrace: on Windows a console close, logoff or
// shutdown is an interrupt with about 5 s to live: the grace for requests
// in flight leaves time to write the results.
func TestRunConfig_WindowsGrace(t *testing.T) {
	var f runFlags
	cmd := &cobra.Command{}
	f.out.lang, f.out.format, f.concurrency = "zh", "pdf", 8
	cfg, err := runConfig(cmd, "book.csv", &f)
	require.NoError(t, err)
	assert.Equal(t, windowsGrace, cfg.Grace)
	assert.Less(t, windowsGrace.Seconds(), 5.0)
}
