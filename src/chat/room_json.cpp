#include "chat/room_json.hpp"

namespace parley::chat {

void append_member(std::string& out, const Member& m) {
  out += "{\"user_id\":";
  append_id(out, m.user.value);
  out += ",\"role\":\"";
  out += to_string(m.role);
  out += "\",\"read_seq\":" + std::to_string(m.read_seq);
  out += ",\"delivered_seq\":" + std::to_string(m.delivered_seq);
  if (!m.joined_at.empty()) {
    out += ",\"joined_at\":";
    append_json_string(out, m.joined_at);
  }
  out.push_back('}');
}

void append_room(std::string& out, const Room& r, UserId reader) {
  out += "{\"id\":";
  append_id(out, r.id.value);
  out += r.kind == RoomKind::direct ? ",\"kind\":\"direct\",\"name\":" : ",\"kind\":\"group\",\"name\":";
  if (r.name) append_json_string(out, *r.name);
  else out += "null";
  if (r.kind == RoomKind::group && r.code) {
    out += ",\"code\":";
    append_json_string(out, *r.code);
  }
  out += ",\"created_at\":";
  append_json_string(out, r.created_at);
  out += ",\"last_seq\":" + std::to_string(r.last_seq);
  out += ",\"last_activity_at\":";
  append_json_string(out, r.last_activity_at);
  out += ",\"member_count\":" + std::to_string(r.member_count);
  out += ",\"members\":[";
  for (std::size_t i = 0; i < r.members.size(); ++i) {
    if (i) out.push_back(',');
    append_member(out, r.members[i]);
  }
  out += "],\"unread\":" + std::to_string(r.unread);
  out += ",\"last_message\":";
  if (r.last_message) append_message(out, *r.last_message, Audience{reader});
  else out += "null";
  out.push_back('}');
}

std::string room_json(const Room& room, UserId reader) {
  std::string out;
  out.reserve(512 + room.members.size() * 80);
  append_room(out, room, reader);
  return out;
}

std::string member_page_json(const MemberPage& page) {
  std::string out;
  out.reserve(64 + page.items.size() * 120);
  out += "{\"items\":[";
  for (std::size_t i = 0; i < page.items.size(); ++i) {
    if (i) out.push_back(',');
    append_member(out, page.items[i]);
  }
  out += "],\"next\":";
  if (page.next) append_json_string(out, *page.next);
  else out += "null";
  out.push_back('}');
  return out;
}

std::string room_page_json(const RoomPage& page, UserId reader) {
  std::string out;
  out.reserve(64 + page.items.size() * 600);
  out += "{\"items\":[";
  for (std::size_t i = 0; i < page.items.size(); ++i) {
    if (i) out.push_back(',');
    append_room(out, page.items[i], reader);
  }
  out += "],\"next\":";
  if (page.next) append_json_string(out, *page.next);
  else out += "null";
  out.push_back('}');
  return out;
}

}  // namespace parley::chat
