#pragma once
// Chat: rooms (direct and group), members and roles, messages with a gapless per-room seq,
// receipts. Every operation checks membership (404 for rooms and messages the caller cannot
// see, 403 for a member without the role) and throws ApiError. Stored events are published
// through the EventBus after their commit, in seq order; receipts and typing go out ephemeral.
//
// Called by the REST routes (rooms_routes.cpp, messages_routes.cpp) and by the WebSocket gateway
// (require_member, events_after, send, mark_read, mark_delivered, typing, member_ids).
#include "auth/auth_service.hpp"
#include "chat/cursor.hpp"
#include "chat/events.hpp"
#include "chat/model.hpp"
#include "core/ids.hpp"
#include "store/database.hpp"

#include <boost/asio/awaitable.hpp>

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace parley::chat {

namespace asio = boost::asio;

class ChatService {
 public:
  // bus may be null: nothing is published then.
  ChatService(store::Database& db, IdGenerator& ids, EventBus* bus);

  // --- rooms (rooms_service.cpp) ---
  // The direct room of the two users; created = false when it existed already.
  asio::awaitable<std::pair<Room, bool>> open_direct(UserId me, UserId other);
  asio::awaitable<Room> create_group(UserId me, std::string name, std::vector<UserId> members);
  // The caller's rooms, most recent activity first. limit 1..100.
  asio::awaitable<RoomPage> rooms(UserId me, int limit, std::optional<RoomCursor> cursor);
  asio::awaitable<Room> room(UserId me, RoomId room);
  // Every member of the room by user id, a page at a time (404 for non-members). limit 1..100.
  asio::awaitable<MemberPage> members(UserId me, RoomId room, int limit, std::optional<std::int64_t> after_user);
  asio::awaitable<Room> join(UserId me, std::string code);
  asio::awaitable<void> add_member(UserId me, RoomId room, UserId user);
  asio::awaitable<void> remove_member(UserId me, RoomId room, UserId user);
  asio::awaitable<void> set_role(UserId me, RoomId room, UserId user, Role role);
  // A new join code (owner/admin of a group); the old one stops working.
  asio::awaitable<Room> new_code(UserId me, RoomId room);

  // --- messages (messages_service.cpp) ---
  asio::awaitable<MessagePage> messages(UserId me, RoomId room, PageQuery query);
  // Durable when it returns. The same (room, sender, client_id) again returns the original with
  // created = false and publishes nothing. Validates `in` (422).
  asio::awaitable<SendResult> send(const auth::Principal& me, RoomId room, SendInput in);
  asio::awaitable<Message> edit(UserId me, MessageId id, EditInput in);  // sender only
  asio::awaitable<void> remove(UserId me, MessageId id);                 // sender, or room owner/admin
  // View-once: the content for a recipient, once (410 view_once_consumed after). Any other
  // message (or the sender's own) is returned as it is.
  asio::awaitable<Message> view(UserId me, MessageId id);

  // --- for the gateway (receipts_service.cpp) ---
  asio::awaitable<Role> require_member(UserId user, RoomId room);
  // Stored events with since < seq <= min(last_seq, since + limit), in order, rendered for the
  // viewer, and the room's last_seq when read. Live events from the bus have seq > that last_seq.
  asio::awaitable<EventPage> events_after(UserId viewer, RoomId room, std::int64_t since, int limit);
  // Advance the caller's markers (never backwards; beyond last_seq is clamped to it) and publish
  // {"t":"read"|"delivered","room","user_id","seq"} when they moved. Reading implies delivery.
  asio::awaitable<void> mark_read(UserId user, RoomId room, std::int64_t seq);
  asio::awaitable<void> mark_delivered(UserId user, RoomId room, std::int64_t seq);
  // {"t":"typing","room","user_id"} to the room's other subscribers (membership checked).
  asio::awaitable<void> typing(UserId user, RoomId room);
  asio::awaitable<std::vector<UserId>> member_ids(RoomId room);

  store::Database& db() { return db_; }

 private:
  asio::awaitable<std::optional<Room>> load_room(UserId viewer, RoomId room);
  // Inside a write: the room's next seq (404 when there is no such room).
  static std::int64_t next_seq(store::Tx& tx, RoomId room);
  // Inside a write: publish the event after the commit.
  void publish_after_commit(store::Tx& tx, RoomId room, std::int64_t seq, std::string frame);
  asio::awaitable<void> advance_marker(UserId user, RoomId room, std::int64_t seq, bool read);

  store::Database& db_;
  IdGenerator& ids_;
  EventBus* bus_;
};

}  // namespace parley::chat
