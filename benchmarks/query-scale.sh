#!/usr/bin/env bash
# Queries at scale (issue 15): `phr result trend`, `timeline --since`, `search` and
# `appointment list --upcoming` each within 1.3 x of the sqlite3 shell running the same SQL, and at
# most 2 x slower in a store of 1,000,000 results than in one of 10,000 (indexes, no full scans).
#
# Design. "2 x slower at 1,000,000 rows" is about what a bigger store costs a query whose answer is
# the same, so the two stores hold the same recent year and differ only in how much history lies
# before it. Both are one patient's (the worst case for per-patient queries), written by
# benchmarks/generate-fhir.py (synthetic, never real data):
#   - the recent batch: 13,300 resources (about 10,000 results, 800 appointments, 800 records)
#     dated in 2026 (--years 2026-2026), every document titled with the word Recentmarker;
#   - the history batch: (SCALE - 10,000) x 1.33 resources (1,316,700 for SCALE=1000000) dated
#     1926-2025, the same density per year as the recent batch, for 100 years. It has the same
#     seed and --patients 1, so its Patient resource is the recent batch's byte for byte, and
#     --id-prefix h gives every other resource (and the practitioners' NPIs) ids of its own.
# The small store is `phr init` + `phr import RECENT`; the large store is a copy of it +
# `phr import HISTORY` (so: init, import recent, import history), checked to still have one
# patient, whose row the second import left as it was (its report counts the Patient as merged,
# "updated": found from another folder by its identifier, its content agreeing). The recent rows have the same row ids in
# both stores, so the commands below, which only ask about 2026, should print the same answer in
# both (the script compares phr's JSON output); whatever grows is the history they should not read.
#
# The clock is pinned inside the recent year (PHR_NOW=2026-06-15T12:00:00+00:00, TZ=UTC,
# COLUMNS=80). The commands:
#   trend           phr result trend Hemoglobin --since 2026-01-01
#   timeline        phr timeline --since 2026-05-16
#   search-recent   phr search Recentmarker     (only recent documents match: same matches)
#   search-common   phr search Glucose          (matches grow with history: 100 x the Glucose
#                                               results; reported, but not a same-answer query)
#   upcoming        phr appointment list --upcoming  (only the recent batch has future appointments)
# For each, hyperfine times phr beside `sqlite3 STORE` reading the statements phr runs for it, in
# order, with the same values bound (written out below from the Swift functions they come from:
# when those change, change them here; output to /dev/null for both). The rows of the answer are
# counted both ways: phr's from its `--format json` output, sqlite3's from one statement that
# returns the answer. phr's start-up
# alone (`phr --version`) and sqlite3's (`SELECT 1`) are timed too: they dominate the small store.
# Last, the query plans of every statement in the large store, full scans and reads of a whole
# history (an index searched by patient alone, or by patient and name without a date) marked, and
# the table: rows, mean times, phr / sqlite3, and large / small for both.
#
#   benchmarks/query-scale.sh                        # about 1,000,000 results in the large store
#   SCALE=100000 benchmarks/query-scale.sh           # quicker: about 100,000
#   KEEP_STORES=1 benchmarks/query-scale.sh          # keep the stores, and reuse them next time
#   PHR=.build/release/phr benchmarks/query-scale.sh # this phr, not built here
#
# RUNS (20) and WARMUP (3) set hyperfine's runs; a phr command that takes over a second once is run
# SLOW_RUNS (5) times after one warm-up. KEEP_STORES keeps the stores in
# ${TMPDIR:-/tmp}/phr-query-scale (or in the folder it names, when it is a path), by size and SEED,
# reused as they are: remove them when phr's schema or import, or the generator, changes.
# For SCALE=1000000 the history takes about 1 min to generate and 5-6 min to import, 1.7 GiB of
# disk (about 5 GiB free in $TMPDIR while it is made: input, store, write-ahead log).
set -euo pipefail
cd "$(dirname "$0")/.."
. benchmarks/release-builds.sh

SCALE=${SCALE:-1000000}
SMALL=10000 # results in the recent batch (13,300 resources)
RUNS=${RUNS:-20}
WARMUP=${WARMUP:-3}
SLOW_RUNS=${SLOW_RUNS:-5}
SEED=${SEED:-1}
KEEP_STORES=${KEEP_STORES:-}
PHR=${PHR:-}
if [ "$SCALE" -le "$SMALL" ]; then echo "SCALE must be over $SMALL" >&2; exit 2; fi

