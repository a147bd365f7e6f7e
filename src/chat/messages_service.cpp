// Messages: pages, sends (idempotent by client_id), edits and deletes as events with their own
// seq, view-once.
#include "chat/chat_service.hpp"
#include "chat/errors.hpp"
#include "chat/message_json.hpp"
#include "chat/message_rows.hpp"
#include "chat/validation.hpp"

namespace parley::chat {
namespace {

constexpr std::string_view kIsMember = "SELECT 1 FROM room_members WHERE room_id = $1 AND user_id = $2";
constexpr std::string_view kPageBefore =
    "SELECT " PARLEY_CHAT_MESSAGE_COLUMNS
    " FROM messages m WHERE m.room_id = $2 AND m.seq < $3 ORDER BY m.seq DESC LIMIT $4";
constexpr std::string_view kPageAfter =
    "SELECT " PARLEY_CHAT_MESSAGE_COLUMNS
    " FROM messages m WHERE m.room_id = $2 AND m.seq > $3 ORDER BY m.seq ASC LIMIT $4";
constexpr std::string_view kByClientId =
    "SELECT " PARLEY_CHAT_MESSAGE_COLUMNS
    " FROM messages m WHERE m.sender_id = $1 AND m.room_id = $2 AND m.client_id = $3";
constexpr std::string_view kMessageById = "SELECT " PARLEY_CHAT_MESSAGE_COLUMNS " FROM messages m WHERE m.id = $2";
// The message with the reader's membership: 404 unless the reader belongs to its room.
constexpr std::string_view kMessageForMember =
    "SELECT " PARLEY_CHAT_MESSAGE_COLUMNS
    ", rm.role FROM messages m JOIN room_members rm ON rm.room_id = m.room_id AND rm.user_id = $1 WHERE m.id = $2";
constexpr std::string_view kNewMessageSeq =
    "UPDATE rooms SET last_seq = last_seq + 1, last_message_id = $2, last_activity_at = $3 WHERE id = $1 RETURNING last_seq";
constexpr std::string_view kLockRoom = "SELECT last_seq FROM rooms WHERE id = $1 FOR UPDATE";
constexpr std::string_view kNextSeq = "UPDATE rooms SET last_seq = last_seq + 1 WHERE id = $1 RETURNING last_seq";
// Sending reads everything before it, the message included (seq is the newest: this only advances).
constexpr std::string_view kSenderMarkers =
    "UPDATE room_members SET read_seq = $3, delivered_seq = CASE WHEN delivered_seq > $3 THEN delivered_seq ELSE $3 END WHERE room_id = $1 AND user_id = $2";
constexpr std::string_view kInsertMessage =
    "INSERT INTO messages (id, room_id, seq, sender_id, client_id, body, ciphertext, iv, reply_to, attachments, "
    "view_once, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)";
constexpr std::string_view kInsertEvent = "INSERT INTO room_events (room_id, seq, kind, message_id) VALUES ($1, $2, $3, $4)";

store::Value opt(const std::optional<std::string>& s) { return s ? store::Value(*s) : store::Value(); }

std::string attachments_json(const std::vector<std::int64_t>& ids) {
  if (ids.empty()) return {};
  std::string out = "[";
  for (std::size_t i = 0; i < ids.size(); ++i) {
    if (i) out.push_back(',');
    append_id(out, ids[i]);
  }
  out.push_back(']');
  return out;
}

// Inside a write: the message and the caller's role in its room (404 for non-members).
std::pair<Message, Role> message_for_member(store::Tx& tx, UserId me, MessageId id) {
  auto rows = tx.exec(kMessageForMember, {me.value, id.value});
  if (rows.empty()) throw message_not_found();
  const Role role = parse_role(rows[0].text(kMessageColumnCount)).value_or(Role::member);
  return {message_from_row(rows[0]), role};
}

Message reload(store::Tx& tx, MessageId id) {
  auto rows = tx.exec(kMessageById, {std::int64_t{0}, id.value});
  return message_from_row(rows.at(0));
}

}  // namespace

std::int64_t ChatService::next_seq(store::Tx& tx, RoomId room) {
  auto rows = tx.exec(kNextSeq, {room.value});
  if (rows.empty()) throw room_not_found();
  return rows[0].int64(0);
}

void ChatService::publish_after_commit(store::Tx& tx, RoomId room, std::int64_t seq, std::string frame) {
  if (!bus_) return;
  auto fn = [bus = bus_, event = RoomEvent{room, seq, std::make_shared<const std::string>(std::move(frame))}]() mutable {
    bus->publish(std::move(event));
  };
  tx.after_commit(std::move(fn));
}

asio::awaitable<MessagePage> ChatService::messages(UserId me, RoomId room, PageQuery q) {
  auto member = co_await db_.read("chat.is_member", kIsMember, room.value, me.value);
  if (member.empty()) throw room_not_found();
  const std::int64_t fetch = q.limit + 1;  // one more than asked: is there a next page?
  const std::string_view op = q.after ? "chat.page_after" : "chat.page_before";
  const std::string_view sql = q.after ? kPageAfter : kPageBefore;
  auto rows = co_await db_.read(op, sql, me.value, room.value, q.seq, fetch);
  MessagePage page;
  const bool more = rows.size() > static_cast<std::size_t>(q.limit);
  if (more) rows.pop_back();
  page.items.reserve(rows.size());
  for (auto& r : rows) page.items.push_back(message_from_row(r));
  if (more) page.next = PageQuery{q.after, page.items.back().seq, q.limit};
  co_return page;
}

asio::awaitable<SendResult> ChatService::send(const auth::Principal& me, RoomId room, SendInput in) {
  validate_send(in);
  const UserId sender{me.user_id};
  Message m;
  m.id = MessageId{ids_.next()};
  m.room = room;
  m.sender = sender;
  m.client_id = std::move(in.client_id);
  m.body = std::move(in.body);
  m.ciphertext = std::move(in.ciphertext);
  m.iv = std::move(in.iv);
  m.reply_to = in.reply_to;
  m.attachments_json = attachments_json(in.attachments);
  m.view_once = in.view_once;
  m.created_at = auth::now_text();
  // The live frame's message, serialized here: the writer thread only splices in the seq. A
  // shared frame has no reader, so view-once content stays out of it.
  std::string tail;
  if (bus_) append_message_tail(tail, m, Audience{});
  auto result = co_await db_.write("chat.send", [&](store::Tx& tx) -> SendResult {
    // The room's counter row first: locked to COMMIT (on PostgreSQL), it orders this send after any
    // other node's send to the room, so the client_id check below sees a retry that won the race.
    if (tx.exec(kLockRoom, {room.value}).empty()) throw room_not_found();
    auto dup = tx.exec(kByClientId, {sender.value, room.value, m.client_id});
    if (!dup.empty()) {
      if (tx.exec(kIsMember, {room.value, sender.value}).empty()) throw room_not_found();
      return {message_from_row(dup[0]), false};
    }
    auto seq_rows = tx.exec(kNewMessageSeq, {room.value, m.id.value, m.created_at});
    if (seq_rows.empty()) throw room_not_found();
    m.seq = seq_rows[0].int64(0);
    // Not a member: throwing rolls the seq back with the savepoint, so seq stays gapless.
    tx.exec(kSenderMarkers, {room.value, sender.value, m.seq});
    if (tx.changes() == 0) throw room_not_found();
    if (m.reply_to && tx.exec("SELECT 1 FROM messages WHERE id = $1 AND room_id = $2", {m.reply_to->value, room.value}).empty())
      throw invalid_field("reply_to", "no such message in this room");
    tx.exec(kInsertMessage, {m.id.value, room.value, m.seq, sender.value, m.client_id, opt(m.body), opt(m.ciphertext),
                             opt(m.iv), m.reply_to ? store::Value(m.reply_to->value) : store::Value(),
                             m.attachments_json.empty() ? store::Value() : store::Value(m.attachments_json),
                             std::int64_t{m.view_once}, m.created_at});
    tx.exec(kInsertEvent, {room.value, m.seq, "msg", m.id.value});
    if (bus_) publish_after_commit(tx, room, m.seq, msg_frame_from_tail(room, m.seq, m.id, tail));
    return {std::move(m), true};
  });
  co_return result;
}

asio::awaitable<Message> ChatService::edit(UserId me, MessageId id, EditInput in) {
  validate_edit(in);
  const std::string now = auth::now_text();
  auto edited = co_await db_.write("chat.edit", [&](store::Tx& tx) {
    auto [m, role] = message_for_member(tx, me, id);
    if (!m.sender || *m.sender != me) throw forbidden("only the sender edits a message");
    if (m.deleted) throw ApiError(problems::conflict("message_deleted", "the message was deleted"));
    if (m.view_once) throw ApiError(problems::conflict("view_once", "view-once messages cannot be edited"));
    const std::int64_t seq = next_seq(tx, m.room);
    tx.exec("UPDATE messages SET body = $2, ciphertext = $3, iv = $4, edited_at = $5 WHERE id = $1",
            {id.value, opt(in.body), opt(in.ciphertext), opt(in.iv), now});
    tx.exec(kInsertEvent, {m.room.value, seq, "edit", id.value});
    Message current = reload(tx, id);
    publish_after_commit(tx, current.room, seq, event_frame("edit", seq, current, Audience{}));
    return current;
  });
  co_return edited;
}

asio::awaitable<void> ChatService::remove(UserId me, MessageId id) {
  const std::string now = auth::now_text();
  co_await db_.write("chat.delete", [&](store::Tx& tx) {
    auto [m, role] = message_for_member(tx, me, id);
    const bool own = m.sender && *m.sender == me;
    if (!own && !can_manage(role)) throw forbidden("only the sender or the room's owner or admins delete a message");
    if (m.deleted) return;  // already a tombstone: no new event
    const std::int64_t seq = next_seq(tx, m.room);
    tx.exec("UPDATE messages SET body = NULL, ciphertext = NULL, iv = NULL, attachments = NULL, deleted_at = $2 "
            "WHERE id = $1",
            {id.value, now});
    tx.exec(kInsertEvent, {m.room.value, seq, "delete", id.value});
    Message tombstone = reload(tx, id);
    publish_after_commit(tx, tombstone.room, seq, event_frame("delete", seq, tombstone, Audience{}));
  });
}

asio::awaitable<Message> ChatService::view(UserId me, MessageId id) {
  const std::string now = auth::now_text();
  auto seen = co_await db_.write("chat.view", [&](store::Tx& tx) {
    auto [m, role] = message_for_member(tx, me, id);
    if (!m.view_once || m.deleted || (m.sender && *m.sender == me)) return m;
    tx.exec("INSERT INTO message_views (message_id, user_id, viewed_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
            {id.value, me.value, now});
    if (tx.changes() == 0)
      throw ApiError(problems::make(410, "view_once_consumed", "this view-once message was already viewed"));
    m.viewed = true;
    return m;
  });
  co_return seen;
}

}  // namespace parley::chat
