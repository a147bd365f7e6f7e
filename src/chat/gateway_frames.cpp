#include "chat/gateway_frames.hpp"

#include "core/json_text.hpp"

namespace parley::chat::frames {
namespace json = boost::json;

namespace {
Shared make(const json::object& o) { return std::make_shared<const std::string>(parley::json_text(o)); }
}  // namespace

Shared ready(UserId user, std::int64_t session) {
  return make({{"t", "ready"}, {"user_id", user.str()}, {"session_id", std::to_string(session)}});
}

Shared subscribed(RoomId room, std::int64_t last_seq, std::int64_t since) {
  return make({{"t", "subscribed"}, {"room", room.str()}, {"last_seq", last_seq}, {"since", since}});
}

Shared unsubscribed(RoomId room, std::string_view reason) {
  return make({{"t", "unsubscribed"}, {"room", room.str()}, {"reason", reason}});
}

Shared added(RoomId room, UserId by) {
  return make({{"t", "added"}, {"room", room.str()}, {"by", by.str()}});
}

Shared ack(RoomId room, const Message& m, bool created) {
  return make({{"t", "ack"},
               {"room", room.str()},
               {"client_id", m.client_id},
               {"seq", m.seq},
               {"id", m.id.str()},
               {"created", created}});
}

Shared pong(const json::value* id) {
  json::object o{{"t", "pong"}};
  if (id) o["id"] = *id;
  return make(o);
}

Shared authed(UserId user, std::int64_t session, std::int64_t expires_at) {
  return make({{"t", "authed"},
               {"user_id", user.str()},
               {"session_id", std::to_string(session)},
               {"expires_at", expires_at}});
}

Shared error(std::string_view code, std::string_view detail, std::optional<std::string_view> ref,
             std::optional<RoomId> room) {
  json::object o{{"t", "error"}, {"code", code}, {"detail", detail}};
  if (ref) o["ref"] = *ref;
  if (room) o["room"] = room->str();
  return make(o);
}

Shared error(const Problem& problem, std::optional<std::string_view> ref, std::optional<RoomId> room) {
  json::object o{{"t", "error"}, {"code", problem.code}, {"detail", problem.detail}};
  if (!problem.fields.empty()) o["fields"] = problem.fields;
  if (ref) o["ref"] = *ref;
  if (room) o["room"] = room->str();
  return make(o);
}

std::optional<std::string_view> string_member(const json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  if (!v || !v->is_string()) return std::nullopt;
  return std::string_view(v->as_string());
}

std::optional<std::int64_t> id_member(const json::object& o, std::string_view key) {
  if (auto s = string_member(o, key)) return parse_id(*s);
  return std::nullopt;
}

SeqMember seq_member(const json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  if (!v || v->is_null()) return {};
  SeqMember m{.present = true, .value = std::nullopt};
  if (v->is_int64() && v->as_int64() >= 0) m.value = v->as_int64();
  else if (v->is_uint64() && v->as_uint64() <= static_cast<std::uint64_t>(INT64_MAX))
    m.value = static_cast<std::int64_t>(v->as_uint64());
  return m;
}

}  // namespace parley::chat::frames