export TZ=UTC COLUMNS=80 PHR_NOW=2026-06-15T12:00:00+00:00
RECENT_YEARS=2026-2026
HISTORY_YEARS=1926-2025
SINCE=2026-05-16       # timeline --since: 30 days before PHR_NOW
TREND_SINCE=2026-01-01 # result trend --since
TREND_NAME=Hemoglobin
MARKER=Recentmarker    # in the recent batch's document titles only
COMMON_WORD=Glucose
NOW_EPOCH=$(date -u -d "$PHR_NOW" +%s)
# Timeline reads diagnoses, appointments and records from the start of the since-year (appointments
# from the day before it begins in UTC, HealthStore.dayBefore); results, procedures, medications and
# immunizations from the since-date itself (DayRange).
SINCE_YEAR=${SINCE:0:4}
YEAR_EPOCH=$(($(date -u -d "$SINCE_YEAR-01-01" +%s) - 86400))

missing=()
command -v hyperfine >/dev/null || missing+=(hyperfine)
command -v sqlite3 >/dev/null || missing+=(sqlite3)
if [ ${#missing[@]} -gt 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq "${missing[@]}"
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/phr-query-bench.XXXXXX")
if [ -n "$KEEP_STORES" ]; then
  stores=$KEEP_STORES
  [ "$KEEP_STORES" = 1 ] && stores=${TMPDIR:-/tmp}/phr-query-scale
  mkdir -p "$stores"
else
  stores=$work
fi
cleanup() { rm -rf "$work"; }
trap cleanup EXIT

if [ -z "$PHR" ]; then
  release_build --product phr >"$work/build.log" 2>&1 || { cat "$work/build.log" >&2; exit 1; }
  PHR="$(release_build --show-bin-path)/phr"
fi
PHR=$(realpath "$PHR")
load() { cut -d' ' -f1-3 /proc/loadavg; }

recent_resources=$((SMALL * 133 / 100))
history_resources=$(((SCALE - SMALL) * 133 / 100))
small_store=$stores/store-recent-$recent_resources-seed$SEED.sqlite
large_store=$stores/store-recent-$recent_resources+history-$history_resources-seed$SEED.sqlite

# Generates batch $1 (recent or history) into folder $2.
generate() {
  local started
  started=$(date +%s)
  if [ "$1" = recent ]; then
    python3 benchmarks/generate-fhir.py "$2" --resources "$recent_resources" --seed "$SEED" --patients 1 \
      --years "$RECENT_YEARS" --marker "$MARKER"
  else
    python3 benchmarks/generate-fhir.py "$2" --resources "$history_resources" --seed "$SEED" --patients 1 \
      --years "$HISTORY_YEARS" --id-prefix h
  fi | sed 's/^/  input: /'
  echo "  generated in $(($(date +%s) - started)) s"
}

# Imports folder $1 into store $2, printing the Patient and Total lines of phr's report.
import_batch() {
  local started
  started=$(date +%s)
  "$PHR" import "$1" --db "$2" >"$work/import.txt"
  grep -E '^  (Resource type|Patient|Total)|^Merged' "$work/import.txt" | sed 's/^ */  import: /'
  echo "  imported in $(($(date +%s) - started)) s (load average $(load))"
  sqlite3 "$2" 'PRAGMA wal_checkpoint(TRUNCATE)' >/dev/null
}

# Each store is renamed into place only once it is complete, so an interrupted run leaves nothing
# to reuse.
echo "phr queries at scale ($(nproc) cores; load average $(load)); PHR_NOW=$PHR_NOW"
echo "  phr: $PHR ($("$PHR" --version)); $(sqlite3 --version | cut -d' ' -f1-2 | sed 's/^/sqlite3 /'); $(hyperfine --version)"
echo "small store (the recent batch, $RECENT_YEARS):"
if [ -f "$small_store" ]; then
  echo "  reusing $small_store"
else
  generate recent "$work/recent"
  rm -f "$work"/new.sqlite*
  "$PHR" init --db "$work/new.sqlite" >/dev/null
  import_batch "$work/recent" "$work/new.sqlite"
  rm -rf "$work/recent"
  mv "$work/new.sqlite" "$small_store"
fi
echo "large store (the same recent batch, then a history batch, $HISTORY_YEARS):"
if [ -f "$large_store" ]; then
  echo "  reusing $large_store"
else
  generate history "$work/history"
  rm -f "$work"/new.sqlite*
  cp "$small_store" "$work/new.sqlite"
  import_batch "$work/history" "$work/new.sqlite"
  rm -rf "$work/history"
  # Still one patient, and the second import did not change its row.
  patients=$(sqlite3 "$work/new.sqlite" 'SELECT count(*) FROM patients')
  if [ "$patients" != 1 ] || [ "$(sqlite3 "$work/new.sqlite" 'SELECT * FROM patients')" != "$(sqlite3 "$small_store" 'SELECT * FROM patients')" ]; then
    echo "the history import made $patients patients, or changed the patient's row" >&2
    exit 1
  fi
  echo "  one patient, its row as the recent import left it"
  mv "$work/new.sqlite" "$large_store"
fi
for store in "$small_store" "$large_store"; do
  sqlite3 "$store" "SELECT '  ' || (SELECT count(*) FROM patients) || ' patient, ' || (SELECT count(*) FROM providers) || ' providers, '
    || (SELECT count(*) FROM results) || ' results, ' || (SELECT count(*) FROM appointments) || ' appointments, '
    || (SELECT count(*) FROM records) || ' records, ' || (SELECT count(*) FROM diagnoses) || ' diagnoses, '
    || (SELECT count(*) FROM search_index) || ' search entries; results '
    || (SELECT min(substr(observed_at, 1, 10)) || ' to ' || max(substr(observed_at, 1, 10)) FROM results)"
  echo "  $(du -h "$store" | cut -f1) on disk: $store"
done

# --- The statements phr runs for each command, for `sqlite3 STORE` (P is the store's patient). ---
# Written as phr writes them, with `?` for each value it binds: the shell binds the values set
# with `.parameter set ?N VALUE` just before (SQLite plans a statement before its values are bound,
# and plans literals differently: `patient_id = 1` written in both arms of an OR becomes one
# term, and then it reads all the patient's rows).
# Each is added to $work/sql/QUERY.sql, the file sqlite3 reads, and to $work/sql/QUERY.plans/ for
# its plan; QUERY.answer.sql returns the rows phr prints.

RESULT_COLUMNS="id, uuid, patient_id, category, name, code, code_system, value_type, value_number, value_comparator,
  value_unit, value_code, value_code_system, value_text, detail, reference_low, reference_high, reference_text,
  interpretation, observed_at, status, provider_id, diagnosis_id, record_id, parent_id, notes, source_notes, created_at, updated_at"
RESULT_ORDER="ORDER BY observed_at, id"
APPOINTMENT_COLUMNS="id, uuid, patient_id, provider_id, starts_at, duration_minutes, location, purpose, reason,
  diagnosis_id, status, insurance_status, insurance_reference, notes, created_at, updated_at"
PROVIDER_COLUMNS="id, uuid, kind, name, specialty, organization, phone, email, address, identifier, notes, created_at, updated_at"
DIAGNOSIS_COLUMNS="id, uuid, patient_id, description, code, code_system, diagnosed_on, provider_id, status, stage, notes,
  kind, created_at, updated_at"
PATIENT_COLUMNS="id, uuid, name, birth_date, sex, phone, email, address, notes, created_at, updated_at,
  (SELECT json_group_array(json_array(organization, value)) FROM (SELECT organization, value
   FROM patient_record_numbers WHERE patient_id = patients.id ORDER BY organization COLLATE NOCASE)) AS record_numbers"
RECORD_COLUMNS="r.id, r.uuid, r.patient_id, r.kind, r.title, r.recorded_on, r.provider_id, r.notes, r.created_at,
  r.updated_at, r.file_id, r.original_name, r.media_type, r.referenced_at, f.size, f.sha256,
  (SELECT group_concat(diagnosis_id) FROM (SELECT diagnosis_id FROM record_diagnoses
   WHERE record_id = r.id ORDER BY diagnosis_id)) AS diagnosis_ids"

# begin QUERY: starts QUERY's files, with the statements of `--patient P` (Lookup.patient: every
# patient by name, then the one chosen). stmt NAME VALUE...: adds the statement on standard input,
# its `?`s bound to the VALUEs (SQL literals: 1, "'text'", "char(2)", NULL). answer: the statement
# on standard input returns the rows phr prints (values written in).
begin() {
  query=$1
  : >"$work/sql/$query.sql"
  rm -rf "$work/sql/$query.plans"
  mkdir -p "$work/sql/$query.plans"
  stmt patients <<<"SELECT $PATIENT_COLUMNS FROM patients ORDER BY name COLLATE NOCASE, id"
  stmt patient "$P" <<<"SELECT $PATIENT_COLUMNS FROM patients WHERE id = ?"
}
stmt() {
  local name=$1 text n i=1 value
  shift
  text=$(cat)
  for value in "$@"; do
    value=${value//\\/\\\\}
    printf '.parameter set ?%d "%s"\n' "$i" "${value//\"/\\\"}" >>"$work/sql/$query.sql"
    i=$((i + 1))
  done
  printf '%s;\n' "$text" >>"$work/sql/$query.sql"
  n=$(find "$work/sql/$query.plans" -type f | wc -l)
  printf '%s\n' "$text" >"$work/sql/$query.plans/$(printf %02d "$n")-$name.sql"
}
answer() { cat >"$work/sql/$query.answer.sql"; }

write_sql() {
  local store=$1
  P=$(sqlite3 "$store" 'SELECT min(id) FROM patients')
  mkdir -p "$work/sql"

  # `phr result trend NAME --since DATE` (ResultTrendCommand): HealthStore.results(patientID:_:)
  # (Sources/PHRStore/Entities/ClinicalResult.swift) with ResultFilter(nameOrCode:, since:). (Only
  # when that finds nothing, one more with limit 1 and no date, to tell a mistyped name.)
  begin trend
  stmt by-name-or-code-since "$P" "'$TREND_SINCE'" "'$TREND_NAME'" "$P" "'$TREND_SINCE'" "'$TREND_NAME'" <<SQL
SELECT $RESULT_COLUMNS FROM results
WHERE ((patient_id = ? AND observed_at >= ? AND name = ? COLLATE NOCASE) OR (patient_id = ? AND observed_at >= ? AND code = ?))
$RESULT_ORDER
SQL
  answer <<SQL
SELECT id FROM results WHERE patient_id = $P AND observed_at >= '$TREND_SINCE'
  AND (name = '$TREND_NAME' COLLATE NOCASE OR code = '$TREND_NAME')
SQL

  # `phr timeline --since DATE`: HealthStore.timeline(patientID:diagnosisID:since:)
  # (Sources/PHRStore/Workflow/Timeline.swift), statement by statement: every provider (for
  # names); the patient's diagnosis reviews and decisions; medical diagnoses, appointments,
  # records from the start of the since-year; results, procedures, medications and immunizations
  # from DATE (DayRange: a date known to its month or year that reaches DATE too)
  # (the diagnoses reviewed or decided on since, by id; the parts of the results shown, by the
  # ids of those on or after DATE); opinions, transfers, packets, questions and allergies whole.
  # The exact cut at DATE is made in Swift at the end.
  local parents
  parents=$(sqlite3 "$store" "SELECT json_group_array(id) FROM results
    WHERE patient_id = $P AND observed_at >= '$SINCE' AND parent_id IS NULL AND status <> 'entered-in-error'")
  begin timeline
  stmt providers <<<"SELECT $PROVIDER_COLUMNS FROM providers ORDER BY name COLLATE NOCASE, id"
  stmt diagnosis-reviews "$P" <<SQL
SELECT diagnosis_id, original_doctor_told_on, treatment_planned_on, treatment_started_on, notes FROM diagnosis_reviews
WHERE (SELECT patient_id FROM diagnoses WHERE id = diagnosis_reviews.diagnosis_id) = ?
SQL
  stmt decisions "$P" <<SQL
SELECT id, uuid, diagnosis_id, treatment, decided_on, notes, created_at, updated_at,
  (SELECT group_concat(opinion_id) FROM (SELECT opinion_id FROM decision_opinions
   WHERE decision_id = decisions.id ORDER BY opinion_id)) AS opinion_ids
FROM decisions WHERE (SELECT patient_id FROM diagnoses WHERE id = decisions.diagnosis_id) = ?
ORDER BY decided_on, id
SQL
  stmt diagnoses-since-year "$P" "'$SINCE_YEAR'" <<SQL
SELECT $DIAGNOSIS_COLUMNS FROM diagnoses WHERE patient_id = ? AND diagnosed_on >= ?
ORDER BY diagnosed_on IS NULL, diagnosed_on, id
SQL
  # (Those reviewed or decided on, not diagnosed since: none in these stores.)
  stmt diagnoses-named "'[]'" <<<"SELECT $DIAGNOSIS_COLUMNS FROM diagnoses WHERE id IN (SELECT value FROM json_each(?))"
  stmt appointments-since-year "$P" "$YEAR_EPOCH" <<SQL
SELECT $APPOINTMENT_COLUMNS FROM appointments WHERE patient_id = ? AND starts_at_epoch >= ?
ORDER BY starts_at_epoch IS NULL, starts_at_epoch, id
SQL
  stmt opinion-history "$P" NULL NULL NULL NULL <<SQL
SELECT o.*, d.*, p.* FROM opinions o JOIN diagnoses d ON d.id = o.diagnosis_id JOIN providers p ON p.id = o.provider_id
WHERE d.patient_id = ? AND (? IS NULL OR o.diagnosis_id = ?) AND (? IS NULL OR o.provider_id = ?)
ORDER BY d.diagnosed_on IS NULL, d.diagnosed_on, d.id, o.given_on, o.id
SQL
  stmt records-since-year "$P" "'$SINCE_YEAR'" <<SQL
SELECT $RECORD_COLUMNS FROM records r LEFT JOIN files f ON f.id = r.file_id
WHERE r.patient_id = ? AND r.recorded_on >= ? ORDER BY r.recorded_on IS NULL, r.recorded_on, r.id
SQL
  stmt transfers "$P" <<SQL
SELECT * FROM transfers WHERE (SELECT patient_id FROM records WHERE id = transfers.record_id) = ? ORDER BY occurred_on, id
SQL
  stmt packets "$P" NULL NULL <<SQL
SELECT e.*, (SELECT group_concat(record_id) FROM (SELECT record_id FROM export_records WHERE export_id = e.id
  ORDER BY position)) AS record_ids, (SELECT group_concat(result_id) FROM (SELECT result_id FROM export_results
  WHERE export_id = e.id ORDER BY result_id)) AS result_ids
FROM exports e WHERE e.patient_id = ? AND (? IS NULL OR e.provider_id = ?) ORDER BY e.exported_at, e.id
SQL
  stmt questions "$P" <<<"SELECT * FROM questions q WHERE patient_id = ? ORDER BY id"
  stmt results-since "$P" "'$SINCE_YEAR'" "char(1114111)" "'$SINCE'" <<SQL
SELECT $RESULT_COLUMNS FROM results WHERE patient_id = ? AND (observed_at >= ? AND (observed_at || ?) >= ?) AND parent_id IS NULL
$RESULT_ORDER
SQL
  stmt result-parts "'$parents'" <<SQL
SELECT $RESULT_COLUMNS FROM results WHERE parent_id IN (SELECT value FROM json_each(?))
$RESULT_ORDER
SQL
  stmt procedures-since "$P" "'$SINCE_YEAR'" "char(1114111)" "'$SINCE'" <<SQL
SELECT id, uuid, patient_id, name, code, code_system, category, performed_on, performed_until, provider_id, body_site,
  diagnosis_id, outcome, status, notes, created_at, updated_at
FROM procedures WHERE patient_id = ? AND performed_on IS NOT NULL AND (coalesce(performed_until, performed_on) >= ?
  AND (coalesce(performed_until, performed_on) || ?) >= ?)
ORDER BY performed_on, id
SQL
  stmt medications-since "$P" "'$SINCE_YEAR'" "char(1114111)" "'$SINCE'" "'$SINCE_YEAR'" "char(1114111)" "'$SINCE'" <<SQL
SELECT id, uuid, patient_id, name, code, code_system, dose, route, frequency, instructions, started_on, ended_on, status,
  provider_id, diagnosis_id, notes, created_at, updated_at
FROM medications WHERE patient_id = ? AND ((started_on >= ? AND (started_on || ?) >= ?) OR (ended_on >= ? AND (ended_on || ?) >= ?))
ORDER BY started_on IS NOT NULL, started_on, id
SQL
  stmt immunizations-since "$P" "'$SINCE_YEAR'" "char(1114111)" "'$SINCE'" <<SQL
SELECT id, uuid, patient_id, vaccine, code, code_system, given_on, status, notes, created_at, updated_at
FROM immunizations WHERE patient_id = ? AND (given_on >= ? AND (given_on || ?) >= ?) ORDER BY given_on, id
SQL
  stmt allergies "$P" 0 <<SQL
SELECT id, uuid, patient_id, entry, substance, substance_code, substance_code_system, type, category, criticality,
  reaction, severity, status, recorded_on, notes, created_at, updated_at
FROM allergies WHERE patient_id = ? AND (? = 0 OR status = 'active') ORDER BY id
SQL
  # The timeline's entries in one statement (for the row count): each kind on or after DATE, as
  # dated text compares (a wall-clock date is the first 10 characters).
  answer <<SQL
SELECT day, kind, id FROM (
  SELECT diagnosed_on AS day, 'diagnosis' AS kind, id FROM diagnoses
   WHERE patient_id = $P AND kind <> 'social-finding' AND diagnosed_on >= '$SINCE'
  UNION ALL SELECT substr(starts_at, 1, 10), 'appointment', id FROM appointments
   WHERE patient_id = $P AND starts_at_epoch >= $YEAR_EPOCH AND substr(starts_at, 1, 10) >= '$SINCE'
  UNION ALL SELECT recorded_on, 'record', id FROM records WHERE patient_id = $P AND recorded_on >= '$SINCE'
  UNION ALL SELECT substr(observed_at, 1, 10), 'result', id FROM results
   WHERE patient_id = $P AND parent_id IS NULL AND observed_at >= '$SINCE'
  UNION ALL SELECT substr(performed_on, 1, 10), 'procedure', id FROM procedures WHERE patient_id = $P AND performed_on >= '$SINCE'
  UNION ALL SELECT started_on, 'medication', id FROM medications WHERE patient_id = $P AND started_on >= '$SINCE'
  UNION ALL SELECT ended_on, 'medication', id FROM medications WHERE patient_id = $P AND ended_on >= '$SINCE'
  UNION ALL SELECT substr(given_on, 1, 10), 'immunization', id FROM immunizations WHERE patient_id = $P AND given_on >= '$SINCE'
  UNION ALL SELECT recorded_on, 'allergy', id FROM allergies WHERE patient_id = $P AND recorded_on >= '$SINCE'
)
SQL

  # `phr search WORD`: HealthStore.search(patientID:_:) (Sources/PHRStore/Search/Search.swift), with
  # SearchCommand's marks (\u{2}, \u{3}), its default limit of 50 and the word as a prefix ("word"*).
  local word search_sql
  search_sql="SELECT kind, item_id, on_date, highlight(search_index, 4, ?1, ?2) AS title, search_index.title AS stored_title,
       snippet(search_index, -1, ?1, ?2, '…', 16) AS snippet,
       bm25(search_index, 0, 0, 0, 0, 10.0, 1.0) AS rank
FROM search_index
WHERE search_index MATCH ?3 AND patient_id = ?4
ORDER BY rank, kind, item_id LIMIT ?5"
  for query in search-recent search-common; do
    word=$MARKER
    [ "$query" = search-common ] && word=$COMMON_WORD
    begin "$query"
    stmt match "char(2)" "char(3)" "'\"$word\"*'" "$P" 50 <<<"$search_sql"
    answer <<SQL
SELECT item_id FROM search_index WHERE search_index MATCH '"$word"*' AND patient_id = $P
ORDER BY bm25(search_index, 0, 0, 0, 0, 10.0, 1.0), kind, item_id LIMIT 50
SQL
    # Every match, before the limit of 50: bm25 ranks them all.
    sqlite3 "$store" "SELECT count(*) FROM search_index WHERE search_index MATCH '\"$word\"*' AND patient_id = $P" \
      >"$work/sql/$query.matches"
  done

  # `phr appointment list --upcoming`: HealthStore.appointments(patientID:_:)
  # (Sources/PHRStore/Entities/Appointment.swift) with AppointmentFilter(from: now, statuses:
  # [.scheduled]), then AppointmentCommand.listing: the providers and diagnoses they name, by id.
  local upcoming="patient_id = $P AND starts_at_epoch >= $NOW_EPOCH AND status IN ('scheduled')" providers named_diagnoses
  providers=$(sqlite3 "$store" "SELECT json_group_array(DISTINCT provider_id) FROM appointments WHERE $upcoming")
  named_diagnoses=$(sqlite3 "$store" "SELECT json_group_array(DISTINCT diagnosis_id) FROM appointments
    WHERE $upcoming AND diagnosis_id IS NOT NULL")
  begin upcoming
  stmt appointments "$P" "$NOW_EPOCH" "'scheduled'" <<SQL
SELECT $APPOINTMENT_COLUMNS FROM appointments WHERE patient_id = ? AND starts_at_epoch >= ? AND status IN (?)
ORDER BY starts_at_epoch IS NULL, starts_at_epoch, id
SQL
  stmt providers-named "'$providers'" <<<"SELECT $PROVIDER_COLUMNS FROM providers WHERE id IN (SELECT value FROM json_each(?))"
  stmt diagnoses-named "'$named_diagnoses'" <<<"SELECT $DIAGNOSIS_COLUMNS FROM diagnoses WHERE id IN (SELECT value FROM json_each(?))"
  answer <<<"SELECT id FROM appointments WHERE $upcoming"
}

# The phr command line of each query (hyperfine runs it without a shell; paths are quoted).
phr_args() {
  case $1 in
    trend) echo "result trend $TREND_NAME --since $TREND_SINCE --patient $P" ;;
    timeline) echo "timeline --since $SINCE --patient $P" ;;
    search-recent) echo "search $MARKER --patient $P" ;;
    search-common) echo "search $COMMON_WORD --patient $P" ;;
    upcoming) echo "appointment list --upcoming --patient $P" ;;
  esac
}
queries=(trend timeline search-recent search-common upcoming)

