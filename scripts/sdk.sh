#!/usr/bin/env bash
# Builds the JavaScript SDK (web/sdk) and runs its unit tests (no server needed):
#   npm ci when node_modules is missing or older than package-lock.json (npm_ci in common.sh), tsc to dist/,
#   tsc of the tests to build-test/, then node --test.
# Usage: scripts/sdk.sh [--integration]
#   --integration  also runs test/integration/ against a running server at PARLEY_URL
#                  (skipped, with a message, when PARLEY_URL is not set).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

integration=0
for arg in "$@"; do
  case "$arg" in
    --integration) integration=1 ;;
    -h|--help) sed -n '2,7p' scripts/sdk.sh | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown argument: $arg (usage: scripts/sdk.sh [--integration])" ;;
  esac
done

command -v node >/dev/null 2>&1 || die "node is missing (scripts/deps.sh installs it)"
command -v npm >/dev/null 2>&1 || die "npm is missing (scripts/deps.sh installs it)"
node_major="$(node -p 'process.versions.node.split(".")[0]')"
(( node_major >= 18 )) || die "the SDK needs Node.js 18 or newer, found $(node --version)"

npm_ci web/sdk
cd web/sdk

log "sdk: build dist/ (node $(node --version))"
rm -rf dist build-test
node_modules/.bin/tsc -p tsconfig.json
node_modules/.bin/tsc -p tsconfig.test.json

log "sdk: unit tests"
# node --test runs (cores - 1) files at once: one at a time on this 2-core machine.
node --test build-test/test/unit/*.test.js

if [[ $integration -eq 1 ]]; then
  log "sdk: integration tests (PARLEY_URL=${PARLEY_URL:-unset})"
  node --test build-test/test/integration/*.test.js
fi
