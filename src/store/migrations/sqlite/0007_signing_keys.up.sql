-- Ed25519 signing keys for access and device tokens, shared by every server on this database
-- (before: one JSON file per key in DATA/keys/, imported once by the first start). seed is the
-- 32-byte private seed (the key pair derives from it); a rotation sets retired_ms on the keys it
-- replaces (they still verify until their tokens expire); --revoke-previous deletes them.
CREATE TABLE signing_keys (
  kid        TEXT PRIMARY KEY,
  seed       BLOB NOT NULL CHECK (length(seed) = 32),
  created_ms INTEGER NOT NULL,
  retired_ms INTEGER
);

-- One row (id 1) once the first keys exist: whoever inserts it (INSERT ... ON CONFLICT DO NOTHING,
-- in the transaction that creates or imports the first keys) is the only one that does. version
-- grows with every change of signing_keys; servers poll it (about every second) to reload.
CREATE TABLE signing_keys_state (
  id      INTEGER PRIMARY KEY CHECK (id = 1),
  version INTEGER NOT NULL
);
