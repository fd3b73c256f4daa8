#!/usr/bin/env bash
# Release builds: versioned qccbatch binaries for the desks that have no Go.
#
#   scripts/release.sh [VERSION]      # default: git describe --tags --always --dirty
#
# Writes dist/qccbatch_VERSION_OS_ARCH.tar.gz (linux, darwin) or .zip (windows),
# each holding the binary and README.md, and dist/SHA256SUMS. Static binaries
# (CGO_ENABLED=0), no local paths (-trimpath), no symbol tables (-s -w).
#
# Environment: TARGETS="linux/amd64 ..." to build fewer platforms;
# SOURCE_DATE_EPOCH to fix the build date (default: now, UTC).
set -euo pipefail
cd "$(dirname "$0")/.."

version=${1:-$(git describe --tags --always --dirty)}
version=${version#v} # tag v0.2.0 -> version 0.2.0
commit=$(git rev-parse --short HEAD)
if [ -n "$(git status --porcelain --untracked-files=no)" ]; then
  commit="$commit+dirty"
fi
if [ -n "${SOURCE_DATE_EPOCH:-}" ]; then
  built=$(date -u -d "@$SOURCE_DATE_EPOCH" +%Y-%m-%d 2>/dev/null || date -u -r "$SOURCE_DATE_EPOCH" +%Y-%m-%d)
else
  built=$(date -u +%Y-%m-%d)
fi
targets=${TARGETS:-linux/amd64 linux/arm64 windows/amd64 darwin/arm64}

case $version in
  *[!A-Za-z0-9._+-]*) echo "release.sh: version '$version' has characters unfit for a file name" >&2; exit 2 ;;
esac
for tool in go git tar zip; do
  command -v "$tool" >/dev/null || { echo "release.sh: $tool not found" >&2; exit 1; }
done
if command -v sha256sum >/dev/null; then sha256=(sha256sum); else sha256=(shasum -a 256); fi

# GNU tar: archive members owned by root, not by whoever ran the script.
tar_owner=()
if tar --version 2>/dev/null | grep -q GNU; then tar_owner=(--owner=0 --group=0 --numeric-owner); fi

ldflags="-s -w -X main.version=$version -X main.commit=$commit -X main.date=$built"
dist=dist
rm -rf "$dist"
mkdir -p "$dist"

start=$SECONDS
for target in $targets; do
  goos=${target%/*} goarch=${target#*/}
  name="qccbatch_${version}_${goos}_${goarch}"
  exe=qccbatch
  [ "$goos" = windows ] && exe=qccbatch.exe
  stage="$dist/$name"
  mkdir -p "$stage"
  t0=$SECONDS
  # -buildvcs=false: the commit comes from -ldflags; Go's own VCS stamping
  # is absent or wrong in a git worktree (golang/go#58218).
  CGO_ENABLED=0 GOOS=$goos GOARCH=$goarch \
    go build -trimpath -buildvcs=false -ldflags "$ldflags" -o "$stage/$exe" .
  cp README.md "$stage/"
  if [ "$goos" = windows ]; then
    (cd "$dist" && zip -q -X -r "$name.zip" "$name")
    archive="$name.zip"
  else
    tar -C "$dist" ${tar_owner[@]+"${tar_owner[@]}"} -czf "$dist/$name.tar.gz" "$name"
    archive="$name.tar.gz"
  fi
  printf '%-16s %6s KB binary  %6s KB %-40s %3ss\n' "$target" \
    "$(( $(wc -c <"$stage/$exe") / 1024 ))" "$(( $(wc -c <"$dist/$archive") / 1024 ))" "$archive" "$((SECONDS - t0))"
done

(
  cd "$dist"
  shopt -s nullglob
  "${sha256[@]}" -- *.tar.gz *.zip >SHA256SUMS
)
echo "dist/SHA256SUMS:"
sed 's/^/  /' "$dist/SHA256SUMS"
echo "qccbatch $version (commit $commit, built $built) in $((SECONDS - start))s"
