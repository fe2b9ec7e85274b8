#!/usr/bin/env bash
# Speed and peak memory of `phr import` (issue 5: at least 30,000 resources per second of typical
# US Core data on this machine; under 200 MiB of memory for 1 GiB of input; issue 10: types phr
# stores at least 1.5 x the 8,000 resources/s of commit e85745b).
#
# Builds phr in release mode, generates synthetic US Core-like bulk-data exports with
# benchmarks/generate-fhir.py (never real data), and imports each into a new store under
# `/usr/bin/time -v`, best of RUNS runs, printing resources per second (wall clock), the CPU time
# (user + system: steadier than the wall clock on a busy machine) and peak resident memory:
#   1. RESOURCES resources of the typical mix (three in four are Observations; every type stored);
#   1b. the same resources with UUID ids (generate-fhir.py --uuid-ids), as Synthea and most servers
#      write them: their keys arrive in no order, where `obs-12` ids arrive nearly in order;
#   2. the types of phr's first wave only (patients, practitioners, conditions, encounters,
#      documents: generate-fhir.py --first-wave), the input of issue 10's comparison;
#   3. the typical input imported again into the store that has it (nothing changes);
#   3b. the typical input written as one JSON Bundle (benchmarks/ndjson-to-bundle.py), beside the
#      NDJSON: issue 15 asks a bundle to import within 1.2 x of the same resources as NDJSON (the
#      ratio from RUNS rounds of the two imported back to back);
#   4. with GIB set (e.g. GIB=1), one import of about GIB GiB of the typical mix, for memory.
# With BASELINE set to a git revision, that revision of phr is built too (in a temporary worktree)
# and each measurement runs both, alternating, so the two columns share the machine's state.
#
#   benchmarks/import-speed.sh                  # RESOURCES=100000 RUNS=3
#   BASELINE=e85745b benchmarks/import-speed.sh # side by side with the phr of that commit
#   GIB=1 benchmarks/import-speed.sh            # also the 1 GiB memory run (about 1.3 million resources)
#
# Needs about 5 x the input's size of free disk in $TMPDIR (input, store, write-ahead log).
set -euo pipefail
cd "$(dirname "$0")/.."

RESOURCES=${RESOURCES:-100000}
RUNS=${RUNS:-3}
GIB=${GIB:-}
BASELINE=${BASELINE:-}

. benchmarks/release-builds.sh
need /usr/bin/time time

work=$(mktemp -d "${TMPDIR:-/tmp}/phr-import-bench.XXXXXX")
cleanup() {
  remove_baseline
  rm -rf "$work"
}
trap cleanup EXIT
build_phrs

# Imports $2 with the phr $1 under /usr/bin/time into a new store (after one untimed import when
# $3 is "again"); prints "<wall s> <cpu s> <peak KiB> <resources>".
import_once() {
  local phr=$1 input=$2 mode=$3
  rm -f "$work"/store.sqlite*
  "$phr" init --db "$work/store.sqlite" >/dev/null
  if [ "$mode" = again ]; then "$phr" import "$input" --db "$work/store.sqlite" >/dev/null; fi
  /usr/bin/time -v "$phr" import "$input" --db "$work/store.sqlite" >"$work/summary.txt" 2>"$work/time.txt"
  awk -F': ' '
    /Elapsed \(wall clock\)/ { n = split($2, t, ":"); wall = 0; for (i = 1; i <= n; i++) wall = wall * 60 + t[i] }
    /User time \(seconds\)/ { cpu += $2 }
    /System time \(seconds\)/ { cpu += $2 }
    /Maximum resident set size/ { kib = $2 }
    END { printf "%s %s %s ", wall, cpu, kib }' "$work/time.txt"
  awk '/^  Total/ { gsub(",", "", $2); print $2 }' "$work/summary.txt"
}

