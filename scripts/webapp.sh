#!/usr/bin/env bash
# Builds the web app (web/app, which compiles the SDK in web/sdk from its sources) when
# web/app/dist is missing or older than its sources, so that `parley serve` serves it at /
# (the binary's default --web-root is web/app/dist of this tree).
# Usage: scripts/webapp.sh [--force]
#   --force   build even when dist/ looks current
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

force=0
for arg in "$@"; do
  case "$arg" in
    --force) force=1 ;;
    -h|--help) sed -n '2,6p' scripts/webapp.sh | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown argument: $arg (usage: scripts/webapp.sh [--force])" ;;
  esac
done

[[ -f web/app/package.json ]] || { log "webapp: no web/app in this tree"; exit 0; }
command -v node >/dev/null 2>&1 || die "node is missing (scripts/deps.sh installs it)"
node_major="$(node -p 'process.versions.node.split(".")[0]')"
(( node_major >= 18 )) || die "the web app's build (Vite 6) needs Node.js 18 or newer, found $(node --version)"

# newer_than FILE PATH...: true when any file under the PATHs is newer than FILE.
newer_than() {
  local ref="$1"; shift
  [[ -n "$(find "$@" -newer "$ref" -type f -not -path '*/node_modules/*' -print -quit 2>/dev/null)" ]]
}

inputs=()
for p in web/app/src web/app/public web/app/index.html web/app/package.json web/app/package-lock.json \
         web/app/vite.config.ts web/app/tsconfig.json web/app/scripts web/sdk/src web/sdk/package.json; do
  [[ -e "$p" ]] && inputs+=("$p")
done

if [[ $force -eq 0 && -f web/app/dist/index.html ]] && ! newer_than web/app/dist/index.html "${inputs[@]}"; then
  log "webapp: web/app/dist is current"
  exit 0
fi

# The SDK's own packages give the types its sources use.
npm_ci web/sdk
npm_ci web/app
log "webapp: build web/app/dist"
(cd web/app && npm run --silent build)
