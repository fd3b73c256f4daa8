#!/usr/bin/env bash
# Crash drill: kill a real qccbatch run with SIGKILL N times (default 50) against the
# sandbox with faults, resume it, and check nothing was ordered twice.
#   testdata/drill.sh [KILLS] [ROWS]
set -euo pipefail
cd "$(dirname "$0")/.."
kills=${1:-50}
rows=${2:-1500}
bin=$(mktemp -d)/qccbatch
go build -o "$bin" .
go run ./testdata/tools/drill -bin "$bin" -kills "$kills" -rows "$rows"
