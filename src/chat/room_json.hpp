#pragma once
// The public JSON of rooms: {id, kind, name, code?, created_at, last_seq, last_activity_at,
// member_count, members: [{user_id, role, read_seq, delivered_seq}] (the first few, see
// kRoomMembersShown), unread, last_message}; and of member pages (members with joined_at).
#include "chat/message_json.hpp"
#include "chat/model.hpp"

#include <string>

namespace parley::chat {

void append_room(std::string& out, const Room& room, UserId reader);
void append_member(std::string& out, const Member& member);
std::string room_json(const Room& room, UserId reader);
// {"items":[…],"next":"…"|null}
std::string room_page_json(const RoomPage& page, UserId reader);
// {"items":[{user_id, role, read_seq, delivered_seq, joined_at}],"next":"…"|null}
std::string member_page_json(const MemberPage& page);

}  // namespace parley::chat
