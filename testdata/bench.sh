#!/usr/bin/env bash
# Benchmarks of SPEC "Performance", on the real binary against the sandbox on loopback.
#   testdata/bench.sh overhead [ROWS]   csv -> xlsx and xlsx -> xlsx with --qps 0 (default 100000 rows)
#   testdata/bench.sh rate [ROWS]       --qps 40 utilisation with 50 ms latency (default 400 rows)
#   testdata/bench.sh replay [RECORDS]  opening a state file of 1,000,000 records
#   testdata/bench.sh all               the three with their defaults
set -euo pipefail
cd "$(dirname "$0")/.."
mode=${1:-all}
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT
bin=$work/qccbatch
go build -o "$bin" .
port=$((20000 + RANDOM % 20000))
base=http://127.0.0.1:$port/api/yj
export QCC_KEY=sandbox QCC_SECRET_KEY=sandbox

start_sandbox() {
  "$bin" sandbox --addr 127.0.0.1:$port "$@" >"$work/sandbox.log" 2>&1 &
  for _ in $(seq 100); do
    (exec 3<>/dev/tcp/127.0.0.1/$port) 2>/dev/null && return 0
    sleep 0.1
  done
  echo "sandbox did not start"; cat "$work/sandbox.log"; exit 1
}
stop_sandbox() { kill %1 2>/dev/null || true; wait 2>/dev/null || true; }

# timed LABEL ROWS CMD...: runs CMD under /usr/bin/time -v and prints the figures.
timed() {
  local label=$1 rows=$2; shift 2
  /usr/bin/time -v "$@" >"$work/out.txt" 2>"$work/time.txt" || { cat "$work/out.txt" "$work/time.txt"; echo "$label: exit $?"; }
  local wall rss
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$work/time.txt" | awk -F: '{ if (NF==3) print $1*3600+$2*60+$3; else print $1*60+$2 }')
  rss=$(awk -F': ' '/Maximum resident set size/ {print int($2/1024)}' "$work/time.txt")
  local calls
  calls=$(grep -o 'api_calls=[0-9]*' "$work/out.txt" | cut -d= -f2 || true)
  printf '%-28s rows=%-8s wall=%6.2fs rows/s=%8.0f peak_rss=%4dMB api_calls=%s api_calls/s=%s\n' \
    "$label" "$rows" "$wall" "$(echo "$rows / $wall" | bc -l)" "$rss" "${calls:-}" \
    "$( [ -n "${calls:-}" ] && printf '%.0f' "$(echo "$calls / $wall" | bc -l)")"
  grep '^summary' "$work/out.txt" || true
}

overhead() {
  local rows=${1:-100000}
  go run ./testdata/tools/genportfolio -n "$rows" -o "$work/p.csv"
  go run ./testdata/tools/genportfolio -n "$rows" -o "$work/p.xlsx"
  start_sandbox --gen-delay 0
  for in in p.csv p.xlsx; do
    rm -f "$work/$in.qccstate"
    timed "overhead $in -> xlsx" "$rows" "$bin" run "$work/$in" --base-url "$base" --qps 0 --concurrency 16 \
      --poll-interval 1s --quiet -o "$work/out-$in.xlsx"
  done
  stop_sandbox
}

rate() {
  local rows=${1:-400}
  go run ./testdata/tools/genportfolio -n "$rows" -o "$work/r.csv"
  start_sandbox --gen-delay 0 --latency 50ms --rate-limit 41
  rm -f "$work/r.csv.qccstate"
  timed "rate --qps 40, 50ms latency" "$rows" "$bin" run "$work/r.csv" --base-url "$base" --qps 40 --concurrency 8 \
    --poll-interval 500ms --quiet -o "$work/r.xlsx"
  local calls dur
  calls=$(grep -o 'api_calls=[0-9]*' "$work/out.txt" | cut -d= -f2)
  dur=$(grep -o 'duration=[0-9.]*[a-z]*' "$work/out.txt" | cut -d= -f2)
  dur=$(echo "$dur" | sed -e 's/ms$/\/1000/' -e 's/s$//' | bc -l)
  printf 'utilisation: %d calls in %.2fs = %.1f req/s = %.1f%% of --qps 40; throttled (slow_downs): %s\n' \
    "$calls" "$dur" "$(echo "$calls / $dur" | bc -l)" "$(echo "100 * $calls / $dur / 40" | bc -l)" \
    "$(grep -o 'slow_downs=[0-9]*' "$work/out.txt" | cut -d= -f2)"
  stop_sandbox
}

replay() {
  local n=${1:-1000000}
  go run ./testdata/tools/genstate -n "$n" -o "$work/big.qccstate"
  timed "replay $n records (status)" "$n" "$bin" status "$work/big.qccstate"
}

case $mode in
  overhead) overhead "${2:-}" ;;
  rate) rate "${2:-}" ;;
  replay) replay "${2:-}" ;;
  all) overhead; rate; replay ;;
  *) echo "usage: $0 [overhead|rate|replay|all] [N]"; exit 2 ;;
esac
