#pragma once
// What the chat service deals in: rooms, members, messages, and the inputs and pages of its
// operations. The public JSON shapes are in message_json.hpp and room_json.hpp.
#include "chat/events.hpp"
#include "core/ids.hpp"

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace parley::chat {

enum class Role { owner, admin, member };
std::string_view to_string(Role role);
std::optional<Role> parse_role(std::string_view text);
inline bool can_manage(Role role) { return role == Role::owner || role == Role::admin; }

enum class RoomKind { direct, group };

struct Message {
  MessageId id;
  RoomId room;
  std::int64_t seq = 0;                 // the seq of its creation
  std::optional<UserId> sender;         // none once the sender erased the account
  std::string client_id;
  std::optional<std::string> body;      // exactly one of body / ciphertext (+ iv), none when deleted
  std::optional<std::string> ciphertext;
  std::optional<std::string> iv;
  std::optional<MessageId> reply_to;
  std::string attachments_json;         // a JSON array of id strings, "[]" when none
  bool view_once = false;
  std::string created_at;
  std::optional<std::string> edited_at;
  bool deleted = false;
  bool viewed = false;                  // view-once: whether the reader of this row consumed it
};

struct Member {
  UserId user;
  Role role = Role::member;
  std::int64_t read_seq = 0;
  std::int64_t delivered_seq = 0;
  std::string joined_at;  // filled by GET /v1/rooms/{id}/members only
};

// How many members a room object carries (the rest: GET /v1/rooms/{id}/members).
inline constexpr std::size_t kRoomMembersShown = 10;

struct Room {
  RoomId id;
  RoomKind kind = RoomKind::group;
  std::optional<std::string> name;  // groups only
  std::optional<std::string> code;  // groups only (every reader of a room is a member)
  std::string created_at;
  std::int64_t last_seq = 0;
  std::string last_activity_at;
  std::vector<Member> members;       // the first few (kRoomMembersShown): the reader, owner, admins, then by id
  std::int64_t member_count = 0;     // all of them
  std::int64_t unread = 0;           // for the reader
  std::optional<Message> last_message;
};

// POST /v1/rooms/{id}/messages and the WS send frame; checked by validate_send (validation.hpp).
struct SendInput {
  std::string client_id;
  std::optional<std::string> body;
  std::optional<std::string> ciphertext;
  std::optional<std::string> iv;
  std::optional<MessageId> reply_to;
  std::vector<std::int64_t> attachments;  // file ids (stored as given; no media service yet)
  bool view_once = false;
};

// PATCH /v1/messages/{id}: new content, body or ciphertext + iv.
struct EditInput {
  std::optional<std::string> body;
  std::optional<std::string> ciphertext;
  std::optional<std::string> iv;
};

struct SendResult {
  Message message;
  bool created = true;  // false: the same client_id was sent before; this is the original
};

// Which way a message page goes. before: newest first, seq < cursor; after: oldest first, seq > cursor.
struct PageQuery {
  bool after = false;
  std::int64_t seq = std::numeric_limits<std::int64_t>::max();  // exclusive bound; the default: the newest page
  int limit = 50;
};

struct MessagePage {
  std::vector<Message> items;
  std::optional<PageQuery> next;  // where the next page starts, none when nothing more
};

// GET /v1/rooms/{id}/members: by user id.
struct MemberPage {
  std::vector<Member> items;
  std::optional<std::string> next;  // opaque cursor
};

struct RoomPage {
  std::vector<Room> items;
  std::optional<std::string> next;  // opaque cursor
};

// A run of stored events for replay, in seq order, plus the room's last_seq when it was read:
// the events are exactly those with since < seq <= min(last_seq, since + limit).
// Frames are rendered for the viewer (the sender of a view-once message sees its content).
struct EventPage {
  std::vector<RoomEvent> events;
  std::int64_t last_seq = 0;
};

}  // namespace parley::chat
