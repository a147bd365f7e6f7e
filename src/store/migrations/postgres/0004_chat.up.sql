-- Chat: rooms, members with roles and receipt markers, messages, the per-room event log (gapless
-- seq), view-once views. Every query of src/chat is served by the keys and indexes below.
CREATE TABLE rooms (
  id               BIGINT PRIMARY KEY,
  kind             TEXT NOT NULL CHECK (kind IN ('direct', 'group')),
  name             TEXT,                    -- groups only
  code             TEXT UNIQUE,             -- groups: the join code; NULL for direct rooms
  direct_key       TEXT UNIQUE,             -- direct rooms: '<smaller user id>:<larger user id>'
  created_at       TEXT NOT NULL,
  last_seq         BIGINT NOT NULL DEFAULT 0,  -- the room's newest event; seq is gapless from 1
  last_message_id  BIGINT,                 -- the newest message (may be a tombstone)
  last_activity_at TEXT NOT NULL            -- creation or the newest message
) WITH (fillfactor = 70);  -- the counter row is updated by every send: room for HOT updates

CREATE TABLE room_members (
  room_id       BIGINT NOT NULL REFERENCES rooms(id) ON DELETE CASCADE,
  user_id       BIGINT NOT NULL REFERENCES users(id),
  role          TEXT NOT NULL CHECK (role IN ('owner', 'admin', 'member')),
  read_seq      BIGINT NOT NULL DEFAULT 0,   -- never goes backwards
  delivered_seq BIGINT NOT NULL DEFAULT 0,   -- never goes backwards; >= read_seq
  joined_at     TEXT NOT NULL,
  PRIMARY KEY (room_id, user_id)
);
CREATE INDEX room_members_user ON room_members(user_id);  -- GET /v1/rooms

CREATE TABLE messages (
  id          BIGINT PRIMARY KEY,
  room_id     BIGINT NOT NULL REFERENCES rooms(id) ON DELETE CASCADE,
  seq         BIGINT NOT NULL,             -- the seq of its creation
  sender_id   BIGINT REFERENCES users(id), -- NULL once the sender erased the account
  client_id   TEXT NOT NULL,
  body        TEXT,                         -- exactly one of body / ciphertext (+ iv), until deleted
  ciphertext  TEXT,
  iv          TEXT,
  reply_to    BIGINT REFERENCES messages(id),
  attachments TEXT,                         -- JSON array of id strings; NULL when none
  view_once   BIGINT NOT NULL DEFAULT 0,
  created_at  TEXT NOT NULL,
  edited_at   TEXT,
  deleted_at  TEXT,                         -- a tombstone: content cleared
  UNIQUE (room_id, seq),                    -- pagination, unread counts
  -- Idempotent sends (room, sender, client_id). Sender first: the same index serves the export
  -- and the erasure trigger (WHERE sender_id = ?).
  UNIQUE (sender_id, room_id, client_id)
);

CREATE TABLE room_events (
  room_id    BIGINT NOT NULL REFERENCES rooms(id) ON DELETE CASCADE,
  seq        BIGINT NOT NULL,
  kind       TEXT NOT NULL CHECK (kind IN ('msg', 'edit', 'delete')),
  message_id BIGINT NOT NULL REFERENCES messages(id),
  PRIMARY KEY (room_id, seq)
);

CREATE TABLE message_views (              -- view-once: who has consumed which message
  message_id BIGINT NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
  user_id    BIGINT NOT NULL REFERENCES users(id),
  viewed_at  TEXT NOT NULL,
  PRIMARY KEY (message_id, user_id)
);
CREATE INDEX message_views_user ON message_views(user_id);  -- erasure

-- Erasing an account (auth::erase_account sets users.deleted_at, from DELETE /v1/me or
-- `parley user delete`) keeps the person's messages but unlinks them (sender_id NULL), and takes
-- the person out of every room; a group they owned passes to its longest-standing admin, else
-- its longest-standing member.
CREATE FUNCTION users_erased_leave_chat() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE messages SET sender_id = NULL WHERE sender_id = NEW.id;
  DELETE FROM message_views WHERE user_id = NEW.id;
  UPDATE room_members SET role = 'owner'
   WHERE (room_id, user_id) IN (
     SELECT o.room_id,
            (SELECT s.user_id FROM room_members s
              WHERE s.room_id = o.room_id AND s.user_id != NEW.id
              ORDER BY s.role = 'admin' DESC, s.joined_at, s.user_id LIMIT 1)
       FROM room_members o WHERE o.user_id = NEW.id AND o.role = 'owner');
  DELETE FROM room_members WHERE user_id = NEW.id;
  RETURN NULL;
END;
$$;
CREATE TRIGGER users_erased_leave_chat AFTER UPDATE OF deleted_at ON users
FOR EACH ROW WHEN (OLD.deleted_at IS NULL AND NEW.deleted_at IS NOT NULL)
EXECUTE FUNCTION users_erased_leave_chat();
