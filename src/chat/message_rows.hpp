#pragma once
// Reading messages out of the store: the column list every message query selects (with the
// viewer bound as $1, for the view-once `viewed` flag), and the row mapping.
#include "chat/model.hpp"
#include "store/value.hpp"

namespace parley::chat {

// Columns of `messages m`, in the order message_from_row reads them. $1 is the viewer's user id
// (0 when there is none). A string literal, so that statements concatenate at compile time.
#define PARLEY_CHAT_MESSAGE_COLUMNS                                                                      \
  "m.id, m.room_id, m.seq, m.sender_id, m.client_id, m.body, m.ciphertext, m.iv, m.reply_to, "          \
  "m.attachments, m.view_once, m.created_at, m.edited_at, m.deleted_at IS NOT NULL, "                    \
  "CASE WHEN m.view_once = 1 AND EXISTS (SELECT 1 FROM message_views v WHERE v.message_id = m.id AND "  \
  "v.user_id = $1) THEN 1 ELSE 0 END"
inline constexpr std::size_t kMessageColumnCount = 15;

// Moves the strings out of the row (columns from `first` on).
Message message_from_row(store::Row& row, std::size_t first = 0);

}  // namespace parley::chat
