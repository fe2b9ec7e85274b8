#!/usr/bin/env bash
# 1,000 kill -9 trials (or $1) at random moments of import, export (new and --force), record add,
# record get and undo, each followed by SQLite's integrity and foreign-key checks, all-or-nothing
# import, an export log that lists exactly the packets in place, and no scratch left after the
# next run (`phr check` exits 0). It runs the suite's CrashTests with more trials; the seed is
# printed (set PHR_CRASH_SEED to replay one).
#
#   scripts/crash-trials.sh          # 1,000 trials, about 20 minutes on 2 cores
#   scripts/crash-trials.sh 200
set -euo pipefail
cd "$(dirname "$0")/.."
trials=${1:-1000}
swift build --build-tests >/dev/null
start=$(date +%s)
PHR_CRASH_TRIALS=$trials swift test --skip-build --filter 'PHRCommandsTests.CrashTests' 2>&1 \
  | grep -E "crash trials:|error:|Executed" | sort -u
echo "elapsed: $(( $(date +%s) - start )) s"
