#!/usr/bin/env bash
# Fuzz one of phr's readers with libFuzzer (and AddressSanitizer) for SECONDS seconds:
#   scripts/fuzz.sh fhir-json|ndjson|ccda|dates [SECONDS]   (default 600)
# Builds Fuzz/ (a package of its own, with -sanitize=fuzzer,address), starts from the small seed
# corpus in Fuzz/Corpus/TARGET, keeps what it learns in a scratch corpus, and prints libFuzzer's
# final statistics. A finding (crash, sanitizer report, leak, timeout, out of memory) stops the
# run with a non-zero exit and leaves the input that caused it in fuzz-findings/.
set -euo pipefail
cd "$(dirname "$0")/.."
target=${1:?usage: scripts/fuzz.sh fhir-json|ndjson|ccda|dates [SECONDS]}
seconds=${2:-600}
case "$target" in fhir-json|ndjson|ccda|dates) ;; *) echo "fuzz: unknown target $target" >&2; exit 64 ;; esac

# SwiftPM keeps the build plan of a path dependency: made again, it sees files added to phr since.
rm -f Fuzz/.build/debug.yaml
swift build --package-path Fuzz --scratch-path Fuzz/.build -c debug --product phr-fuzz \
  -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library >&2
binary=Fuzz/.build/debug/phr-fuzz

corpus=$(mktemp -d)
trap 'rm -rf "$corpus"' EXIT
cp Fuzz/Corpus/"$target"/* "$corpus"/
mkdir -p fuzz-findings
LSAN_OPTIONS=suppressions=$PWD/scripts/lsan-suppressions.txt:print_suppressions=0 \
PHR_FUZZ_TARGET=$target PHR_NOW=2026-11-25T09:42:00-05:00 TZ=America/New_York \
  "$binary" "$corpus" -max_total_time="$seconds" -timeout=60 -rss_limit_mb=2048 -max_len=65536 \
  -artifact_prefix=fuzz-findings/"$target"- -print_final_stats=1
