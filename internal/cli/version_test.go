package cli

import (
	"bytes"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestDescribeBuild(t *testing.T) {
	vcs := func(mainVersion string, settings ...string) *debug.BuildInfo {
		info := &debug.BuildInfo{Main: debug.Module{Path: "github.com/qccbatch/qccbatch", Version: mainVersion}}
		for i := 0; i+1 < len(settings); i += 2 {
			info.Settings = append(info.Settings, debug.BuildSetting{Key: settings[i], Value: settings[i+1]})
		}
		return info
	}
	checkout := vcs("(devel)", "vcs", "git", "vcs.revision", "1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b", "vcs.modified", "false")
	dirty := vcs("(devel)", "vcs", "git", "vcs.revision", "1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b", "vcs.modified", "true")
	for _, tc := range []struct {
		name                 string
		version, commit, day string
		info                 *debug.BuildInfo
		want                 string
	}{
		{"release build (ldflags)", "0.2.0", "1a2b3c4", "2026-11-27", nil,
			"0.2.0 (commit 1a2b3c4, built 2026-11-27, go1.26.8 linux/amd64)"},
		{"release tag with v", "v0.2.0", "1a2b3c4", "", nil,
			"0.2.0 (commit 1a2b3c4, go1.26.8 linux/amd64)"},
		{"git describe, dirty", "v0.2.0-3-g1a2b3c4-dirty", "1a2b3c4", "", nil,
			"0.2.0-3-g1a2b3c4-dirty (commit 1a2b3c4, go1.26.8 linux/amd64)"},
		{"ldflags win over build info", "0.2.0", "1a2b3c4", "", dirty,
			"0.2.0 (commit 1a2b3c4, go1.26.8 linux/amd64)"},
		{"go install ...@v0.2.0", "", "", "", vcs("v0.2.0"),
			"0.2.0 (commit unknown, go1.26.8 linux/amd64)"},
		{"go build in a checkout", "", "", "", checkout,
			"dev (commit 1a2b3c4, go1.26.8 linux/amd64)"},
		{"go build in a modified checkout", "", "", "", dirty,
			"dev (commit 1a2b3c4+dirty, go1.26.8 linux/amd64)"},
		{"go run, no build info", "", "", "", nil,
			"dev (commit unknown, go1.26.8 linux/amd64)"},
		{"non-version word kept", "vnext", "", "", nil,
			"vnext (commit unknown, go1.26.8 linux/amd64)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, describeBuild(tc.version, tc.commit, tc.day, tc.info, "go1.26.8", "linux/amd64"))
		})
	}
}

// TestCLI_Version: `qccbatch version` and `qccbatch --version` print the same
// line, with this build's Go version and platform.
func TestCLI_Version(t *testing.T) {
	out := func(args ...string) string {
		var stdout, stderr bytes.Buffer
		cmd := qccbatch(t, nil, args...)
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		require.NoError(t, cmd.Run(), "stderr: %s", stderr.String())
		assert.Empty(t, stderr.String())
		return stdout.String()
	}
	sub, flag := out("version"), out("--version")
	assert.Equal(t, sub, flag)
	assert.True(t, strings.HasPrefix(sub, "qccbatch version "), sub)
	assert.Contains(t, sub, runtime.Version()+" "+runtime.GOOS+"/"+runtime.GOARCH+")\n")
	assert.Equal(t, 1, strings.Count(sub, "\n"), "one line: %q", sub)

	var stderr bytes.Buffer
	cmd := qccbatch(t, nil, "version", "extra")
	cmd.Stderr = &stderr
	assert.Equal(t, 2, procExit(cmd.Run()))
}

// TestVersion_Ldflags builds the program (the root package main, which passes
// its -X values to Main) with the -X flags scripts/release.sh passes and checks what `qccbatch version` prints. (It leaves out the
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
		"-ldflags", "-s -w -X main.version=0.2.0 -X main.commit=1a2b3c4 -X main.date=2026-11-27", "github.com/qccbatch/qccbatch")
	msg, err := build.CombinedOutput()
	require.NoError(t, err, "%s", msg)

	want := "qccbatch version 0.2.0 (commit 1a2b3c4, built 2026-11-27, " + runtime.Version() + " " + runtime.GOOS + "/" + runtime.GOARCH + ")\n"
	for _, arg := range []string{"version", "--version"} {
		got, err := exec.Command(bin, arg).Output()
		require.NoError(t, err)
		assert.Equal(t, want, string(got), arg)
	}
}
