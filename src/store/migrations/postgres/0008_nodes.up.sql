-- The nodes sharing this database: each running server holds one node number (0-1023), the
-- node bits of the ids it generates, renewed by a heartbeat (app/node_lease.cpp). A number whose
-- heartbeat is older than 30 s is free again.
CREATE TABLE nodes (
  node_id      BIGINT PRIMARY KEY,
  instance     TEXT NOT NULL,       -- random per process start
  host         TEXT NOT NULL,       -- the machine's name, for operators
  started_at   TEXT NOT NULL,
  heartbeat_ms BIGINT NOT NULL      -- unix ms of the last renewal
);
