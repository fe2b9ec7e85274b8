#!/usr/bin/env bash
# How close `phr import` runs to SQLite's own floor for the rows it stores (issue 15 asks for at
# least 50,000 resources/s, and 5 x chartfold's speed).
#
# Builds phr in release mode, generates the typical 100,000 resources (benchmarks/generate-fhir.py,
# synthetic), imports them into a new store, and takes that store's rows as what an import must
# write. Then, in each of ROUNDS rounds (default 3), one after the other:
#   phr import   the resources into a new store (`phr init` beforehand, untimed);
#   SQLite, rows SQLite alone (benchmarks/sqlite-floor.c, C against the same libsqlite3) writing
#                the finished store's rows into a new store made by `phr init`: one INSERT per
#                row, prepared once, in one transaction, with phr's settings for an import (WAL,
#                synchronous = FULL, a 24 MiB page cache), the insert triggers and the results'
#                listing indexes set aside and built at the end from the finished tables, as phr
#                does; less the time it takes to read those rows (measured on its own, `read`);
#   SQLite, bulk the same with one INSERT ... SELECT per table: below what any importer can do
#                (the rows come sorted by their keys, and SQLite copies a table into an empty one
#                of the same shape record by record).
# Prints each one's median, the floor's steps, and the resources/s each would give. phr parses
# the JSON on other threads: its importing thread does SQLite's work and binds the values.
#
#   benchmarks/import-floor.sh                # RESOURCES=100000 ROUNDS=3
#
# Needs a C compiler (cc, or the Swift toolchain's clang, as .ci/run), libsqlite3-dev (which phr's
# build needs too) and about 1 GB of free disk in $TMPDIR.
set -euo pipefail
cd "$(dirname "$0")/.."

RESOURCES=${RESOURCES:-100000}
ROUNDS=${ROUNDS:-3}
BASELINE=
. benchmarks/release-builds.sh
need /usr/bin/time time
need python3 python3
need sqlite3 sqlite3

work=$(mktemp -d "${TMPDIR:-/tmp}/phr-import-floor.XXXXXX")
trap 'rm -rf "$work"' EXIT
build_phrs
phr=${phrs[0]}
cc=$(command -v cc || command -v clang || echo "$(dirname "$(command -v swift)")/clang")
"$cc" -O2 -Wall -o "$work/sqlite-floor" benchmarks/sqlite-floor.c -lsqlite3

echo "phr import beside SQLite alone writing the same rows ($(nproc) cores; load average $(cut -d' ' -f1-3 /proc/loadavg))"
python3 benchmarks/generate-fhir.py "$work/typical" --resources "$RESOURCES" | sed 's/^/  input: /'
"$phr" init --db "$work/finished.sqlite" >/dev/null
"$phr" import "$work/typical" --db "$work/finished.sqlite" >/dev/null

# The tables an import wrote, parents before children; the SQL around the copy, written from the
# finished store's own schema (its insert triggers, search triggers and listing indexes).
python3 - "$work/finished.sqlite" "$work" <<'PY'
import re, sqlite3, sys
store, work = sys.argv[1], sys.argv[2]
db = sqlite3.connect(store)
order = ["changes", "patients", "settings", "providers", "diagnoses", "files", "file_chunks",
         "file_texts", "records", "appointments", "opinions", "results", "procedures",
         "immunizations", "allergies", "medications", "family_history", "import_sources", "history"]
names = {name for (name,) in db.execute("SELECT name FROM sqlite_schema WHERE type = 'table'")}
unknown = sorted(name for name in names
                 if not name.startswith(("sqlite_", "search_index")) and name not in order
                 and db.execute(f'SELECT EXISTS (SELECT 1 FROM "{name}")').fetchone()[0]
                 and name != "schema_migrations")
if unknown:
    sys.exit(f"import-floor.sh: the import wrote tables this script does not copy: {', '.join(unknown)}")
tables = [name for name in order if name in names
          and db.execute(f'SELECT EXISTS (SELECT 1 FROM "{name}")').fetchone()[0]]
setup = ["PRAGMA foreign_keys = ON;", "PRAGMA temp_store = MEMORY;", "PRAGMA synchronous = FULL;",
         "PRAGMA cache_size = -24576;", "BEGIN IMMEDIATE;"]
