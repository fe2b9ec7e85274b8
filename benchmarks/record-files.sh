#!/usr/bin/env bash
# `phr record add` and `phr record get` of one large file beside `cp` (issue 15: at least half of
# cp's throughput, peak memory at most 64 MiB).
#
# Builds phr in release mode (and BASELINE, a git revision, the same way), writes a file of MIB MiB
# of random bytes (default 1024), then runs ROUNDS rounds (default 5), each command once per round
# in a random order, so that the machine's drift falls on all of them alike:
#   cp               the file copied (in the kernel; nothing synced);
#   cp + sync        the copy synced to disk too (`sync FILE`), as phr syncs what it writes;
#   sqlite3 chunks   SQLite's own shell writing the same bytes, cut in 1 MiB pieces beforehand, into
#                    a store of phr's shape (WAL, synchronous = FULL, 16 KiB pages, a rowid table
#                    of chunks): the floor of phr's design, which writes each byte to the log and
#                    then into the store;
#   phr record add   into a new store (made beforehand), hashing and syncing;
#   phr record get   the record back out to a new file, its SHA-256 checked, written atomically.
# Prints each command's median wall time and peak memory, each throughput as a share of cp's, and
# whether the target is met.
#
#   benchmarks/record-files.sh                  # MIB=1024 ROUNDS=5
#   MIB=256 ROUNDS=3 BASELINE=HEAD~1 benchmarks/record-files.sh
#
# Needs about 5 x MIB of free disk in $TMPDIR.
set -euo pipefail
cd "$(dirname "$0")/.."
. benchmarks/release-builds.sh

MIB=${MIB:-1024}
ROUNDS=${ROUNDS:-5}
BASELINE=${BASELINE:-}
need /usr/bin/time time
need sqlite3 sqlite3
need python3 python3

work=$(mktemp -d "${TMPDIR:-/tmp}/phr-record-files.XXXXXX")
trap 'remove_baseline; rm -rf "$work"' EXIT
build_phrs

head -c $((MIB * 1048576)) /dev/urandom >"$work/scan.bin"
mkdir "$work/pieces"
(cd "$work/pieces" && split -d -a 6 -b 1048576 ../scan.bin piece-)
cat >"$work/chunks.sql" <<EOF
PRAGMA page_size = 16384; PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;
CREATE TABLE file_chunks (id INTEGER PRIMARY KEY, file_id INTEGER NOT NULL, seq INTEGER NOT NULL,
                          data BLOB NOT NULL, UNIQUE (file_id, seq)) STRICT;
BEGIN IMMEDIATE;
INSERT INTO file_chunks (file_id, seq, data)
  SELECT 1, CAST(substr(name, -6) AS INTEGER), data FROM fsdir('$work/pieces') WHERE mode & 0x8000;
COMMIT;
EOF

labels=("cp" "cp + sync" "sqlite3 chunks")
for name in "${names[@]}"; do labels+=("record add ($name)" "record get ($name)"); done

# run INDEX: one timed run of labels[INDEX]; appends "INDEX seconds KiB" to $work/times.
run() {
  local index=$1 store phr
  case $index in
    0) sync; /usr/bin/time -f "%e %M" -o "$work/t" cp "$work/scan.bin" "$work/copy.bin" ;;
    1) sync; /usr/bin/time -f "%e %M" -o "$work/t" sh -c 'cp "$1" "$2" && sync "$2"' sh "$work/scan.bin" "$work/copy.bin" ;;
    2) rm -f "$work/chunks.sqlite"*; sync
       /usr/bin/time -f "%e %M" -o "$work/t" sqlite3 "$work/chunks.sqlite" <"$work/chunks.sql" >/dev/null
       rm -f "$work/chunks.sqlite"* ;;
    *) local which=$(( (index - 3) / 2 )) get=$(( (index - 3) % 2 ))
       phr=${phrs[$which]}
       store="$work/store-$which.sqlite"
       if [ "$get" = 0 ]; then
         rm -f "$store"*
         PHR_DB=$store "$phr" init >/dev/null
         PHR_DB=$store "$phr" patient add "Bench Patient" >/dev/null
         sync
         PHR_DB=$store /usr/bin/time -f "%e %M" -o "$work/t" "$phr" record add "$work/scan.bin" --kind imaging-study --title Scan >/dev/null
       else
         sync
         PHR_DB=$store /usr/bin/time -f "%e %M" -o "$work/t" "$phr" record get 1 --output "$work/copy.bin" >/dev/null
       fi ;;
  esac
  rm -f "$work/copy.bin"
  echo "$index $(cat "$work/t")" >>"$work/times"
}

: >"$work/times"
for round in $(seq 1 "$ROUNDS"); do
  # Each get follows its own add (it reads the record that add stored); the rest in random order.
  order=$(python3 -c "
import random, sys
n, phrs = int(sys.argv[1]), int(sys.argv[2])
items = [[0], [1], [2]] + [[3 + 2 * i, 4 + 2 * i] for i in range(phrs)]
random.shuffle(items)
print(' '.join(str(i) for item in items for i in item))" 0 "${#phrs[@]}")
  for index in $order; do run "$index"; done
  echo "round $round of $ROUNDS done" >&2
done

python3 - "$work/times" "$MIB" "${labels[@]}" <<'EOF'
import statistics, sys
path, mib, labels = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
runs = {}
for line in open(path):
    index, seconds, kib = line.split()
    runs.setdefault(int(index), []).append((float(seconds), int(kib)))
median = {i: statistics.median(s for s, _ in r) for i, r in runs.items()}
peak = {i: max(k for _, k in r) for i, r in runs.items()}
cp = median[0]
print(f"{mib} MiB, medians of {len(runs[0])} interleaved rounds (wall time; peak memory of all rounds)")
print(f"{'':24} {'median':>8} {'MiB/s':>7} {'share of cp':>12} {'peak MiB':>9}")
for i, label in enumerate(labels):
    print(f"{label:24} {median[i]:7.2f}s {mib / median[i]:7.0f} {cp / median[i]:11.0%} {peak[i] / 1024:9.1f}")
for i in range(3, len(labels)):
    share, mem = cp / median[i], peak[i] / 1024
    met = share >= 0.5 and mem <= 64
    print(f"{labels[i]}: {share:.0%} of cp's throughput (target 50%), peak {mem:.1f} MiB (target 64): "
          + ("met" if met else "not met"))
EOF
