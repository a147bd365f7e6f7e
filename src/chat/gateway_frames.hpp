#pragma once
// The gateway's own frames (those the chat service does not render): ready, subscribed, ack,
// pong, error. Server → client frames are JSON objects with a "t" member (API.md "Real-time").
#include "chat/model.hpp"
#include "core/problem.hpp"

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace parley::chat::frames {

using Shared = std::shared_ptr<const std::string>;

Shared ready(UserId user, std::int64_t session);
Shared subscribed(RoomId room, std::int64_t last_seq, std::int64_t since);
Shared unsubscribed(RoomId room, std::string_view reason);
// To a user: they are now a member of `room` ({"t":"added","room","by"}); `by` is who did it.
Shared added(RoomId room, UserId by);
Shared ack(RoomId room, const Message& m, bool created);
Shared pong(const boost::json::value* id);
// The answer to a fresh token on the open socket: {"t":"authed","user_id","session_id","expires_at"}.
Shared authed(UserId user, std::int64_t session, std::int64_t expires_at);
// {"t":"error","code","detail","ref"?,"room"?}; `ref` names what was refused (a room, a client_id,
// an id), `room` the room it concerned.
Shared error(std::string_view code, std::string_view detail, std::optional<std::string_view> ref = std::nullopt,
             std::optional<RoomId> room = std::nullopt);
// The same from a refused operation's problem (its per-field messages as "fields").
Shared error(const Problem& problem, std::optional<std::string_view> ref, std::optional<RoomId> room = std::nullopt);

// Reading client frames: the member as a string / id, or nullopt.
std::optional<std::string_view> string_member(const boost::json::object& o, std::string_view key);
std::optional<std::int64_t> id_member(const boost::json::object& o, std::string_view key);

// A seq member (since, seq): only a JSON integer from 0 to 2^63-1 is one. A string ("5"), a
// fraction or exponent (1.5, 1e3), a bool or a number out of range is present but bad, never
// coerced. Absent or null: not present.
struct SeqMember {
  bool present = false;
  std::optional<std::int64_t> value;
  bool bad() const { return present && !value; }
};
SeqMember seq_member(const boost::json::object& o, std::string_view key);

}  // namespace parley::chat::frames
