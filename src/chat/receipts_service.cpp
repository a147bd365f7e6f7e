// What the gateway needs besides send: membership, replay, read and delivered markers, typing.
#include "chat/chat_service.hpp"
#include "chat/errors.hpp"
#include "chat/message_json.hpp"
#include "chat/message_rows.hpp"
#include "chat/room_rows.hpp"

#include <algorithm>

namespace parley::chat {
namespace {

constexpr std::string_view kMemberRole = "SELECT role FROM room_members WHERE room_id = $1 AND user_id = $2";
constexpr std::string_view kLastSeq = "SELECT last_seq FROM rooms WHERE id = $1";
constexpr std::string_view kEvents =
    "SELECT e.seq, e.kind, " PARLEY_CHAT_MESSAGE_COLUMNS
    " FROM room_events e JOIN messages m ON m.id = e.message_id"
    " WHERE e.room_id = $2 AND e.seq > $3 AND e.seq <= $4 ORDER BY e.seq";
constexpr std::string_view kMarkers =
    "SELECT rm.read_seq, rm.delivered_seq, r.last_seq FROM room_members rm JOIN rooms r ON r.id = rm.room_id"
    " WHERE rm.room_id = $1 AND rm.user_id = $2";
constexpr std::string_view kAdvanceRead =
    "UPDATE room_members SET read_seq = $3, delivered_seq = CASE WHEN delivered_seq > $3 THEN delivered_seq ELSE $3 END"
    " WHERE room_id = $1 AND user_id = $2 AND read_seq < $3";
constexpr std::string_view kAdvanceDelivered =
    "UPDATE room_members SET delivered_seq = $3 WHERE room_id = $1 AND user_id = $2 AND delivered_seq < $3";
constexpr std::string_view kMemberIds = "SELECT user_id FROM room_members WHERE room_id = $1";

std::shared_ptr<const std::string> receipt_frame(std::string_view type, RoomId room, UserId user,
                                                 std::optional<std::int64_t> seq) {
  std::string out = "{\"t\":\"";
  out += type;
  out += "\",\"room\":";
  append_id(out, room.value);
  out += ",\"user_id\":";
  append_id(out, user.value);
  if (seq) {
    out += ",\"seq\":";
    out += std::to_string(*seq);
  }
  out.push_back('}');
  return std::make_shared<const std::string>(std::move(out));
}

}  // namespace

asio::awaitable<Role> ChatService::require_member(UserId user, RoomId room) {
  auto rows = co_await db_.read("chat.member_role", kMemberRole, room.value, user.value);
  if (rows.empty()) throw room_not_found();
  co_return parse_role(rows[0].text(0)).value_or(Role::member);
}

asio::awaitable<EventPage> ChatService::events_after(UserId viewer, RoomId room, std::int64_t since, int limit) {
  co_await require_member(viewer, room);
  since = std::max<std::int64_t>(since, 0);
  limit = std::clamp(limit, 1, 1000);
  // last_seq first, then the events up to it: what the page holds is exactly (since, upper].
  auto last = co_await db_.read("chat.last_seq", kLastSeq, room.value);
  EventPage page;
  if (last.empty()) throw room_not_found();
  page.last_seq = last[0].int64(0);
  if (page.last_seq <= since) co_return page;
  // No since + limit past 2^63-1 (a client may send since = 2^63-1).
  const std::int64_t upper = page.last_seq - since <= limit ? page.last_seq : since + limit;
  auto rows = co_await db_.read("chat.events_after", kEvents, viewer.value, room.value, since, upper);
  page.events.reserve(rows.size());
  const Audience audience{viewer};
  for (auto& r : rows) {
    const std::int64_t seq = r.int64(0);
    const std::string kind(r.text(1));
    Message m = message_from_row(r, 2);
    page.events.push_back(RoomEvent{room, seq, std::make_shared<const std::string>(event_frame(kind, seq, m, audience))});
  }
  co_return page;
}

asio::awaitable<void> ChatService::advance_marker(UserId user, RoomId room, std::int64_t seq, bool read) {
  auto rows = co_await db_.read("chat.markers", kMarkers, room.value, user.value);
  if (rows.empty()) throw room_not_found();
  const std::int64_t current = rows[0].int64(read ? 0 : 1);
  const std::int64_t target = std::min(seq, rows[0].int64(2));  // never past the newest event
  if (target <= current) co_return;                              // never backwards: nothing to write
  const std::string_view sql = read ? kAdvanceRead : kAdvanceDelivered;
  const std::string_view op = read ? "chat.mark_read" : "chat.mark_delivered";
  const std::int64_t moved = co_await db_.write(op, [&](store::Tx& tx) {
    tx.exec(sql, {room.value, user.value, target});
    return tx.changes();
  });
  if (moved > 0 && bus_) bus_->publish_ephemeral(room, receipt_frame(read ? "read" : "delivered", room, user, target), std::nullopt);
}

asio::awaitable<void> ChatService::mark_read(UserId user, RoomId room, std::int64_t seq) {
  co_await advance_marker(user, room, seq, true);
}

asio::awaitable<void> ChatService::mark_delivered(UserId user, RoomId room, std::int64_t seq) {
  co_await advance_marker(user, room, seq, false);
}

asio::awaitable<void> ChatService::typing(UserId user, RoomId room) {
  co_await require_member(user, room);
  if (bus_) bus_->publish_ephemeral(room, receipt_frame("typing", room, user, std::nullopt), user);
}

asio::awaitable<std::vector<UserId>> ChatService::member_ids(RoomId room) {
  auto rows = co_await db_.read("chat.member_ids", kMemberIds, room.value);
  std::vector<UserId> ids;
  ids.reserve(rows.size());
  for (const auto& r : rows) ids.push_back(UserId{r.int64(0)});
  co_return ids;
}

}  // namespace parley::chat
