# Sourced by scripts/test.sh: a throwaway PostgreSQL 15 server for the integration suite's
# PostgreSQL run (ctest's pg.* tests), on 127.0.0.1 with its data in a temporary folder.
#   start_test_postgres     initdb + start; exports PARLEY_TEST_POSTGRES (its URL)
#   stop_test_postgres      stops it and removes the folder (also run on exit)
# The server runs as the `postgres` system user when we are root (PostgreSQL refuses root).
# fsync is off (nothing here survives the machine), synchronous_commit stays on: a COMMIT the
# tests see acknowledged is one the server wrote, which is what their restart checks need.

PG_BIN="${PG_BIN:-/usr/lib/postgresql/15/bin}"

pg_run() {
  if [[ $(id -u) -eq 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi
}

free_port() {
  /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

start_test_postgres() {
  [[ -x "$PG_BIN/initdb" ]] || die "PostgreSQL 15 is missing ($PG_BIN/initdb): run scripts/deps.sh"
  TEST_PG_DIR="$(mktemp -d /tmp/parley-test-pg.XXXXXX)"
  chmod 0755 "$TEST_PG_DIR"
  [[ $(id -u) -eq 0 ]] && chown postgres "$TEST_PG_DIR"
  local port
  port="$(free_port)"
  log "PostgreSQL for the tests: $TEST_PG_DIR, 127.0.0.1:$port"
  pg_run "$PG_BIN/initdb" -D "$TEST_PG_DIR/data" -A trust -U parley -E UTF8 --no-sync >"$TEST_PG_DIR/initdb.log" 2>&1 \
    || { cat "$TEST_PG_DIR/initdb.log" >&2; die "initdb failed"; }
  pg_run "$PG_BIN/pg_ctl" -D "$TEST_PG_DIR/data" -l "$TEST_PG_DIR/server.log" -w -t 30 start \
    -o "-p $port -k $TEST_PG_DIR -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off -c max_connections=400 -c shared_buffers=256MB" \
    >/dev/null || { cat "$TEST_PG_DIR/server.log" >&2; die "PostgreSQL did not start"; }
  export PARLEY_TEST_POSTGRES="postgresql://parley@127.0.0.1:$port/postgres"
  export PARLEY_TEST_PG_BIN="$PG_BIN"
  trap stop_test_postgres EXIT
}

stop_test_postgres() {
  [[ -n "${TEST_PG_DIR:-}" && -d "$TEST_PG_DIR" ]] || return 0
  pg_run "$PG_BIN/pg_ctl" -D "$TEST_PG_DIR/data" -m immediate -w stop >/dev/null 2>&1 || true
  rm -rf "$TEST_PG_DIR"
  TEST_PG_DIR=""
}
