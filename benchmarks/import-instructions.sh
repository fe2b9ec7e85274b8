#!/usr/bin/env bash
# Instructions each thread of `phr import` runs, counted by valgrind's callgrind: unlike the wall
# clock, a busy machine does not move them, so two builds compare within a fraction of a percent.
# These are the counts behind the import profile in docs/PERFORMANCE.md (issues 11 and 15).
#
# Generates synthetic inputs with benchmarks/generate-fhir.py (never real data): RESOURCES
# resources of the typical mix, as NDJSON and as one JSON bundle, and 6,000 resources of the
# first-wave types; imports each into a new store under callgrind (--separate-threads) and prints,
# per build, the instructions of the importing thread (the main thread: it stores, so it is mostly
# SQLite) and of the threads that read and parse the input. With BASELINE set to a git revision,
# that revision is built too (in a temporary worktree) and counted beside this one.
#
#   benchmarks/import-instructions.sh                   # RESOURCES=10000, about 2 minutes
#   BASELINE=40c08ed benchmarks/import-instructions.sh  # beside the phr of that commit
set -euo pipefail
cd "$(dirname "$0")/.."
RESOURCES=${RESOURCES:-10000}
BASELINE=${BASELINE:-}

. benchmarks/release-builds.sh
need valgrind valgrind

work=$(mktemp -d "${TMPDIR:-/tmp}/phr-import-instructions.XXXXXX")
cleanup() {
  remove_baseline
  rm -rf "$work"
}
trap cleanup EXIT
build_phrs
# Copies without debug information: valgrind reads Swift's DWARF slowly, and counts no less.
for i in "${!phrs[@]}"; do
  strip --strip-debug -o "$work/phr-$i" "${phrs[$i]}"
  phrs[$i]="$work/phr-$i"
done

# Counts an import of $2 by the phr $1 into a new store; prints the label $3 and the millions of
# instructions of the importing thread and of all the others.
count() {
  local phr=$1 input=$2 label=$3 who=$4
  rm -f "$work"/store.sqlite* "$work"/callgrind.out*
  "$phr" init --db "$work/store.sqlite" >/dev/null
  PHR_NOW=2026-12-01T10:00:00Z TZ=UTC valgrind --tool=callgrind --separate-threads=yes \
    --callgrind-out-file="$work/callgrind.out" "$phr" import "$input" --db "$work/store.sqlite" \
    >/dev/null 2>"$work/valgrind.log" || { cat "$work/valgrind.log" >&2; exit 1; }
  local importing others threads
  importing=$(awk '/^summary:/ { print $2; exit }' "$work/callgrind.out-01")
  threads=$(find "$work" -maxdepth 1 -name 'callgrind.out-*' ! -name 'callgrind.out-01' | sort)
  # shellcheck disable=SC2086
  others=$(awk '/^summary:/ { sum += $2 } END { print sum + 0 }' /dev/null $threads)
  awk -v label="$label" -v who="$who" -v i="$importing" -v o="$others" 'BEGIN {
    printf "  %-24s %-9s importing thread %6.0f M instructions, parsing threads %6.0f M\n", label, who, i / 1e6, o / 1e6 }'
}

echo "phr import under callgrind ($(valgrind --version))"
python3 benchmarks/generate-fhir.py "$work/typical" --resources "$RESOURCES" | sed 's/^/  input: /'
python3 benchmarks/ndjson-to-bundle.py "$work/typical" "$work/typical-bundle.json" | sed 's/^/  input: /'
python3 benchmarks/generate-fhir.py "$work/stored" --resources 25000 --first-wave | sed 's/^/  input: /'
for input in "typical|typical mix (NDJSON):" "typical-bundle.json|typical mix (one bundle):" "stored|first-wave types:"; do
  for i in "${!phrs[@]}"; do
    count "${phrs[$i]}" "$work/${input%%|*}" "${input#*|}" "${names[$i]}"
  done
done
