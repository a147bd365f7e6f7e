#!/usr/bin/env bash
# Parley vs nginx on GET /healthz, same machine, same run, interleaved; then Parley's time from
# process start to /readyz 200 on an empty data folder (nginx's start to /healthz as the peer).
#
#   bench/run_healthz_vs_nginx.sh
# Settings (environment): PARLEY (build/src/parley), PARLEY_BENCH_BIN (build/bench/parley-bench),
#   ROUNDS (3), DURATION (10s), WARMUP (2s), CONNECTIONS (64), CLIENT_THREADS (2),
#   SERVER_THREADS (2: Parley --threads and nginx worker_processes), RATE (empty = closed loop),
#   STARTS (10), PARLEY_LOG_LEVEL_BENCH (warn: nginx runs with access_log off), OUT (keep raw JSON here)
# Installs nothing; needs nginx (Debian nginx-light), python3, the two built binaries.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
PARLEY=${PARLEY:-$ROOT/build/src/parley}
BENCH=${PARLEY_BENCH_BIN:-$ROOT/build/bench/parley-bench}
ROUNDS=${ROUNDS:-3}
DURATION=${DURATION:-10s}
WARMUP=${WARMUP:-2s}
CONNECTIONS=${CONNECTIONS:-64}
CLIENT_THREADS=${CLIENT_THREADS:-2}
SERVER_THREADS=${SERVER_THREADS:-2}
RATE=${RATE:-}
STARTS=${STARTS:-10}
LOG_LEVEL=${PARLEY_LOG_LEVEL_BENCH:-warn}
NGINX=${NGINX:-$(command -v nginx || true)}
[[ -x $NGINX ]] || NGINX=/usr/sbin/nginx

die() { echo "run_healthz_vs_nginx: $*" >&2; exit 1; }
[[ -x $NGINX ]] || die "nginx not found (Debian package nginx-light)"
[[ -x $PARLEY ]] || die "no parley binary at $PARLEY (build it, or set PARLEY=)"
[[ -x $BENCH ]] || die "no parley-bench binary at $BENCH (build it, or set PARLEY_BENCH_BIN=)"
command -v python3 >/dev/null || die "python3 is needed to summarise the JSON reports"
command -v curl >/dev/null || die "curl is needed to wait for the servers"

WORK=$(mktemp -d /tmp/parley-bench.XXXXXX)
chmod 755 "$WORK"  # nginx workers started by root run as nobody and must read the static file
OUT=${OUT:-$WORK/results}
mkdir -p "$OUT"
PIDS=()
cleanup() {
  local pid
  for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
  done
  rm -rf "$WORK/nginx" "$WORK/data" "$WORK"/start-*
  [[ $OUT == "$WORK/results" ]] && rm -rf "$WORK"
  return 0
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}
# Waits (at most 10 s) until URL answers 200.
wait_200() {
  local url=$1
  for _ in $(seq 1000); do
    WAIT_CODE=$(curl -s -o /dev/null -w '%{http_code}' --max-time 1 "$url" || true)
    [[ $WAIT_CODE == 200 ]] && return 0
    sleep 0.01
  done
  return 1
}
# Writes an nginx config serving {"status":"ok"} at /healthz on PORT under DIR.
nginx_config() {
  local dir=$1 port=$2
  mkdir -p "$dir/html" "$dir/tmp"
  printf '{"status":"ok"}' >"$dir/html/healthz"
  cat >"$dir/nginx.conf" <<CONF
daemon off;
master_process on;
worker_processes $SERVER_THREADS;
pid $dir/nginx.pid;
error_log $dir/error.log warn;
events { worker_connections 8192; }
http {
  access_log off;
  keepalive_requests 1000000;
  keepalive_timeout 60s;
  client_body_temp_path $dir/tmp/body;
  proxy_temp_path $dir/tmp/proxy;
  fastcgi_temp_path $dir/tmp/fastcgi;
  uwsgi_temp_path $dir/tmp/uwsgi;
  scgi_temp_path $dir/tmp/scgi;
  server {
    listen 127.0.0.1:$port reuseport;
    root $dir/html;
    location = /healthz { default_type application/json; }
  }
}
CONF
}

cpu_model=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')
echo "machine: $(nproc) CPUs, ${cpu_model:-unknown CPU}, kernel $(uname -r), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "parley: $PARLEY ($("$PARLEY" version 2>/dev/null | head -1 || echo '?'))"
echo "nginx:  $NGINX ($("$NGINX" -v 2>&1 | sed 's/.*: //'))"

# --- servers -------------------------------------------------------------------------------
NGINX_PORT=$(free_port)
nginx_config "$WORK/nginx" "$NGINX_PORT"
"$NGINX" -c "$WORK/nginx/nginx.conf" -p "$WORK/nginx" -e "$WORK/nginx/error.log" &
PIDS+=($!)
PARLEY_PORT=$(free_port)
mkdir -p "$WORK/data"
"$PARLEY" serve --listen "127.0.0.1:$PARLEY_PORT" --data "$WORK/data" --threads "$SERVER_THREADS" \
  --log-level "$LOG_LEVEL" >"$WORK/parley.log" 2>&1 &
