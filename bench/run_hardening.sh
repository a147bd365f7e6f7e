#!/usr/bin/env bash
# Hardening measurements (issue 11): the attacks the issue names, run against a baseline binary
# (the peer: the release before the fixes) and the current one in the same run, same machine:
#   1. slow uploads: 300 connections each holding 1 MiB − 1 of a 1 MiB body; server RSS held;
#   2. sub amplification: one sub frame naming one room 2,500 times with since 0; bytes out / in.
#
#   BASELINE=/path/to/old/parley bench/run_hardening.sh
# Settings (environment): PARLEY (build/src/parley), BASELINE (no default: skipped when unset),
#   CONNECTIONS (300).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
PARLEY=${PARLEY:-$ROOT/build/src/parley}
CONNECTIONS=${CONNECTIONS:-300}
PROBE="/usr/bin/python3 $ROOT/bench/tools/hardening_probe.py"

die() { echo "run_hardening: $*" >&2; exit 1; }
[[ -x $PARLEY ]] || die "no parley binary at $PARLEY"

WORK=$(mktemp -d /tmp/parley-hardening-bench.XXXXXX)
SERVER=
cleanup() {
  [[ -n $SERVER ]] && kill -TERM "$SERVER" 2>/dev/null && wait "$SERVER" 2>/dev/null
  rm -rf "$WORK"
  return 0
}
trap cleanup EXIT
trap 'exit 130' INT TERM

PORT=$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
BASE=http://127.0.0.1:$PORT

start() {  # start BINARY
  rm -rf "$WORK/data"
  "$1" serve --listen "127.0.0.1:$PORT" --data "$WORK/data" --threads 2 --log-level warn \
    --argon2-memory-kib 1024 --argon2-passes 1 --signup-limit-ip off --ws-frame-rate 100000 \
    >>"$WORK/parley.log" 2>&1 &
  SERVER=$!
  for _ in $(seq 500); do
    [[ $(curl -s -o /dev/null -w '%{http_code}' "$BASE/readyz" || true) == 200 ]] && return 0
    sleep 0.02
  done
  die "parley did not become ready: $(tail -3 "$WORK/parley.log")"
}
stop() { kill -TERM "$SERVER"; wait "$SERVER" || true; SERVER=; }

run_all() {  # run_all LABEL BINARY
  echo "== $1 ($2)"
  start "$2"
  $PROBE slow-uploads "$BASE" "$SERVER" "$CONNECTIONS"
  stop
  start "$2"
  $PROBE sub-amplify "$BASE"
  stop
}

echo "machine: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'), load $(cut -d' ' -f1-3 /proc/loadavg)"
[[ -n ${BASELINE:-} ]] && run_all baseline "$BASELINE"
run_all current "$PARLEY"
