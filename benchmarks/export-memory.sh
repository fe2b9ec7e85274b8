#!/usr/bin/env bash
# Peak memory of `phr export` on about 1 GiB of record files (issue 4: under 100 MiB).
#
# Builds phr in release mode, makes a throw-away store holding FILES random files of MIB MiB each
# (default 8 x 128 MiB = 1 GiB, added with `phr record add`), then exports it as a folder and as
# a zip under `/usr/bin/time -v` and prints each export's peak resident memory and wall time.
# Exits 1 if a peak reaches LIMIT_MIB (default 100).
#
#   benchmarks/export-memory.sh            # FILES=8 MIB=128 LIMIT_MIB=100
#   FILES=2 MIB=16 benchmarks/export-memory.sh
#
# Needs about 4 x FILES x MIB of free disk in $TMPDIR (store, packet folder, zip and its staging).
set -euo pipefail
cd "$(dirname "$0")/.."
. benchmarks/release-builds.sh

FILES=${FILES:-8}
MIB=${MIB:-128}
LIMIT_MIB=${LIMIT_MIB:-100}

if [ ! -x /usr/bin/time ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq time
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/phr-export-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT

release_build --product phr >"$work/build.log" 2>&1 || { cat "$work/build.log" >&2; exit 1; }
phr="$(release_build --show-bin-path)/phr"
export PHR_DB="$work/store.sqlite"

"$phr" init >/dev/null
"$phr" patient add "Bench Patient" --born 1970 >/dev/null
"$phr" provider add "Dr. Bench" --specialty radiology >/dev/null
"$phr" diagnosis add "Synthetic finding" --code C50.912 >/dev/null
for i in $(seq 1 "$FILES"); do
  head -c $((MIB * 1048576)) /dev/urandom >"$work/scan-$i.dcm"
  "$phr" record add "$work/scan-$i.dcm" --kind imaging-study --title "Synthetic scan $i" \
    --date "2026-10-$(printf %02d $(( (i - 1) % 28 + 1 )))" --provider "Dr. Bench" --diagnosis synthetic >/dev/null
  rm "$work/scan-$i.dcm"
done
total_mib=$((FILES * MIB))
echo "store: $FILES record files of $MIB MiB ($total_mib MiB), $(du -m "$PHR_DB" | cut -f1) MiB on disk"

status=0
measure() {
  local label=$1
  shift
  /usr/bin/time -v -o "$work/time.txt" "$phr" export "$@" --for bench >/dev/null
  local kib wall
  kib=$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$work/time.txt")
  wall=$(awk -F': ' '/Elapsed \(wall clock\) time/ { print $2 }' "$work/time.txt")
  printf '%-7s peak RSS %5.1f MiB, wall %s (%d MiB of record files)\n' "$label" "$(awk -v k="$kib" 'BEGIN { print k / 1024 }')" "$wall" "$total_mib"
  if [ "$kib" -ge $((LIMIT_MIB * 1024)) ]; then
    echo "  over the limit of $LIMIT_MIB MiB" >&2
    status=1
  fi
}

measure folder "$work/packet"
(cd "$work/packet" && sha256sum -c --quiet SHA256SUMS) && echo "        sha256sum -c SHA256SUMS: all OK"
rm -rf "$work/packet"
measure zip "$work/packet.zip"
rm -f "$work/packet.zip"
exit $status
