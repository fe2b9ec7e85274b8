#!/usr/bin/env bash
# Speed and peak memory of `phr import` of a 5 MiB C-CDA CCD (issue 12: under a second on this
# machine).
#
# Builds phr in release mode, writes two synthetic CCDs of MIB MiB with benchmarks/generate-ccda.py
# (never real data): one written as EHRs write them (indented, templateIds and an author on each
# entry) and a dense one (the most entries the size can hold), and imports each into a new store
# under `/usr/bin/time -v`, RUNS times, then as often into the store that has it (nothing
# changes). Prints the median wall clock (the target's measure), and of the best run the wall clock,
# the CPU time (user + system: steadier on a busy machine), peak resident memory and the resources read.
#
#   benchmarks/ccda-speed.sh              # MIB=5 RUNS=5
set -euo pipefail
cd "$(dirname "$0")/.."
. benchmarks/release-builds.sh

MIB=${MIB:-5}
RUNS=${RUNS:-5}

if [ ! -x /usr/bin/time ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq time
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/phr-ccda-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT

release_build --product phr >"$work/build.log" 2>&1 || { cat "$work/build.log" >&2; exit 1; }
phr="$(release_build --show-bin-path)/phr"

python3 benchmarks/generate-ccda.py "$work/ehr.xml" --mib "$MIB"
python3 benchmarks/generate-ccda.py "$work/dense.xml" --mib "$MIB" --dense

# Imports $1 into a new store (after one untimed import when $2 is "again"); prints
# "<wall s> <cpu s> <peak KiB> <resources>".
import_once() {
  local input=$1 mode=$2
  rm -f "$work"/store.sqlite*
  "$phr" init --db "$work/store.sqlite" >/dev/null
  if [ "$mode" = again ]; then "$phr" import "$input" --db "$work/store.sqlite" >/dev/null; fi
  /usr/bin/time -f "%e %U %S %M" -o "$work/time.txt" "$phr" import "$input" --db "$work/store.sqlite" >"$work/out.txt"
  local resources
  resources=$(head -1 "$work/out.txt" | sed -E 's/.* ([0-9,]+) resources? read.*/\1/' | tr -d ,)
  read -r wall user sys peak <"$work/time.txt"
  echo "$wall $(echo "$user + $sys" | bc) $peak $resources"
}

for input in ehr dense; do
  size=$(stat -c %s "$work/$input.xml")
  for mode in new again; do
    best=""
    walls=()
    for _ in $(seq "$RUNS"); do
      result=$(import_once "$work/$input.xml" "$mode")
      walls+=("${result%% *}")
      if [ -z "$best" ] || [ "$(echo "${result%% *} < ${best%% *}" | bc)" = 1 ]; then best=$result; fi
    done
    median=$(printf '%s\n' "${walls[@]}" | sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }')
    read -r wall cpu peak resources <<<"$best"
    printf '%-6s %-6s %s bytes, %s resources: median %s s wall; best %s s wall, %s s CPU, peak %s MiB (%s runs)\n' \
      "$input" "$mode" "$size" "$resources" "$median" "$wall" "$cpu" "$((peak / 1024))" "$RUNS"
  done
done
