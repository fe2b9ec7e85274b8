#!/usr/bin/env bash
# The test suite under a sanitizer: scripts/sanitize.sh address|thread [swift test arguments]
# Builds phr and its tests with -sanitize=address (LeakSanitizer included) or -sanitize=thread
# into .build-address / .build-thread, then runs them; the phr processes the tests start run
# with the same sanitizer and options. Leaks inside Foundation and swift-argument-parser are
# suppressed (scripts/lsan-suppressions.txt); any report in phr's own code fails the run.
set -euo pipefail
cd "$(dirname "$0")/.."
kind=${1:?usage: scripts/sanitize.sh address|thread [swift test arguments]}
shift
case "$kind" in address|thread) ;; *) echo "sanitize: give address or thread" >&2; exit 64 ;; esac
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}
export LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$PWD/scripts/lsan-suppressions.txt:print_suppressions=0}
export TSAN_OPTIONS=${TSAN_OPTIONS:-halt_on_error=0:second_deadlock_stack=1}
swift build --build-tests --sanitize="$kind" --scratch-path ".build-$kind"
exec scripts/test --skip-build --sanitize="$kind" --scratch-path ".build-$kind" "$@"
