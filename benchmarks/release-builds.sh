# shellcheck shell=bash
# Sourced by the benchmarks, with $work set to the benchmark's temporary folder and BASELINE to a
# git revision or empty.
#
# release_build ARGS…: the release build the README installs (scripts/release-build, of this
# checkout, run in the current folder: a BASELINE is built the same way, so that the comparison
# is of the sources alone), with ARGS (--product phr, --show-bin-path). With
# BASELINE_BUILD=own, a BASELINE is built by its own scripts/release-build and toolset instead:
# a comparison of how the release is built and linked too.
# build_phrs: builds this phr in release mode and, with BASELINE set, that revision too (in a
# temporary worktree under $work); sets `phrs` (the binaries) and `names` ("this phr", the
# revision). remove_baseline: removes that worktree; the benchmark's exit trap calls it.
# need COMMAND PACKAGE: installs the Debian package when the command is missing.

need() {
  command -v "$1" >/dev/null && return
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq "$2"
}

phr_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

release_build() {
  "$phr_root/scripts/release-build" "$@"
}

build_phrs() {
  release_build --product phr >"$work/build.log" 2>&1 || { cat "$work/build.log" >&2; exit 1; }
  phrs=("$(release_build --show-bin-path)/phr")
  names=("this phr")
  if [ -n "$BASELINE" ]; then
    git worktree add --detach "$work/baseline" "$BASELINE" >/dev/null 2>&1
    local build=release_build
    if [ "${BASELINE_BUILD:-}" = own ]; then build="$work/baseline/scripts/release-build"; fi
    (cd "$work/baseline" && "$build" --product phr) >"$work/baseline.log" 2>&1 \
      || { cat "$work/baseline.log" >&2; exit 1; }
    phrs+=("$(cd "$work/baseline" && "$build" --show-bin-path)/phr")
    names+=("$BASELINE")
  fi
}

remove_baseline() {
  if [ -n "$BASELINE" ]; then git worktree remove --force "$work/baseline" >/dev/null 2>&1 || true; fi
}
