# Shared by the scripts in this folder; sourced, not run.
# Sets REPO_ROOT, cds there, and provides small helpers.

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$REPO_ROOT"

# ccache: the default cache folder (~/.cache/ccache) is fine; bound its size.
export CCACHE_MAXSIZE="${CCACHE_MAXSIZE:-2G}"
# Paths under the checkout are hashed relative to it: another checkout (a git worktree) shares hits.
export CCACHE_BASEDIR="${CCACHE_BASEDIR:-$REPO_ROOT}"
# With -g the compiler's working folder is hashed too unless told not to: without this, two
# checkouts at different paths never share a hit.
export CCACHE_NOHASHDIR="${CCACHE_NOHASHDIR:-true}"

JOBS="$(nproc 2>/dev/null || echo 2)"

log() { printf '==> %s\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# configure_build DIR [cmake -D options...]
# Configures DIR with Ninja. A folder configured earlier with another generator is reset
# (only its CMake cache; a build folder holds nothing else worth keeping).
configure_build() {
  local dir="$1"; shift
  if [[ -f "$dir/CMakeCache.txt" ]] && ! grep -q '^CMAKE_GENERATOR:INTERNAL=Ninja$' "$dir/CMakeCache.txt"; then
    log "$dir was configured with another generator; resetting its CMake cache"
    rm -rf "$dir/CMakeCache.txt" "$dir/CMakeFiles"
  fi
  log "configure $dir ($*)"
  cmake -S . -B "$dir" -G Ninja "$@"
}

# build DIR [target...]
build() {
  local dir="$1"; shift
  local targets=()
  local t
  for t in "$@"; do targets+=(--target "$t"); done
  log "build $dir ${*:-(all)} with $JOBS jobs"
  cmake --build "$dir" -j "$JOBS" "${targets[@]}"
}

# npm_ci DIR: installs DIR's npm packages (npm ci, from its package-lock.json) when node_modules
# is missing or older than the lock file.
npm_ci() {
  local dir="$1"
  if [[ ! -d "$dir/node_modules" || "$dir/package-lock.json" -nt "$dir/node_modules" ]]; then
    log "npm ci in $dir"
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error) || die "npm ci failed in $dir"
    touch "$dir/node_modules"
  fi
}
