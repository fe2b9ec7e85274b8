#!/usr/bin/env bash
# Speed and peak memory of `phr import` (issue 5: at least 30,000 resources per second of typical
# US Core data on this machine; under 200 MiB of memory for 1 GiB of input).
#
# Builds phr in release mode, generates synthetic US Core-like bulk-data exports with
# benchmarks/generate-fhir.py (never real data), and imports each into a new store under
# `/usr/bin/time -v`, best of RUNS runs, printing resources per second and peak resident memory:
#   1. RESOURCES resources of the typical mix (three in four are Observations, which phr skips);
#   2. the same without the Observations: only types phr stores;
#   3. the typical input imported again into the store that has it (nothing changes);
#   4. with GIB set (e.g. GIB=1), one import of about GIB GiB of the typical mix, for memory.
#
#   benchmarks/import-speed.sh                  # RESOURCES=100000 RUNS=3
#   GIB=1 benchmarks/import-speed.sh            # also the 1 GiB memory run (about 1.3 million resources)
#
# Needs about 5 x the input's size of free disk in $TMPDIR (input, store, write-ahead log).
set -euo pipefail
cd "$(dirname "$0")/.."

RESOURCES=${RESOURCES:-100000}
RUNS=${RUNS:-3}
GIB=${GIB:-}

if [ ! -x /usr/bin/time ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq time
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/phr-import-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT

swift build -c release --product phr >"$work/build.log" 2>&1 || { cat "$work/build.log" >&2; exit 1; }
phr="$(swift build -c release --show-bin-path)/phr"

# Prints "<resources/s> <peak MiB> <seconds>" for the best of $2 imports of $1 (a new store each
# time, unless $3 is "again": then the input is imported once first and timed the second time).
measure() {
  local input=$1 runs=$2 mode=${3:-new} best=""
  for _ in $(seq 1 "$runs"); do
    rm -f "$work"/store.sqlite*
    "$phr" init --db "$work/store.sqlite" >/dev/null
    if [ "$mode" = again ]; then "$phr" import "$input" --db "$work/store.sqlite" >/dev/null; fi
    /usr/bin/time -v "$phr" import "$input" --db "$work/store.sqlite" >"$work/summary.txt" 2>"$work/time.txt"
    local seconds kib
    seconds=$(awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, t, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + t[i]; print s }' "$work/time.txt")
    kib=$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$work/time.txt")
    if [ -z "$best" ] || awk -v a="$seconds" -v b="${best%% *}" 'BEGIN { exit !(a < b) }'; then
      best="$seconds $kib"
    fi
  done
  local count
  count=$(awk '/^  Total/ { gsub(",", "", $2); print $2 }' "$work/summary.txt")
  awk -v n="$count" -v s="${best%% *}" -v k="${best##* }" 'BEGIN { printf "%d resources in %.2f s: %.0f resources/s, peak %.1f MiB\n", n, s, n / s, k / 1024 }'
}

echo "phr import, best of $RUNS runs ($(nproc) cores; load average $(cut -d' ' -f1-3 /proc/loadavg))"
python3 benchmarks/generate-fhir.py "$work/typical" --resources "$RESOURCES" | sed 's/^/  input: /'
printf '  typical mix:          '; measure "$work/typical" "$RUNS"
python3 benchmarks/generate-fhir.py "$work/stored" --resources "$RESOURCES" --imported-only >/dev/null
printf '  stored types only:    '; measure "$work/stored" "$RUNS"
printf '  typical, again:       '; measure "$work/typical" "$RUNS" again
rm -rf "$work/typical" "$work/stored"

if [ -n "$GIB" ]; then
  # 81 MiB of the typical mix per 100,000 resources.
  big=$(awk -v g="$GIB" 'BEGIN { printf "%d", g * 1024 / 81.3 * 100000 }')
  python3 benchmarks/generate-fhir.py "$work/big" --resources "$big" | sed 's/^/  input: /'
  printf '  %s GiB, typical mix:   ' "$GIB"; measure "$work/big" 1
fi
