-- Who may add a user to a group (POST /v1/rooms with members, POST /v1/rooms/{id}/members):
-- everyone, contacts (until contact lists exist: people who have both written in a shared direct
-- room), or nobody. Set by PATCH /v1/me.
ALTER TABLE users ADD COLUMN group_add_privacy TEXT NOT NULL DEFAULT 'everyone'
  CHECK (group_add_privacy IN ('everyone', 'contacts', 'nobody'));
