#!/usr/bin/env bash
# Chat benchmarks (issue 4): Parley's WebSocket gateway vs Socket.IO 4 (bench/peers/socketio),
# same machine, same run, same offered load, driven by the same parley-bench code:
#   fanout  rooms of 10, 100 and 1000 subscribed connections: deliveries/s, delivery latency
#   sends   acknowledged sends/s (closed loop) and ack latency at SEND_RATE/s
#   idle    authenticated connections held at once, server RSS growth per connection
#   history GET /v1/rooms/{id}/messages?limit=50 requests/s (Parley only: Socket.IO keeps none)
#
#   bench/run_chat.sh
#   PEERS=socketio bench/run_chat.sh          # only the Socket.IO side
# Settings (environment; defaults in brackets):
#   PARLEY [build/src/parley]  PARLEY_BENCH_BIN [build/bench/parley-bench]  PEERS [socketio parley]
#   DURATION [5s] WARMUP [2s]  FANOUT_MEMBERS [10 100 1000]  FANOUT_CONNECTIONS [2000 subscribed
#   connections per size]  FANOUT_DELIVERIES [100000 offered deliveries/s per size]  FANOUT_PUBLISHERS [20]
#   SEND_RATE [10000] SEND_CONNECTIONS [16] SEND_INFLIGHT [8]  IDLE_CONNECTIONS [10000] IDLE_HOLD [10s]
#   SOURCES [4: local addresses 127.0.0.1..N]  HISTORY_MESSAGES [200] HISTORY_CONNECTIONS [32]
#   USERS [16: Parley accounts, every one a member of every room]  PARLEY_THREADS [1]
#   PIN [1: generator on CPU BENCH_CPU (0), server on SERVER_CPU (1), with taskset]  OUT [keep JSON here]
#   SCENARIOS [fanout sends history idle: which measurements to run]
#   PARLEY_EXTRA [more `parley serve` arguments, e.g. "--database postgres://…"]
#   PARLEY_BEFORE_START [a shell command run before each start of Parley, e.g. recreating that database]
#   PARLEY_PEER [parley; floor: bench-chat-floor (FLOOR [build/bench/bench-chat-floor]) stands in for
#   Parley with the same frames, in memory, to check the Parley path of the scenarios; no history]
# Loopback only; every step is bounded with `timeout`; the script stops what it started on exit.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
PARLEY=${PARLEY:-$ROOT/build/src/parley}
BENCH=${PARLEY_BENCH_BIN:-$ROOT/build/bench/parley-bench}
PEERS=${PEERS:-socketio parley}
DURATION=${DURATION:-5s}
WARMUP=${WARMUP:-2s}
FANOUT_MEMBERS=${FANOUT_MEMBERS:-10 100 1000}
FANOUT_CONNECTIONS=${FANOUT_CONNECTIONS:-2000}
FANOUT_DELIVERIES=${FANOUT_DELIVERIES:-100000}
FANOUT_PUBLISHERS=${FANOUT_PUBLISHERS:-20}
SEND_RATE=${SEND_RATE:-10000}
SEND_CONNECTIONS=${SEND_CONNECTIONS:-16}
SEND_INFLIGHT=${SEND_INFLIGHT:-8}
IDLE_CONNECTIONS=${IDLE_CONNECTIONS:-10000}
IDLE_HOLD=${IDLE_HOLD:-10s}
SOURCES=${SOURCES:-4}
HISTORY_MESSAGES=${HISTORY_MESSAGES:-200}
HISTORY_CONNECTIONS=${HISTORY_CONNECTIONS:-32}
USERS=${USERS:-16}
PARLEY_THREADS=${PARLEY_THREADS:-1}
PIN=${PIN:-1}
BENCH_CPU=${BENCH_CPU:-0}
SERVER_CPU=${SERVER_CPU:-1}
PARLEY_PEER=${PARLEY_PEER:-parley}
SCENARIOS=${SCENARIOS:-fanout sends history idle}
FLOOR=${FLOOR:-$(dirname "$BENCH")/bench-chat-floor}
PEER_DIR=$ROOT/bench/peers/socketio

die() { echo "run_chat: $*" >&2; exit 1; }
note() { echo "run_chat: $*" >&2; }
[[ -x $BENCH ]] || die "no parley-bench binary at $BENCH (build it, or set PARLEY_BENCH_BIN=)"
command -v python3 >/dev/null || die "python3 is needed to summarise the JSON reports"
command -v curl >/dev/null || die "curl is needed to wait for the servers"
want() { [[ " $PEERS " == *" $1 "* ]]; }
scenario() { [[ " $SCENARIOS " == *" $1 "* ]]; }
if want socketio; then
  command -v node >/dev/null || die "node is needed for the Socket.IO peer (or PEERS=parley)"
  if [[ ! -d $PEER_DIR/node_modules/socket.io ]]; then
    note "installing the Socket.IO peer (npm ci)"
    (cd "$PEER_DIR" && timeout 300 npm ci --no-audit --no-fund --loglevel=error) || die "npm ci failed in $PEER_DIR"
  fi
