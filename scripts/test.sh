#!/usr/bin/env bash
# Installs what is missing, then builds and runs every test, as CI does:
#   0. web/sdk      the JavaScript SDK: npm ci, tsc, node --test (scripts/sdk.sh);
#      web/app      the web app, built when stale (scripts/webapp.sh); its browser tests run in ctest
#   1. build/       RelWithDebInfo, -DPARLEY_WERROR=ON; the integration suite on SQLite and again
#                   on PostgreSQL 15 (pg.*, a throwaway server: scripts/test_postgres.sh)
#   2. build-asan/  Debug, -DPARLEY_SANITIZE=ON -DPARLEY_WERROR=ON (AddressSanitizer + UBSan), on SQLite
# Usage: scripts/test.sh [--quick]      --quick runs only the first build.
# Environment: PARLEY_ASAN_BUILD_TYPE (default Debug), CCACHE_MAXSIZE (default 2G).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
source scripts/test_postgres.sh

quick=0
for arg in "$@"; do
  case "$arg" in
    --quick) quick=1 ;;
    -h|--help) sed -n '2,7p' scripts/test.sh | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown argument: $arg (usage: scripts/test.sh [--quick])" ;;
  esac
done

scripts/deps.sh
npm_ci tests/interop  # npm jose: the independent verifier of access tokens

# The JavaScript SDK first: its unit tests take seconds and need no server.
scripts/sdk.sh
# The web app (web/app/dist), which the browser tests (ctest web_app_e2e) load from the binary.
scripts/webapp.sh

run_tests() {
  local dir="$1"
  log "test $dir"
  # --no-tests=error: a build that registered no test fails instead of passing silently.
  # --timeout: a default for tests without their own TIMEOUT, so a hang cannot eat CI's time.
  ctest --test-dir "$dir" --output-on-failure -j2 --no-tests=error --timeout 600
}

# The integration suite runs twice in the release build: on SQLite, and (its pg.* copy) on a
# PostgreSQL server started here for the run.
start_test_postgres

# 1. The release build, warnings as errors.
configure_build build -DCMAKE_BUILD_TYPE=RelWithDebInfo -DPARLEY_WERROR=ON -DPARLEY_SANITIZE=OFF
build build
run_tests build

if [[ $quick -eq 1 ]]; then
  log "quick: skipping the sanitizer build"
  exit 0
fi

# 2. The sanitizer build. ASan in GCC 12 misbehaves when the kernel randomises mmap with more
# than 28 bits; lower it when we can (root), otherwise say so.
if [[ -r /proc/sys/vm/mmap_rnd_bits ]] && (( $(cat /proc/sys/vm/mmap_rnd_bits) > 28 )); then
  if ! sysctl -q -w vm.mmap_rnd_bits=28 2>/dev/null; then
    log "warning: vm.mmap_rnd_bits > 28 and cannot be lowered; ASan may crash at start"
  fi
fi
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
configure_build build-asan -DCMAKE_BUILD_TYPE="${PARLEY_ASAN_BUILD_TYPE:-Debug}" \
  -DPARLEY_SANITIZE=ON -DPARLEY_WERROR=ON -DPARLEY_BENCH=OFF \
  -DPARLEY_TEST_POSTGRES_RUN=OFF  # the load generator is not a test; PostgreSQL runs once, above
build build-asan
run_tests build-asan
log "all tests passed in build/ and build-asan/"