PIDS+=($!)
wait_200 "http://127.0.0.1:$NGINX_PORT/healthz" || die "nginx did not answer 200 (last: $WAIT_CODE): $(tail -3 "$WORK/nginx/error.log")"
wait_200 "http://127.0.0.1:$PARLEY_PORT/healthz" || die "parley did not answer 200 (last: $WAIT_CODE): $(tail -5 "$WORK/parley.log")"

# --- throughput and latency, interleaved ---------------------------------------------------
bench_args=(--connections "$CONNECTIONS" --threads "$CLIENT_THREADS" --duration "$DURATION" --warmup "$WARMUP" --quiet)
[[ -n $RATE ]] && bench_args+=(--rate "$RATE")
echo
echo "GET /healthz: $CONNECTIONS connections, $CLIENT_THREADS client threads, ${RATE:+open loop at $RATE req/s, }$ROUNDS rounds of $DURATION (+$WARMUP warmup), servers on $SERVER_THREADS threads/workers"
for round in $(seq "$ROUNDS"); do
  for peer in parley nginx; do
    port=$PARLEY_PORT
    [[ $peer == nginx ]] && port=$NGINX_PORT
    timeout 600 "$BENCH" http --url "http://127.0.0.1:$port/healthz" "${bench_args[@]}" \
      --json "$OUT/healthz-$peer-$round.json" | sed "s/^/  [$peer #$round] /" | head -3
  done
done

# --- start to ready ------------------------------------------------------------------------
echo
echo "start to ready: $STARTS starts each, polled every 1 ms"
: >"$OUT/ready-parley.txt"
: >"$OUT/ready-nginx.txt"
for i in $(seq "$STARTS"); do
  port=$(free_port)
  dir="$WORK/start-$i"
  mkdir -p "$dir/data"
  timeout 60 "$BENCH" wait-ready --url "http://127.0.0.1:$port/readyz" --interval 1ms --timeout 20s --spawn -- \
    "$PARLEY" serve --listen "127.0.0.1:$port" --data "$dir/data" --threads "$SERVER_THREADS" \
    --log-level "$LOG_LEVEL" >>"$OUT/ready-parley.txt" 2>>"$WORK/ready.log" ||
    echo "  parley start $i: not ready (see $WORK/ready.log)" >&2
  port=$(free_port)
  nginx_config "$dir/nginx" "$port"
  timeout 60 "$BENCH" wait-ready --url "http://127.0.0.1:$port/healthz" --interval 1ms --timeout 20s --spawn -- \
    "$NGINX" -c "$dir/nginx/nginx.conf" -p "$dir/nginx" -e "$dir/nginx/error.log" \
    >>"$OUT/ready-nginx.txt" 2>>"$WORK/ready.log" || echo "  nginx start $i: not ready" >&2
  rm -rf "$dir"
done

# --- summary -------------------------------------------------------------------------------
echo
python3 - "$OUT" "$ROUNDS" <<'PY'
import json, statistics, sys, os
out, rounds = sys.argv[1], int(sys.argv[2])
def load(peer):
    runs = []
    for r in range(1, rounds + 1):
        p = os.path.join(out, f"healthz-{peer}-{r}.json")
        if os.path.exists(p):
            runs.append(json.load(open(p)))
    return runs
def ready(peer):
    p = os.path.join(out, f"ready-{peer}.txt")
    return [float(x) for x in open(p).read().split()] if os.path.exists(p) else []
rows = {}
for peer in ("parley", "nginx"):
    runs = load(peer)
    if not runs:
        continue
    rows[peer] = {
        "rps": statistics.median(r["throughput_per_s"] for r in runs),
        "p50": statistics.median(r["latency_ms"]["p50"] for r in runs),
        "p99": statistics.median(r["latency_ms"]["p99"] for r in runs),
        "errors": sum(r["errors"] for r in runs),
        "non_2xx": sum(r["non_2xx"] for r in runs),
        "all_rps": [round(r["throughput_per_s"]) for r in runs],
    }
print("summary (median of rounds)")
for peer, v in rows.items():
    print(f"  {peer:<7} {v['rps']:>9.0f} req/s  p50 {v['p50']:.3f} ms  p99 {v['p99']:.3f} ms  "
          f"errors {v['errors']}  non-2xx {v['non_2xx']}  rounds {v['all_rps']}")
if "parley" in rows and "nginx" in rows and rows["nginx"]["rps"] > 0:
    p, n = rows["parley"], rows["nginx"]
    print(f"  ratio parley/nginx: req/s {p['rps'] / n['rps']:.2f}   p99 {p['p99'] / n['p99']:.2f} "
          f"(parley p99 {p['p99']:.3f} ms, nginx p99 {n['p99']:.3f} ms)")
rp, rn = ready("parley"), ready("nginx")
if rp:
    print(f"  parley start to /readyz 200: median {statistics.median(rp):.1f} ms "
          f"(min {min(rp):.1f}, max {max(rp):.1f}, n={len(rp)})")
if rn:
    print(f"  nginx  start to /healthz 200: median {statistics.median(rn):.1f} ms "
          f"(min {min(rn):.1f}, max {max(rn):.1f}, n={len(rn)})")
summary = {"healthz": rows, "ready_ms": {"parley": rp, "nginx": rn}}
json.dump(summary, open(os.path.join(out, "summary.json"), "w"), indent=1)
PY
[[ $OUT != "$WORK/results" ]] && echo "raw reports in $OUT"
exit 0