fi
[[ $PARLEY_PEER == floor ]] && PARLEY=$FLOOR
if want parley && [[ ! -x $PARLEY ]]; then
  note "no parley binary at $PARLEY: the Parley column stays empty"
  PEERS=${PEERS//parley/}
fi

BENCH_PIN=() SERVER_PIN=()
if [[ $PIN == 1 ]] && command -v taskset >/dev/null && (($(nproc) >= 2)); then
  BENCH_PIN=(taskset -c "$BENCH_CPU") SERVER_PIN=(taskset -c "$SERVER_CPU")
fi
FDS=$(ulimit -Hn)
ulimit -n "$FDS"
if ((IDLE_CONNECTIONS + 100 > FDS)); then
  note "IDLE_CONNECTIONS $IDLE_CONNECTIONS lowered to $((FDS - 100)): ulimit -n is $FDS here (server and generator each need one per connection)"
  IDLE_CONNECTIONS=$((FDS - 100))
fi

WORK=$(mktemp -d /tmp/parley-chat-bench.XXXXXX)
OUT=${OUT:-$WORK/results}
mkdir -p "$OUT"
declare -A PID=()
stop_peer() {  # stop_peer NAME: SIGTERM, then SIGKILL after 5 s
  local pid=${PID[$1]:-}
  [[ -n $pid ]] || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  PID[$1]=
}
cleanup() {
  for name in "${!PID[@]}"; do stop_peer "$name"; done
  rm -rf "$WORK/data"
  [[ $OUT == "$WORK/results" ]] && rm -rf "$WORK"
  return 0
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_200() {
  for _ in $(seq 500); do
    [[ $(curl -s -o /dev/null -w '%{http_code}' --max-time 1 "$1" || true) == 200 ]] && return 0
    sleep 0.02
  done
  return 1
}
PORT_socketio=$(free_port)
PORT_parley=$(free_port)
start_peer() {  # start_peer NAME
  case $1 in
    socketio)
      (cd "$PEER_DIR" && exec "${SERVER_PIN[@]}" node server.js --port "$PORT_socketio") >>"$WORK/socketio.log" 2>&1 &
      PID[socketio]=$!
      wait_200 "http://127.0.0.1:$PORT_socketio/healthz" || die "socket.io did not start: $(tail -3 "$WORK/socketio.log")" ;;
    parley)
      if [[ $PARLEY_PEER == floor ]]; then
        "${SERVER_PIN[@]}" "$FLOOR" "127.0.0.1:$PORT_parley" >>"$WORK/parley.log" 2>&1 &
        PID[parley]=$!
        wait_200 "http://127.0.0.1:$PORT_parley/healthz" || die "bench-chat-floor did not start"
        return 0
      fi
      rm -rf "$WORK/data"
      if [[ -n ${PARLEY_BEFORE_START:-} ]]; then bash -c "$PARLEY_BEFORE_START" >>"$WORK/parley.log" 2>&1 || die "PARLEY_BEFORE_START failed"; fi
      # shellcheck disable=SC2086  # PARLEY_EXTRA is a list of arguments
      "${SERVER_PIN[@]}" "$PARLEY" serve --listen "127.0.0.1:$PORT_parley" --data "$WORK/data" \
        --threads "$PARLEY_THREADS" --log-level warn --signup-limit-ip off --ws-frame-rate 1000000 ${PARLEY_EXTRA:-} >>"$WORK/parley.log" 2>&1 &
      PID[parley]=$!
      wait_200 "http://127.0.0.1:$PORT_parley/readyz" || die "parley did not start: $(tail -3 "$WORK/parley.log")" ;;
  esac
}
load() { cut -d' ' -f1-3 /proc/loadavg; }
# chat NAME PEER SCENARIO [options...]: one measurement, its JSON in $OUT/NAME-PEER.json
chat() {
  local name=$1 peer=$2 scenario=$3
  shift 3
  local port_var=PORT_$peer
  local args=(--url "ws://127.0.0.1:${!port_var}" --peer "$peer" --warmup "$WARMUP" --quiet)
  [[ $peer == parley ]] && args+=(--setup "$WORK/setup-$( [[ $name == history ]] && echo history || echo rooms).json")
  echo "== $name [$peer]   load $(load)"
  timeout 180 "${BENCH_PIN[@]}" "$BENCH" chat "$scenario" "${args[@]}" "$@" --json "$OUT/$name-$peer.json" ||
    note "$name [$peer] failed (exit $?)"
}

echo "machine: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'), load $(load), ulimit -n $FDS"
echo "pinning: ${BENCH_PIN[*]:-none} for parley-bench, ${SERVER_PIN[*]:-none} for the server; peers: $PEERS"
MAX_ROOMS=1
for m in $FANOUT_MEMBERS; do r=$(((FANOUT_CONNECTIONS + m - 1) / m)); ((r > MAX_ROOMS)) && MAX_ROOMS=$r; done
((SEND_CONNECTIONS > MAX_ROOMS)) && MAX_ROOMS=$SEND_CONNECTIONS
for peer in $PEERS; do start_peer "$peer"; done
if want parley && [[ $PARLEY_PEER == floor ]]; then
  python3 -c 'import json,sys; u,r=int(sys.argv[1]),int(sys.argv[2]); json.dump({"users":[{"id":str(i),"token":"t%d"%i} for i in range(u)],"rooms":[{"id":"r%d"%i,"code":""} for i in range(r)]},open(sys.argv[3],"w"))' \
    "$USERS" "$MAX_ROOMS" "$WORK/setup-rooms.json"
