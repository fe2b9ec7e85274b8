#!/usr/bin/env bash
# Start-up cost of phr on a small store (the demo case): `phr appointment list`, `phr status` and
# `phr opinion history` beside `sqlite3 STORE 'select * from appointments'` (a program that opens
# the same store and reads a table), side by side in one hyperfine run; `phr --version` shows the
# process start alone (no store opened). Issue 15's target: each phr command at most 2.5 x the
# sqlite3 shell, judged by the means of an interleaved pass (RUNS_INTERLEAVED rounds, 300 unless
# set). Then the peak memory of `phr appointment list` from /usr/bin/time -v.
#
# The interleaved pass also times what no phr command can start faster than, built as the release
# build is (`-static-stdlib`): a Swift program that prints one line, the same importing Foundation
# (as phr must, for its XML parser and formatters), and `sqlite3 :memory: 'select 1'`.
#
# Usage: benchmarks/startup.sh       (the release build the README installs, built here)
#        BASELINE=REV benchmarks/startup.sh   also times `phr appointment list` of that revision
#        BASELINE=REV BASELINE_BUILD=own benchmarks/startup.sh   that revision built as it built
#                                             itself (its own scripts/release-build and linker)
# Needs: hyperfine (Debian: apt-get install -y hyperfine), sqlite3, GNU time for the memory figure.
set -euo pipefail
cd "$(dirname "$0")/.."
BASELINE=${BASELINE:-}
RUNS_INTERLEAVED=${RUNS_INTERLEAVED:-300}
. benchmarks/release-builds.sh
need hyperfine hyperfine
command -v sqlite3 >/dev/null || { echo "startup.sh: needs sqlite3" >&2; exit 69; }

work="$(mktemp -d "${TMPDIR:-/tmp}/phr-bench-XXXXXX")"
cleanup() {
  remove_baseline
  rm -rf "$work"
}
trap cleanup EXIT
build_phrs
phr=${phrs[0]}
store="$work/phr.sqlite"
PHR_NOW=2026-12-01T10:00:00Z "$phr" demo --db "$store" >/dev/null
export NO_COLOR=1

echo "phr $("$phr" --version), $(sqlite3 --version | cut -d' ' -f1-2 | sed 's/ / (/;s/$/)/'), $(nproc) cores, $(uname -sm)"
echo "store: the demo case, $(stat -c %s "$store") bytes"
echo
commands=(
  --command-name "sqlite3 STORE 'select * from appointments'" "sqlite3 $store 'select * from appointments'"
  --command-name "phr appointment list" "$phr appointment list --db $store"
  --command-name "phr status" "$phr status --db $store"
  --command-name "phr opinion history" "$phr opinion history --db $store"
  --command-name "phr --version" "$phr --version"
)
if [ -n "$BASELINE" ]; then
  # The baseline reads a demo store of its own making: a store this phr made may carry a migration
  # the baseline does not know, which it refuses at once (and a refusal is quick).
  baseline_store="$work/baseline.sqlite"
  PHR_NOW=2026-12-01T10:00:00Z "${phrs[1]}" demo --db "$baseline_store" >/dev/null
  commands+=(--command-name "phr appointment list ($BASELINE)" "${phrs[1]} appointment list --db $baseline_store")
fi
# Each command once, untimed: a failing command would otherwise be timed as it fails
# (`phr status` exits 1 while the demo case is not ready: that is its answer, not a failure).
# (From the second command: the first is the sqlite3 shell, whose SQL is quoted for hyperfine.)
for ((i = 5; i < ${#commands[@]}; i += 3)); do
  set +e
  ${commands[i]} >/dev/null 2>"$work/check.err"
  code=$?
  set -e
  if [ "$code" -gt 1 ] || { [ "$code" = 1 ] && [[ "${commands[i]}" != *" status "* ]]; }; then
    echo "${commands[i - 1]} failed (exit $code): $(cat "$work/check.err")" >&2
    exit 1
  fi
done
# --ignore-failure: `phr status` exits 1 while the case is not ready for the appointment (the demo's).
hyperfine --shell=none --ignore-failure --warmup 10 --runs 200 --style basic --export-json "$work/startup.json" \
  --export-markdown "$work/startup.md" "${commands[@]}" >&2
cat "$work/startup.md"
echo
# Each command's mean against the sqlite3 shell's (the first command).
python3 - "$work/startup.json" <<'PY'
import json, sys
results = json.load(open(sys.argv[1]))["results"]
reference = results[0]
for result in results[1:]:
    print(f"{result['command']}: {result['mean'] / reference['mean']:.2f} x the sqlite3 shell by the mean, "
          f"{result['min'] / reference['min']:.2f} x by the minimum (target at most 2.5 x)")
PY

# hyperfine runs each command's 200 runs in turn, so the machine's drift can fall on one command;
# the interleaved pass runs one of each per round in a random order (benchmarks/interleaved.py).
# The target is judged by its means.
echo
echo "interleaved, $RUNS_INTERLEAVED rounds:"
interleaved=("sqlite3=sqlite3 $store 'select * from appointments'"
  "appointment list=$phr appointment list --db $store"
  "status=$phr status --db $store"
  "opinion history=$phr opinion history --db $store"
  "--version=$phr --version")
if [ -n "$BASELINE" ]; then
  interleaved+=("appointment list ($BASELINE)=${phrs[1]} appointment list --db $baseline_store")
fi
# The floors: the Swift runtime alone, with Foundation linked in, and the sqlite3 shell alone.
echo 'print("started")' >"$work/swift-alone.swift"
printf '%s\n' 'import Foundation' \
  'print("started \(ProcessInfo.processInfo.arguments.count) \(URL(fileURLWithPath: "/").path)")' >"$work/swift-foundation.swift"
for program in swift-alone swift-foundation; do
  swiftc -O -static-stdlib "$work/$program.swift" -o "$work/$program" 2>"$work/$program.log" \
    || { cat "$work/$program.log" >&2; exit 1; }
  interleaved+=("$program=$work/$program")
done
interleaved+=("sqlite3 alone=sqlite3 :memory: 'select 1'")
python3 benchmarks/interleaved.py "$RUNS_INTERLEAVED" "${interleaved[@]}"

if [ -x /usr/bin/time ]; then
  rss=$(/usr/bin/time -v "$phr" appointment list --db "$store" 2>&1 >/dev/null | awk -F': ' '/Maximum resident set size/ { print $2 }')
  echo
  echo "peak memory of phr appointment list: ${rss} KiB"
fi
