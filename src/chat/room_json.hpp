#pragma once
// The public JSON of rooms: {id, kind, name, code?, created_at, last_seq, last_activity_at,
// members: [{user_id, role, read_seq, delivered_seq}], unread, last_message}.
#include "chat/message_json.hpp"
#include "chat/model.hpp"

#include <string>

namespace parley::chat {

void append_room(std::string& out, const Room& room, UserId reader);
std::string room_json(const Room& room, UserId reader);
// {"items":[…],"next":"…"|null}
std::string room_page_json(const RoomPage& page, UserId reader);

}  // namespace parley::chat