elif want parley; then
  # Accounts and rooms through the REST API; a Parley without the chat service or gateway yet
  # leaves its column empty instead of failing the run.
  if ! timeout 120 "$BENCH" chat-setup --url "http://127.0.0.1:$PORT_parley" --users "$USERS" --rooms "$MAX_ROOMS" \
        --out "$WORK/setup-rooms.json" ||
     ! timeout 120 "$BENCH" chat-setup --url "http://127.0.0.1:$PORT_parley" --users 2 --rooms 1 \
        --messages "$HISTORY_MESSAGES" --out "$WORK/setup-history.json"; then
    note "Parley set-up through the REST API failed (chat service not there yet?): Parley column empty"
    stop_peer parley
    PEERS=${PEERS//parley/}
  fi
fi

# fresh PEER: restart it so a scenario does not inherit the backlog of the one before (an
# overloaded run leaves queued sends behind); Parley gets its accounts and rooms again.
fresh() {
  stop_peer "$1"
  start_peer "$1"
  if [[ $1 == parley && $PARLEY_PEER == parley ]]; then
    timeout 120 "$BENCH" chat-setup --url "http://127.0.0.1:$PORT_parley" --users "$USERS" --rooms "$MAX_ROOMS" \
      --out "$WORK/setup-rooms.json" >/dev/null || note "parley set-up failed"
  fi
}
scenario fanout || FANOUT_MEMBERS_RUN=""
for m in ${FANOUT_MEMBERS_RUN-$FANOUT_MEMBERS}; do
  rooms=$(((FANOUT_CONNECTIONS + m - 1) / m))
  rate=$((FANOUT_DELIVERIES / m))
  publishers=$((FANOUT_PUBLISHERS < rooms ? FANOUT_PUBLISHERS : rooms))
  for peer in $PEERS; do
    fresh "$peer"
    chat "fanout$m" "$peer" fanout --rooms "$rooms" --members "$m" --publishers "$publishers" --rate "$rate" \
      --duration "$DURATION" --sources "$SOURCES"
  done
done
scenario sends && for peer in $PEERS; do
  fresh "$peer"
  chat sends-rate "$peer" sends -c "$SEND_CONNECTIONS" --rooms "$SEND_CONNECTIONS" --rate "$SEND_RATE" --duration "$DURATION"
  chat sends-max "$peer" sends -c "$SEND_CONNECTIONS" --rooms "$SEND_CONNECTIONS" --inflight "$SEND_INFLIGHT" --duration "$DURATION"
done
if scenario history && want parley && [[ $PARLEY_PEER == parley ]]; then
  # The restarts above emptied the data folder: the history room is made again.
  timeout 120 "$BENCH" chat-setup --url "http://127.0.0.1:$PORT_parley" --users 2 --rooms 1 \
    --messages "$HISTORY_MESSAGES" --out "$WORK/setup-history.json" >/dev/null || note "history set-up failed"
  room=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["rooms"][0]["id"])' "$WORK/setup-history.json")
  token=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["users"][0]["token"])' "$WORK/setup-history.json")
  echo "== history [parley]   load $(load)"
  timeout 120 "${BENCH_PIN[@]}" "$BENCH" http --url "http://127.0.0.1:$PORT_parley/v1/rooms/$room/messages?limit=50" \
    --header "Authorization: Bearer $token" -c "$HISTORY_CONNECTIONS" --threads 1 --warmup "$WARMUP" \
    --duration "$DURATION" --quiet --json "$OUT/history-parley.json" || note "history [parley] failed"
fi
# Idle connections last, each server restarted so its RSS starts from a fresh process.
scenario idle && for peer in $PEERS; do
  stop_peer "$peer"
  start_peer "$peer"
  if [[ $peer == parley && $PARLEY_PEER == parley ]]; then
    timeout 120 "$BENCH" chat-setup --url "http://127.0.0.1:$PORT_parley" --users "$USERS" --rooms 1 \
      --out "$WORK/setup-rooms.json" >/dev/null || { note "parley set-up for idle failed"; continue; }
  fi
  sleep 1
  chat idle "$peer" idle -c "$IDLE_CONNECTIONS" --hold "$IDLE_HOLD" --sources "$SOURCES" --server-pid "${PID[$peer]}" \
    --setup-timeout 90s
done
echo "load at the end $(load)"
python3 "$ROOT/bench/chat_summary.py" "$OUT" "$FANOUT_MEMBERS" "$([[ $PARLEY_PEER == floor ]] && echo floor || echo Parley)"
