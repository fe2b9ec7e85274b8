#!/usr/bin/env bash
# phr import beside chartfold (issue 15: phr at least 5 x faster on the same resources).
#
# chartfold (PyPI, a Python tool patients use to load EHR exports into SQLite) reads a FHIR export
# laid out as MEDITECH writes it: a folder holding "US Core FHIR Resources.json", one Bundle. This
# script installs chartfold $CHARTFOLD_VERSION from PyPI into a virtual environment of its own,
# generates RESOURCES resources of the typical mix with benchmarks/generate-fhir.py (synthetic,
# never real data; three in four are Observations, and every type phr stores), writes them as that
# folder (benchmarks/ndjson-to-bundle.py), and times, side by side in one hyperfine run, each into
# a new database:
#   chartfold load meditech FOLDER --db DB
#   phr import FOLDER/US\ Core\ FHIR\ Resources.json   (the same bundle)
#   phr import NDJSON-FOLDER                            (the same resources as NDJSON, for reference)
# Then the peak memory of each (/usr/bin/time -v) and the ratios. Each tool stores what it maps:
# phr every resource, with its history and search index; chartfold its own tables (it keeps one
# patient and merges what it takes for duplicates).
#
#   benchmarks/chartfold.sh                       # RESOURCES=100000 RUNS=3, about 3 minutes
#   RESOURCES=20000 RUNS=5 benchmarks/chartfold.sh
#
# Needs python3 with venv and network access to PyPI (or its mirror) for chartfold, hyperfine,
# GNU time; about 4 x the input's size of free disk in $TMPDIR.
set -euo pipefail
cd "$(dirname "$0")/.."

RESOURCES=${RESOURCES:-100000}
RUNS=${RUNS:-3}
CHARTFOLD_VERSION=${CHARTFOLD_VERSION:-1.1.0}
BASELINE=
. benchmarks/release-builds.sh
need hyperfine hyperfine
need /usr/bin/time time

work=$(mktemp -d "${TMPDIR:-/tmp}/phr-chartfold-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT
build_phrs
phr=${phrs[0]}

python3 -m venv "$work/venv"
"$work/venv/bin/pip" install --quiet "chartfold==$CHARTFOLD_VERSION"
chartfold="$work/venv/bin/chartfold"

echo "phr import beside chartfold $CHARTFOLD_VERSION ($(nproc) cores; load average $(cut -d' ' -f1-3 /proc/loadavg))"
python3 benchmarks/generate-fhir.py "$work/ndjson" --resources "$RESOURCES" | sed 's/^/  input: /'
mkdir "$work/export"
bundle="$work/export/US Core FHIR Resources.json"
python3 benchmarks/ndjson-to-bundle.py "$work/ndjson" "$bundle" | sed 's/^/  input: /'
echo

# Every run starts from a new database: chartfold's is removed (it makes its own), phr's is made
# with `phr init` (an import needs an existing store).
new_phr_store="rm -f $work/phr.sqlite $work/phr.sqlite-wal $work/phr.sqlite-shm && $phr init --db $work/phr.sqlite"
hyperfine --runs "$RUNS" --style basic --export-json "$work/times.json" --export-markdown "$work/times.md" \
  --command-name "chartfold load meditech (bundle)" \
  --prepare "rm -f $work/chartfold.db $work/chartfold.db-wal $work/chartfold.db-shm" \
  "$chartfold load meditech '$work/export' --db $work/chartfold.db" \
  --command-name "phr import (the same bundle)" --prepare "$new_phr_store" \
  "$phr import '$bundle' --db $work/phr.sqlite" \
  --command-name "phr import (the same resources as NDJSON)" --prepare "$new_phr_store" \
  "$phr import '$work/ndjson' --db $work/phr.sqlite" >/dev/null
cat "$work/times.md"
echo

# Peak memory of one more run of each.
peak() {
  /usr/bin/time -v "$@" 2>&1 >/dev/null | awk -F': ' '/Maximum resident set size/ { printf "%.0f MiB", $2 / 1024 }'
}
rm -f "$work/chartfold.db"*
echo "peak memory: chartfold $(peak "$chartfold" load meditech "$work/export" --db "$work/chartfold.db")," \
  "phr (bundle) $(eval "$new_phr_store" >/dev/null; peak "$phr" import "$bundle" --db "$work/phr.sqlite")," \
  "phr (NDJSON) $(eval "$new_phr_store" >/dev/null; peak "$phr" import "$work/ndjson" --db "$work/phr.sqlite")"
count_rows() {
  local database=$1; shift
  local sum="0"
  for table in "$@"; do sum="$sum + (select count(*) from $table)"; done
  sqlite3 "$database" "select $sum"
}
echo "rows stored: chartfold $(count_rows "$work/chartfold.db" patients encounters conditions lab_results vitals medications procedures immunizations allergies clinical_notes)," \
  "phr $(count_rows "$work/phr.sqlite" patients providers appointments diagnoses records results medications procedures immunizations allergies)"
echo
python3 - "$work/times.json" "$RESOURCES" <<'PY'
import json, sys
results = {r["command"]: r for r in json.load(open(sys.argv[1]))["results"]}
count = int(sys.argv[2])
chartfold = results["chartfold load meditech (bundle)"]["mean"]
for name in ("phr import (the same bundle)", "phr import (the same resources as NDJSON)"):
    mean = results[name]["mean"]
    print(f"{name}: {count / mean:,.0f} resources/s; {chartfold / mean:.2f} x faster than chartfold "
          f"({count / chartfold:,.0f} resources/s) by the mean (target at least 5 x)")
PY
