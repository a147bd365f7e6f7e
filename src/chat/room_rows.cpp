#include "chat/room_rows.hpp"

namespace parley::chat {

std::string_view to_string(Role role) {
  switch (role) {
    case Role::owner: return "owner";
    case Role::admin: return "admin";
    default: return "member";
  }
}

std::optional<Role> parse_role(std::string_view text) {
  if (text == "owner") return Role::owner;
  if (text == "admin") return Role::admin;
  if (text == "member") return Role::member;
  return std::nullopt;
}

Room room_from_row(store::Row& row) {
  Room r;
  r.id = RoomId{row.int64(0)};
  r.kind = row.text(1) == "direct" ? RoomKind::direct : RoomKind::group;
  r.name = row.opt_text(2);
  r.code = row.opt_text(3);
  r.created_at = std::string(row.text(4));
  r.last_seq = row.int64(5);
  r.last_activity_at = std::string(row.text(6));
  r.unread = row.int64(8);
  return r;
}

std::optional<std::int64_t> last_message_id(const store::Row& row) { return row.opt_int64(7); }

Member member_from_row(const store::Row& row, std::size_t c) {
  return Member{UserId{row.int64(c)}, parse_role(row.text(c + 1)).value_or(Role::member), row.int64(c + 2),
                row.int64(c + 3)};
}

}  // namespace parley::chat
