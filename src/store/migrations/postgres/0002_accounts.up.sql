-- Accounts: users, sessions with rotating refresh tokens, single-use mail tokens, MFA recovery codes.
CREATE TABLE users (
  id                BIGINT PRIMARY KEY,
  username          TEXT,
  username_key      TEXT UNIQUE,            -- lower-cased; NULL once the account is erased
  email             TEXT,
  email_key         TEXT UNIQUE,            -- lower-cased; NULL once the account is erased
  email_verified    BIGINT NOT NULL DEFAULT 0,
  display_name      TEXT NOT NULL DEFAULT '',
  bio               TEXT NOT NULL DEFAULT '',
  avatar_file_id    TEXT,
  password_hash     TEXT,
  role              TEXT NOT NULL DEFAULT 'user' CHECK (role IN ('user', 'moderator', 'admin')),
  totp_secret       TEXT,
  totp_enabled      BIGINT NOT NULL DEFAULT 0,
  last_seen_privacy TEXT NOT NULL DEFAULT 'everyone' CHECK (last_seen_privacy IN ('everyone', 'contacts', 'nobody')),
  banned_at         TEXT,
  deleted_at        TEXT,
  created_at        TEXT NOT NULL,
  updated_at        TEXT NOT NULL
);

CREATE TABLE sessions (
  id           BIGINT PRIMARY KEY,
  user_id      BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  created_at   TEXT NOT NULL,
  last_used_at TEXT NOT NULL,
  user_agent   TEXT NOT NULL DEFAULT '',
  ip           TEXT NOT NULL DEFAULT '',
  revoked_at   TEXT
);
CREATE INDEX sessions_user ON sessions(user_id);

CREATE TABLE refresh_tokens (
  hash       BYTEA PRIMARY KEY,              -- BLAKE2b-256 of the token; the token itself is never stored
  session_id BIGINT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
  created_at TEXT NOT NULL,
  used_at    TEXT
);
CREATE INDEX refresh_tokens_session ON refresh_tokens(session_id);

CREATE TABLE mail_tokens (
  hash       BYTEA PRIMARY KEY,              -- digest of the emailed token
  user_id    BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  purpose    TEXT NOT NULL CHECK (purpose IN ('verify_email', 'password_reset', 'email_change')),
  new_email  TEXT,
  expires_at BIGINT NOT NULL,              -- unix ms
  used_at    TEXT
);
CREATE INDEX mail_tokens_user ON mail_tokens(user_id, purpose);

CREATE TABLE recovery_codes (
  user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  hash    BYTEA NOT NULL,
  used_at TEXT,
  PRIMARY KEY (user_id, hash)
);