finish = []
triggers = db.execute("SELECT name, tbl_name, sql FROM sqlite_schema WHERE type = 'trigger' "
                      "AND name LIKE '%\\_insert' ESCAPE '\\' ORDER BY rowid").fetchall()
for name, table, sql in triggers:
    if table not in tables:
        continue
    setup.append(f'DROP TRIGGER "{name}";')
    # A search trigger's VALUES, read from every row at the end (file_texts' trigger re-indexes
    # records, whose own statement already reads their files' text).
    if name.endswith("_search_insert") and table != "file_texts":
        m = re.search(r"INSERT INTO search_index \(([^)]*)\)\s*VALUES \((.*)\);\s*END\s*$", sql, re.S)
        if not m:
            sys.exit(f"import-floor.sh: cannot read the search trigger {name}")
        finish.append(f"INSERT INTO search_index ({m.group(1)}) SELECT {m.group(2).replace('NEW.', '')} FROM \"{table}\";")
for index in ["results_by_patient", "results_by_name", "results_by_code"]:
    (sql,) = db.execute("SELECT sql FROM sqlite_schema WHERE name = ?", (index,)).fetchone()
    setup.append(f"DROP INDEX {index};")
    finish.append(sql + ";")
finish += [sql + ";" for name, table, sql in triggers if table in tables]
open(f"{work}/tables", "w").write(" ".join(tables) + "\n")
open(f"{work}/setup.sql", "w").write("\n".join(setup) + "\n")
open(f"{work}/finish.sql", "w").write("\n".join(finish + ["COMMIT;"]) + "\n")
open(f"{work}/read-finish.sql", "w").write("ROLLBACK;\n")
PY
read -ra tables <"$work/tables"
resources=$(sqlite3 "$work/finished.sqlite" "SELECT count(*) FROM import_sources WHERE kind = 'resource'")

new_store() {
  rm -f "$work"/new.sqlite*
  "$phr" init --db "$work/new.sqlite" >/dev/null
}

# One round of MODE: the floor's steps, "table seconds" a line, into $work/MODE.N.
floor_once() {
  local mode=$1 round=$2 finish=$work/finish.sql
  [ "$mode" = read ] && finish=$work/read-finish.sql
  new_store
  "$work/sqlite-floor" "$mode" "$work/new.sqlite" "$work/finished.sqlite" "$work/setup.sql" "$finish" \
    "${tables[@]}" 2>"$work/$mode.$round" || { cat "$work/$mode.$round" >&2; exit 1; }
}

for round in $(seq 1 "$ROUNDS"); do
  new_store
  /usr/bin/time -f "%e" -o "$work/phr.$round.time" "$phr" import "$work/typical" --db "$work/new.sqlite" >/dev/null \
    || { echo "import-floor.sh: phr import failed" >&2; exit 1; }
  echo "total $(cat "$work/phr.$round.time")" >"$work/phr.$round"
  floor_once rows "$round"
  floor_once read "$round"
  floor_once bulk "$round"
done

# The median of one step of MODE over the rounds.
median() {
  local mode=$1 step=$2
  for round in $(seq 1 "$ROUNDS"); do awk -v s="$step" '$1 == s { print $2 }' "$work/$mode.$round"; done | sort -n |
    awk '{ v[NR] = $1 } END { if (NR == 0) print 0; else print (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2) }'
}

phr_s=$(median phr total)
rows_s=$(median rows total)
read_s=$(median read total)
bulk_s=$(median bulk total)
echo "  $resources resources, medians of $ROUNDS rounds:"
awk -v n="$resources" -v p="$phr_s" -v r="$rows_s" -v rd="$read_s" -v b="$bulk_s" 'BEGIN {
  w = r - rd
  printf "  %-44s %6.2f s  %7.0f resources/s\n", "phr import (JSON read and parsed too)", p, n / p
  printf "  %-44s %6.2f s  %7.0f resources/s  (%.2f s, less %.2f s reading)\n", "SQLite alone, one INSERT per row", w, n / w, r, rd
  printf "  %-44s %6.2f s  %7.0f resources/s\n", "SQLite alone, INSERT ... SELECT per table", b, n / b
  printf "  phr / SQLite alone: %.2f x one row at a time, %.2f x by table\n", p / w, p / b
}'
echo "  SQLite alone, one INSERT per row, by step (median s; reading not taken off):"
for step in "${tables[@]}" finish close; do
  printf '    %-16s %6.3f\n' "$step" "$(median rows "$step")"
done
