package main

import (
	"os/exec"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestVersion_Ldflags builds the program with the -X flags scripts/release.sh
// passes and checks what `qccbatch version` prints. (It leaves out the
// script's -trimpath and CGO_ENABLED=0, which do not change -X but would
// rebuild every package instead of reusing the build cache: ~1 min.)
func TestVersion_Ldflags(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the program")
	}
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command")
	}
	bin := filepath.Join(t.TempDir(), "qccbatch")
	if runtime.GOOS == "windows" {
		bin += ".exe"
	}
	build := exec.Command(goTool, "build", "-buildvcs=false", "-o", bin,
		"-ldflags", "-s -w -X main.version=0.2.0 -X main.commit=1a2b3c4 -X main.date=2026-11-27", ".")
	msg, err := build.CombinedOutput()
	require.NoError(t, err, "%s", msg)

	want := "qccbatch version 0.2.0 (commit 1a2b3c4, built 2026-11-27, " + runtime.Version() + " " + runtime.GOOS + "/" + runtime.GOARCH + ")\n"
	for _, arg := range []string{"version", "--version"} {
		got, err := exec.Command(bin, arg).Output()
		require.NoError(t, err)
		assert.Equal(t, want, string(got), arg)
	}
}
