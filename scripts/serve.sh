#!/usr/bin/env bash
# Installs what is missing, builds build/src/parley (RelWithDebInfo) and runs
#   build/src/parley serve [ARGS...]
# with the embedded defaults: data in ./data (at the repository root), http://127.0.0.1:8080,
# and the web app (web/app, built first when missing or stale) at /.
# Extra arguments pass through, e.g. scripts/serve.sh --dev --listen 127.0.0.1:9000
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

scripts/deps.sh
# The web app at / : built when web/app/dist is missing or older than its sources.
scripts/webapp.sh

# Only the build type is set: a build/ folder configured by scripts/test.sh (same build type,
# plus -DPARLEY_WERROR=ON) is reused as it is, so switching between the two rebuilds nothing.
configure_build build -DCMAKE_BUILD_TYPE=RelWithDebInfo
build build parley

log "starting build/src/parley serve $* (Ctrl-C to stop)"
exec build/src/parley serve "$@"
