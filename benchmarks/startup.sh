#!/usr/bin/env bash
# Start-up cost of phr: `phr appointment list` on a small store (the demo case) against
# `sqlite3 STORE 'select 1'` (the least any program that opens the store can do), side by side in
# one hyperfine run; `phr --version` shows the process start alone (no store opened). Then the peak
# memory of `phr appointment list` from /usr/bin/time -v.
#
# Usage: benchmarks/startup.sh            (release build in .build, or $SCRATCH_PATH)
#        PHR_STATIC=1 benchmarks/startup.sh   also times a build with the Swift runtime linked
#                                             statically (--static-swift-stdlib; a slower build)
# Needs: hyperfine (Debian: apt-get install -y hyperfine), sqlite3, GNU time for the memory figure.
set -euo pipefail
cd "$(dirname "$0")/.."

scratch="${SCRATCH_PATH:-.build}"
command -v hyperfine >/dev/null || { echo "startup.sh: needs hyperfine (apt-get install -y hyperfine)" >&2; exit 69; }
command -v sqlite3 >/dev/null || { echo "startup.sh: needs sqlite3" >&2; exit 69; }

swift build -c release --scratch-path "$scratch" --product phr >&2
phr="$(swift build -c release --scratch-path "$scratch" --show-bin-path)/phr"

work="$(mktemp -d "${TMPDIR:-/tmp}/phr-bench-XXXXXX")"
trap 'rm -rf "$work"' EXIT
store="$work/phr.sqlite"
"$phr" demo --db "$store" >/dev/null
export NO_COLOR=1

echo "phr $("$phr" --version), $(sqlite3 --version | cut -d' ' -f1-2 | sed 's/ / (/;s/$/)/'), $(nproc) cores, $(uname -sm)"
echo "store: the demo case, $(stat -c %s "$store") bytes"
echo
commands=(
  --command-name "phr appointment list" "$phr appointment list --db $store"
  --command-name "sqlite3 STORE 'select 1'" "sqlite3 $store 'select 1'"
  --command-name "phr --version" "$phr --version"
)
if [ "${PHR_STATIC:-0}" = 1 ]; then
  swift build -c release --static-swift-stdlib --scratch-path "$scratch/static" --product phr >&2
  static="$(swift build -c release --static-swift-stdlib --scratch-path "$scratch/static" --show-bin-path)/phr"
  commands+=(--command-name "phr appointment list (static Swift runtime)" "$static appointment list --db $store")
fi
hyperfine --shell=none --warmup 10 --runs 200 --style basic --export-markdown "$work/startup.md" "${commands[@]}" >&2
cat "$work/startup.md"

if [ -x /usr/bin/time ]; then
  rss=$(/usr/bin/time -v "$phr" appointment list --db "$store" 2>&1 >/dev/null | awk -F': ' '/Maximum resident set size/ { print $2 }')
  echo
  echo "peak memory of phr appointment list: ${rss} KiB"
fi
