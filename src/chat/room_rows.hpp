#pragma once
// Reading rooms and members out of the store.
#include "chat/model.hpp"
#include "store/value.hpp"

namespace parley::chat {

// Columns of `rooms r` joined with the reader's `room_members rm`, as room_from_row reads them:
// id, kind, name, code, created_at, last_seq, last_activity_at, last_message_id, unread.
#define PARLEY_CHAT_ROOM_COLUMNS                                                                        \
  "r.id, r.kind, r.name, r.code, r.created_at, r.last_seq, r.last_activity_at, r.last_message_id, "    \
  "(SELECT count(*) FROM messages m WHERE m.room_id = r.id AND m.seq > rm.read_seq AND m.deleted_at IS NULL)"

Room room_from_row(store::Row& row);
// The last_message_id column of a room row (NULL before the first message).
std::optional<std::int64_t> last_message_id(const store::Row& row);
// room_members columns user_id, role, read_seq, delivered_seq from `first` on.
Member member_from_row(const store::Row& row, std::size_t first = 0);

}  // namespace parley::chat