# For each phr, the best of $2 imports of $1 (by wall clock; CPU time and memory of that run).
measure() {
  local input=$1 runs=$2 mode=${3:-new} label=$4
  local -a best=()
  for _ in $(seq 1 "$runs"); do
    for i in "${!phrs[@]}"; do
      local result
      result=$(import_once "${phrs[$i]}" "$input" "$mode")
      if [ -z "${best[$i]:-}" ] || awk -v a="${result%% *}" -v b="${best[$i]%% *}" 'BEGIN { exit !(a < b) }'; then
        best[$i]=$result
      fi
    done
  done
  for i in "${!phrs[@]}"; do
    read -r wall cpu kib count <<<"${best[$i]}"
    awk -v label="$label" -v who="${names[$i]}" -v n="$count" -v s="$wall" -v c="$cpu" -v k="$kib" 'BEGIN {
      printf "  %-22s %-9s %7d resources in %.2f s: %6.0f resources/s (CPU %.2f s: %6.0f/s), peak %.1f MiB\n",
             label, who, n, s, n / s, c, n / (c > 0 ? c : 1), k / 1024 }'
  done
}

echo "phr import, best of $RUNS runs ($(nproc) cores; load average $(cut -d' ' -f1-3 /proc/loadavg))"
python3 benchmarks/generate-fhir.py "$work/typical" --resources "$RESOURCES" | sed 's/^/  input: /'
measure "$work/typical" "$RUNS" new "typical mix:"
python3 benchmarks/generate-fhir.py "$work/typical-uuid" --resources "$RESOURCES" --uuid-ids | sed 's/^/  input: /'
measure "$work/typical-uuid" "$RUNS" new "typical, UUID ids:"
rm -rf "$work/typical-uuid"
python3 benchmarks/generate-fhir.py "$work/stored" --resources "$RESOURCES" --first-wave | sed 's/^/  input: /'
measure "$work/stored" "$RUNS" new "first-wave types:"
measure "$work/typical" "$RUNS" again "typical, again:"
python3 benchmarks/ndjson-to-bundle.py "$work/typical" "$work/typical-bundle.json" | sed 's/^/  input: /'
measure "$work/typical-bundle.json" "$RUNS" new "typical, one bundle:"
# The ratio from imports run back to back: in each of RUNS rounds, each phr imports the NDJSON and
# then the bundle, and the round's ratio is taken (the best times above come from runs minutes
# apart, while this machine's speed drifts); the median of the rounds is printed.
declare -A ratios
for _ in $(seq 1 "$RUNS"); do
  for i in "${!phrs[@]}"; do
    read -r ndjson_wall _ <<<"$(import_once "${phrs[$i]}" "$work/typical" new)"
    read -r bundle_wall _ <<<"$(import_once "${phrs[$i]}" "$work/typical-bundle.json" new)"
    ratios[$i]+="$(awk -v b="$bundle_wall" -v n="$ndjson_wall" 'BEGIN { printf "%.3f ", b / n }')"
  done
done
for i in "${!phrs[@]}"; do
  # shellcheck disable=SC2086
  printf '%s\n' ${ratios[$i]} | sort -n | awk -v who="${names[$i]}" '
    { r[NR] = $1 } END {
      median = NR % 2 ? r[(NR + 1) / 2] : (r[NR / 2] + r[NR / 2 + 1]) / 2
      printf "  %-22s %-9s bundle / NDJSON, back to back: median %.2f x of %d rounds (%.2f-%.2f; target at most 1.2 x)\n",
             "", who, median, NR, r[1], r[NR] }'
done
rm -rf "$work/typical" "$work/stored" "$work/typical-bundle.json"

if [ -n "$GIB" ]; then
  # 81 MiB of the typical mix per 100,000 resources.
  big=$(awk -v g="$GIB" 'BEGIN { printf "%d", g * 1024 / 81.3 * 100000 }')
  python3 benchmarks/generate-fhir.py "$work/big" --resources "$big" | sed 's/^/  input: /'
  measure "$work/big" 1 new "$GIB GiB, typical mix:"
fi
