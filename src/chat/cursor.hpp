#pragma once
// Opaque pagination cursors: base64url of a short versioned text. Clients pass back what `next`
// gave them (?cursor=); anything else fails to decode (422).
#include "chat/model.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace parley::chat {

// Messages: direction and the exclusive seq bound ("m1:b:120" / "m1:a:120"). The limit is not in
// the cursor: each request gives its own.
std::string encode_message_cursor(const PageQuery& q);
std::optional<PageQuery> decode_message_cursor(std::string_view cursor);

// Rooms, most recent activity first: the activity key of the page's last room ("r2:<key>"). A
// room's activity key is the id of its newest message, or its own id before the first one: ids
// are unique and time-ordered, so the order is strict even within one millisecond.
struct RoomCursor {
  std::int64_t activity = 0;
};
std::string encode_room_cursor(const RoomCursor& c);
std::optional<RoomCursor> decode_room_cursor(std::string_view cursor);

// Members of a room, by user id: the last user id of the page ("u1:<id>").
std::string encode_member_cursor(std::int64_t after_user);
std::optional<std::int64_t> decode_member_cursor(std::string_view cursor);

}  // namespace parley::chat
