-- Presence: when each user was last connected (shown within their last_seen_privacy setting).
ALTER TABLE users ADD COLUMN last_seen_at TEXT;