# Times phr against `sqlite3 STORE '.read QUERY.sql'` for query $2 in store $1 (labelled $3), and
# appends "query scale results phr_rows sqlite_rows matches phr_ms sqlite_ms runs statements" to
# table.tsv.
measure() {
  local store=$1 query=$2 scale=$3 results
  results=$(sqlite3 "$store" 'SELECT count(*) FROM results')
  local phr_cmd sqlite_cmd phr_rows sqlite_rows matches=- runs=$RUNS warmup=$WARMUP started elapsed_ms statements
  phr_cmd="'$PHR' $(phr_args "$query") --db '$store'"
  sqlite_cmd="sqlite3 '$store' '.read $work/sql/$query.sql'"
  sqlite_rows=$(sqlite3 "$store" "SELECT count(*) FROM ($(cat "$work/sql/$query.answer.sql"))")
  [ -f "$work/sql/$query.matches" ] && matches=$(cat "$work/sql/$query.matches")
  statements=$(find "$work/sql/$query.plans" -type f | wc -l)
  # One untimed run of each: phr's JSON output gives its rows (and is kept to compare the two
  # stores); a slow phr command gets fewer runs.
  started=$(date +%s%N)
  eval "$phr_cmd --format json" >"$work/out/$query-$scale.json"
  elapsed_ms=$((($(date +%s%N) - started) / 1000000))
  phr_rows=$(python3 -c 'import json, sys; print(len(json.load(open(sys.argv[1]))))' "$work/out/$query-$scale.json")
  eval "$sqlite_cmd" >/dev/null
  if [ "$elapsed_ms" -gt 1000 ]; then runs=$SLOW_RUNS warmup=1; fi
  echo "  $query: phr $(phr_args "$query"); $statements statements; rows: phr $phr_rows, sqlite3 $sqlite_rows$([ "$matches" = - ] || echo "; $matches matches"); $runs runs; load average $(load)"
  [ "$phr_rows" = "$sqlite_rows" ] || echo "    ROWS DIFFER: phr $phr_rows, sqlite3 $sqlite_rows"
  hyperfine -N --style basic --warmup "$warmup" --runs "$runs" --export-json "$work/json/$query-$scale.json" \
    -n phr "$phr_cmd" -n sqlite3 "$sqlite_cmd" | grep -E 'Time|Range' | sed 's/^ */    /'
  python3 - "$work/json/$query-$scale.json" "$query" "$scale" "$results" "$phr_rows" "$sqlite_rows" "$matches" "$runs" "$statements" \
    >>"$work/table.tsv" <<'PY'
import json, sys
path, query, scale, results, phr_rows, sqlite_rows, matches, runs, statements = sys.argv[1:]
means = {r["command"]: r["mean"] * 1000 for r in json.load(open(path))["results"]}
print(query, scale, results, phr_rows, sqlite_rows, matches, f"{means['phr']:.1f}", f"{means['sqlite3']:.1f}", runs, statements, sep="\t")
PY
}

