#!/usr/bin/env bash
# Installs the Debian packages listed in scripts/packages.txt that are not installed yet.
# Does nothing (and needs no network) when everything is present.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

mapfile -t packages < <(sed -e 's/#.*//' -e 's/[[:space:]]\+//g' scripts/packages.txt | grep -v '^$')

missing=()
for entry in "${packages[@]}"; do
  # "pkg?cmd": wanted only when the command is missing (e.g. node and npm from NodeSource,
  # whose nodejs package conflicts with Debian's npm).
  pkg="${entry%%\?*}"
  if [[ "$entry" == *\?* ]] && command -v "${entry#*\?}" >/dev/null 2>&1; then
    continue
  fi
  status="$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)"
  if [[ "$status" != "install ok installed" ]]; then
    missing+=("$pkg")
  fi
done

if [[ ${#missing[@]} -eq 0 ]]; then
  log "deps: all ${#packages[@]} packages are installed"
  exit 0
fi

as_root=()
if [[ "$(id -u)" -ne 0 ]]; then
  if command -v sudo >/dev/null 2>&1; then
    as_root=(sudo)
  else
    die "missing packages and not root (and no sudo); as root run: apt-get install ${missing[*]}"
  fi
fi

log "deps: installing ${#missing[@]} missing package(s): ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt_opts=(-o DPkg::Lock::Timeout=300)
"${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get "${apt_opts[@]}" update
"${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get "${apt_opts[@]}" install -y --no-install-recommends "${missing[@]}"
log "deps: done"
