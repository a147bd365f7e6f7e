#include "app/data_tables.hpp"

namespace parley::app {

const std::vector<TableSpec>& data_tables() {
  static const std::vector<TableSpec> tables{
      {"kv", {"key", "value", "updated_at"}, {"key"}},
      {"users",
       {"id", "username", "username_key", "email", "email_key", "email_verified", "display_name", "bio",
        "avatar_file_id", "password_hash", "role", "totp_secret", "totp_enabled", "last_seen_privacy", "banned_at",
        "deleted_at", "created_at", "updated_at", "totp_last_step", "last_seen_at", "group_add_privacy"},
       {"id"}},
      {"sessions", {"id", "user_id", "created_at", "last_used_at", "user_agent", "ip", "revoked_at"}, {"id"}},
      {"refresh_tokens", {"hash", "session_id", "created_at", "used_at"}, {"hash"}},
      {"mail_tokens", {"hash", "user_id", "purpose", "new_email", "expires_at", "used_at"}, {"hash"}},
      {"recovery_codes", {"user_id", "hash", "used_at"}, {"user_id", "hash"}},
      {"rooms",
       {"id", "kind", "name", "code", "direct_key", "created_at", "last_seq", "last_message_id", "last_activity_at"},
       {"id"}},
      {"room_members", {"room_id", "user_id", "role", "read_seq", "delivered_seq", "joined_at"}, {"room_id", "user_id"}},
      // Ids are time-ordered: a reply (reply_to) comes after the message it answers.
      {"messages",
       {"id", "room_id", "seq", "sender_id", "client_id", "body", "ciphertext", "iv", "reply_to", "attachments",
        "view_once", "created_at", "edited_at", "deleted_at"},
       {"id"}},
      {"room_events", {"room_id", "seq", "kind", "message_id"}, {"room_id", "seq"}},
      {"message_views", {"message_id", "user_id", "viewed_at"}, {"message_id", "user_id"}},
      {"signing_keys", {"kid", "seed", "created_ms", "retired_ms"}, {"kid"}},
      {"signing_keys_state", {"id", "version"}, {"id"}},
  };
  return tables;
}

const std::vector<std::string>& skipped_tables() {
  static const std::vector<std::string> tables{"schema_migrations", "nodes"};
  return tables;
}

}  // namespace parley::app