mkdir -p "$work/json" "$work/out"
: >"$work/table.tsv"
echo "start-up alone:"
hyperfine -N --style basic --warmup "$WARMUP" --runs "$RUNS" --export-json "$work/json/startup.json" \
  -n "phr --version" "'$PHR' --version" \
  -n "sqlite3 SELECT 1" "sqlite3 '$small_store' 'SELECT 1'" | grep -E 'Benchmark|Time' | sed 's/^ */  /'

declare -A store_of=([small]=$small_store [large]=$large_store)
for scale in small large; do
  store=${store_of[$scale]}
  write_sql "$store"
  echo "queries, $scale store ($(sqlite3 "$store" 'SELECT count(*) FROM results') results):"
  for query in "${queries[@]}"; do measure "$store" "$query" "$scale"; done
done

echo "same answer in both stores (phr's JSON output):"
for query in "${queries[@]}"; do
  if cmp -s "$work/out/$query-small.json" "$work/out/$query-large.json"; then same=identical; else same=DIFFERS; fi
  echo "  $query: $same"
done

# Marked: a full scan of a table the history fills (not of a subquery, nor FTS5 answering MATCH,
# nor json_each, nor of the patients or of tables these stores leave empty), and index searches
# that read a patient's whole history: by patient alone, or by patient and a name or code without
# a date. With one patient, both read every row of the table.
grown='(results|appointments|records|r|diagnoses|d|procedures|medications|immunizations|allergies|providers|p|files|f)'
echo "query plans, large store (the two statements of --patient left out):"
for query in "${queries[@]}"; do
  echo "  $query:"
  for file in "$work/sql/$query.plans"/*.sql; do
    name=$(basename "$file" .sql)
    case $name in *-patients | *-patient) continue ;; esac
    echo "    ${name#*-}:"
    sqlite3 "$large_store" "EXPLAIN QUERY PLAN $(cat "$file")" | grep -v '^QUERY PLAN$' | sed -E '
      s/^/      /
      /SCAN '"$grown"'( USING (COVERING )?INDEX [a-z_]+)?$/s/$/   <-- full scan/
      /SEARCH '"$grown"' .*\(patient_id=\?\)$/s/$/   <-- all the patient'"'"'s rows/
      /SEARCH '"$grown"' .*\(patient_id=\? AND [a-z_]+=\?\)$/s/$/   <-- every date: the whole history/'
  done
done

echo
python3 - "$work/table.tsv" "$work/json/startup.json" <<'PY'
import json, sys
table, startup = sys.argv[1], sys.argv[2]
start = {r["command"]: r["mean"] * 1000 for r in json.load(open(startup))["results"]}
rows = [line.rstrip("\n").split("\t") for line in open(table)]
by = {(r[0], r[1]): r for r in rows}
results = {}
print(f"start-up alone: phr --version {start['phr --version']:.1f} ms, sqlite3 SELECT 1 {start['sqlite3 SELECT 1']:.1f} ms")
print(f"{'command':<14} {'results':>9} {'rows phr/sqlite3':>16} {'matches':>8} {'phr ms':>9} {'sqlite3 ms':>10} "
      f"{'phr/sqlite3':>11} {'phr L/S':>8} {'sqlite3 L/S':>11} {'stmts':>6} {'runs':>4}")
for query, scale, results, phr_rows, sqlite_rows, matches, phr, sql, runs, statements in rows:
    phr, sql = float(phr), float(sql)
    growth = sql_growth = ""
    if scale == "large":
        small = by[(query, "small")]
        growth, sql_growth = f"{phr / float(small[6]):.2f}", f"{sql / float(small[7]):.2f}"
    print(f"{query:<14} {int(results):>9,} {phr_rows + ' / ' + sqlite_rows:>16} {matches:>8} {phr:>9.1f} {sql:>10.1f} "
          f"{phr / sql:>11.2f} {growth:>8} {sql_growth:>11} {int(statements):>6,} {runs:>4}")
print("L/S: large store / small store. Targets: phr/sqlite3 <= 1.3; phr L/S <= 2 (at about 1,000,000 results).")
print("search-common's matches grow with the history (the word is in every Glucose result): not a same-answer query.")
PY
echo "load average at the end: $(load)"
