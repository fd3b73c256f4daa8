package cli

import (
	"fmt"
	"runtime"
	"runtime/debug"
	"strings"

	"github.com/spf13/cobra"
)

// Build is the version of a release build, set with
//
//	-ldflags "-X main.version=0.2.0 -X main.commit=1a2b3c4 -X main.date=2026-11-27"
//
// on the root package main, which passes it to Main (see scripts/release.sh).
// Without them (go run, go install, go build) the values come from the build
// information the Go toolchain embeds: the module version for
// `go install ...@v0.2.0`, and vcs.revision and vcs.modified ("+dirty") for a
// build in a checkout.
type Build struct {
	Version, Commit, Date string
}

// describeBuildInfo returns the whole line after "qccbatch version ", so
// `qccbatch version`, `qccbatch --version` (cobra prints "qccbatch version "
// + the root's Version) and the results workbook's Summary sheet all name the
// same build: "0.2.0 (commit 1a2b3c4, built 2026-11-27, go1.26.8 linux/amd64)".
func describeBuildInfo(b Build) string {
	info, _ := debug.ReadBuildInfo()
	return describeBuild(b.Version, b.Commit, b.Date, info, runtime.Version(), runtime.GOOS+"/"+runtime.GOARCH)
}

func newVersionCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print the program version, commit, build date, Go version and platform",
		Args:  noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			// The same words as cobra's --version.
			fmt.Fprintln(cmd.OutOrStdout(), "qccbatch version", version)
			return nil
		},
	}
}

// describeBuild returns "VERSION (commit C, built D, GOVERSION OS/ARCH)".
// ver, rev and built are the -ldflags values ("" when not set); info is the
// embedded build information (nil when there is none).
func describeBuild(ver, rev, built string, info *debug.BuildInfo, goVersion, platform string) string {
	if ver == "" && info != nil && info.Main.Version != "" && info.Main.Version != "(devel)" {
		ver = info.Main.Version // v0.2.0 from go install ...@v0.2.0, or a pseudo-version
	}
	if ver == "" {
		ver = "dev"
	}
	// Tags are v0.2.0; the version is 0.2.0.
	if len(ver) > 1 && ver[0] == 'v' && ver[1] >= '0' && ver[1] <= '9' {
		ver = ver[1:]
	}
	if rev == "" && info != nil {
		var modified bool
		for _, s := range info.Settings {
			switch s.Key {
			case "vcs.revision":
				rev = s.Value
			case "vcs.modified":
				modified = s.Value == "true"
			}
		}
		if len(rev) > 7 {
			rev = rev[:7]
		}
		if rev != "" && modified {
			rev += "+dirty"
		}
	}
	parts := make([]string, 0, 3)
	if rev != "" {
		parts = append(parts, "commit "+rev)
	} else {
		parts = append(parts, "commit unknown")
	}
	if built != "" {
		parts = append(parts, "built "+built)
	}
	parts = append(parts, goVersion+" "+platform)
	return ver + " (" + strings.Join(parts, ", ") + ")"
}
