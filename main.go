// Command qccbatch orders Qichacha basic corporate identity reports
// (基础身份报告) for a whole portfolio: it reads identifiers from an XLSX or
// CSV file, places rate-limited orders, keeps a crash-safe state file, polls
// until every report is ready, downloads them and writes a results workbook.
//
// The command line lives in internal/cli; the pipeline in batch, the API
// client in client, the shared rate limiter in ratelimit.
//
//	go install github.com/qccbatch/qccbatch@latest
package main

import (
	"os"

	"github.com/qccbatch/qccbatch/internal/cli"
)

// version, commit and date are set at build time with -ldflags
// "-X main.version=0.2.0 -X main.commit=1a2b3c4 -X main.date=2026-11-27"
// (scripts/release.sh); unset, the version comes from the embedded build
// information (see internal/cli/version.go).
var (
	version = ""
	commit  = ""
	date    = ""
)

func main() {
	os.Exit(cli.Main(os.Args[1:], cli.Build{Version: version, Commit: commit, Date: date}))
}
