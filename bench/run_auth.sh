#!/usr/bin/env bash
# Accounts benchmarks (issue 3), all against one Parley on loopback, figures as same-run ratios:
#   1. authenticated requests/s (GET /v1/me) with the token-verification cache vs without it;
#   2. logins/s (POST /v1/auth/login: one Argon2id check each, on the worker pool);
#   3. p99 of GET /v1/me at a fixed rate during a login storm vs without one (target <= 1.5).
#
#   bench/run_auth.sh
# Settings (environment): PARLEY (build/src/parley), PARLEY_BENCH_BIN (build/bench/parley-bench),
#   DURATION (10s), WARMUP (2s), CONNECTIONS (64), ME_RATE (2000), STORM_CONNECTIONS (16), OUT,
#   PARLEY_FLAGS (extra `parley serve` flags, e.g. "--worker-threads 2").
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
PARLEY=${PARLEY:-$ROOT/build/src/parley}
BENCH=${PARLEY_BENCH_BIN:-$ROOT/build/bench/parley-bench}
DURATION=${DURATION:-10s}
WARMUP=${WARMUP:-2s}
CONNECTIONS=${CONNECTIONS:-64}
ME_RATE=${ME_RATE:-2000}
STORM_CONNECTIONS=${STORM_CONNECTIONS:-16}

die() { echo "run_auth: $*" >&2; exit 1; }
[[ -x $PARLEY ]] || die "no parley binary at $PARLEY"
[[ -x $BENCH ]] || die "no parley-bench binary at $BENCH"

WORK=$(mktemp -d /tmp/parley-auth-bench.XXXXXX)
OUT=${OUT:-$WORK/results}
mkdir -p "$OUT" "$WORK/data"
SERVER=
cleanup() {
  [[ -n $SERVER ]] && kill -TERM "$SERVER" 2>/dev/null && wait "$SERVER" 2>/dev/null
  [[ $OUT == "$WORK/results" ]] && rm -rf "$WORK" || rm -rf "$WORK/data"
  return 0
}
trap cleanup EXIT
trap 'exit 130' INT TERM

PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
BASE=http://127.0.0.1:$PORT

start() {  # start [extra parley flags...]
  # The login throttles are off: this measures hashing capacity, not the limiter (one account, many
  # concurrent logins would otherwise be refused as a guessing attack).
  "$PARLEY" serve --listen "127.0.0.1:$PORT" --data "$WORK/data" --threads 2 --log-level warn \
    --login-limit-account off --login-limit-ip off ${PARLEY_FLAGS:-} "$@" \
    >>"$WORK/parley.log" 2>&1 &
  SERVER=$!
  for _ in $(seq 500); do
    [[ $(curl -s -o /dev/null -w '%{http_code}' "$BASE/readyz" || true) == 200 ]] && return 0
    sleep 0.02
  done
  die "parley did not become ready: $(tail -3 "$WORK/parley.log")"
}
stop() { kill -TERM "$SERVER"; wait "$SERVER" || true; SERVER=; }
bench() { timeout 300 "$BENCH" http --threads 2 --warmup "$WARMUP" --duration "$DURATION" --quiet "$@"; }

echo "machine: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'), load $(cut -d' ' -f1-3 /proc/loadavg)"
start
printf '{"email":"bench@example.com","password":"bench password 1","username":"bench"}' >"$WORK/signup.json"
TOKEN=$(curl -s -H 'Content-Type: application/json' --data-binary @"$WORK/signup.json" "$BASE/v1/auth/signup" |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')
printf '{"login":"bench","password":"bench password 1"}' >"$WORK/login.json"

echo "1. GET /v1/me, closed loop, $CONNECTIONS connections: cache on, then off"
bench --url "$BASE/v1/me" --connections "$CONNECTIONS" --header "Authorization: Bearer $TOKEN" --json "$OUT/me-cache.json"
stop
start --token-cache-entries 0
bench --url "$BASE/v1/me" --connections "$CONNECTIONS" --header "Authorization: Bearer $TOKEN" --json "$OUT/me-nocache.json"
stop
start

echo "2. POST /v1/auth/login, closed loop, $STORM_CONNECTIONS connections"
bench --url "$BASE/v1/auth/login" --method POST --content-type application/json --body "$WORK/login.json" \
  --connections "$STORM_CONNECTIONS" --json "$OUT/login.json"

echo "3. GET /v1/me at $ME_RATE/s: alone, then during a login storm"
bench --url "$BASE/v1/me" --connections 32 --rate "$ME_RATE" --header "Authorization: Bearer $TOKEN" --json "$OUT/me-calm.json"
timeout 300 "$BENCH" http --threads 1 --url "$BASE/v1/auth/login" --method POST --content-type application/json \
  --body "$WORK/login.json" --connections "$STORM_CONNECTIONS" --warmup 0s --duration 20s --quiet \
  --json "$OUT/storm.json" >/dev/null &
STORM=$!
sleep 2
bench --url "$BASE/v1/me" --connections 32 --rate "$ME_RATE" --header "Authorization: Bearer $TOKEN" --json "$OUT/me-storm.json"
wait "$STORM" || true

python3 - "$OUT" <<'PY'
import json, os, sys
out = sys.argv[1]
r = {n: json.load(open(os.path.join(out, n + ".json"))) for n in
     ("me-cache", "me-nocache", "login", "me-calm", "me-storm", "storm")}
rps = lambda n: r[n]["throughput_per_s"]
p99 = lambda n: r[n]["latency_ms"]["p99"]
print("summary")
print(f"  GET /v1/me   cache on {rps('me-cache'):8.0f} req/s   cache off {rps('me-nocache'):8.0f} req/s   "
      f"ratio {rps('me-cache') / max(rps('me-nocache'), 1):.2f}")
print(f"  logins       {rps('login'):8.0f} /s   p50 {r['login']['latency_ms']['p50']:.1f} ms   p99 {p99('login'):.1f} ms   "
      f"non-2xx {r['login']['non_2xx']}")
print(f"  GET /v1/me p99 at fixed rate: calm {p99('me-calm'):.2f} ms   during storm {p99('me-storm'):.2f} ms   "
      f"ratio {p99('me-storm') / max(p99('me-calm'), 1e-9):.2f} (target <= 1.5); storm logins/s {rps('storm'):.0f}")
for n in ("me-cache", "me-nocache", "me-calm", "me-storm"):
    if r[n]["non_2xx"] or r[n]["errors"]:
        print(f"  WARNING {n}: non-2xx {r[n]['non_2xx']} errors {r[n]['errors']}")
PY
