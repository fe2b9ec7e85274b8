# shellcheck shell=bash
# Sourced by the import benchmarks (import-speed.sh, import-instructions.sh), with $work set to
# the benchmark's temporary folder and BASELINE to a git revision or empty.
#
# build_phrs: builds this phr in release mode and, with BASELINE set, that revision too (in a
# temporary worktree under $work); sets `phrs` (the binaries) and `names` ("this phr", the
# revision). remove_baseline: removes that worktree; the benchmark's exit trap calls it.
# need COMMAND PACKAGE: installs the Debian package when the command is missing.

need() {
  command -v "$1" >/dev/null && return
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq "$2"
}

build_phrs() {
  swift build -c release --product phr >"$work/build.log" 2>&1 || { cat "$work/build.log" >&2; exit 1; }
  phrs=("$(swift build -c release --show-bin-path)/phr")
  names=("this phr")
  if [ -n "$BASELINE" ]; then
    git worktree add --detach "$work/baseline" "$BASELINE" >/dev/null 2>&1
    (cd "$work/baseline" && swift build -c release --product phr) >"$work/baseline.log" 2>&1 \
      || { cat "$work/baseline.log" >&2; exit 1; }
    phrs+=("$(cd "$work/baseline" && swift build -c release --show-bin-path)/phr")
    names+=("$BASELINE")
  fi
}

remove_baseline() {
  if [ -n "$BASELINE" ]; then git worktree remove --force "$work/baseline" >/dev/null 2>&1 || true; fi
}
