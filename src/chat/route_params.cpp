#include "chat/route_params.hpp"

#include "chat/cursor.hpp"
#include "chat/errors.hpp"

#include <charconv>

namespace parley::chat {
namespace {

std::optional<std::int64_t> integer(std::string_view s) {
  std::int64_t v = 0;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (s.empty() || ec != std::errc{} || ptr != s.data() + s.size()) return std::nullopt;
  return v;
}

}  // namespace

RoomId room_param(const net::Request& req) {
  auto id = RoomId::parse(req.param("id"));
  if (!id) throw room_not_found();
  return *id;
}

MessageId message_param(const net::Request& req) {
  auto id = MessageId::parse(req.param("id"));
  if (!id) throw message_not_found();
  return *id;
}

UserId user_param(const net::Request& req) {
  auto id = UserId::parse(req.param("user_id"));
  if (!id) throw member_not_found();
  return *id;
}

int limit_param(const net::Request& req) {
  auto text = req.query_param("limit");
  if (!text) return 50;
  auto v = integer(*text);
  if (!v || *v < 1 || *v > 100) throw invalid_field("limit", "an integer from 1 to 100");
  return static_cast<int>(*v);
}

PageQuery page_params(const net::Request& req) {
  PageQuery q;
  q.limit = limit_param(req);
  const auto before = req.query_param("before");
  const auto after = req.query_param("after");
  const auto cursor = req.query_param("cursor");
  if ((before ? 1 : 0) + (after ? 1 : 0) + (cursor ? 1 : 0) > 1)
    throw invalid_field(cursor ? "cursor" : "after", "give one of before, after and cursor");
  if (cursor) {
    auto c = decode_message_cursor(*cursor);
    if (!c) throw invalid_field("cursor", "not a cursor this server gave");
    q.after = c->after;
    q.seq = c->seq;
  } else if (before || after) {
    auto v = integer(before ? *before : *after);
    if (!v || *v < 0) throw invalid_field(before ? "before" : "after", "a seq (an integer from 0)");
    q.after = after.has_value();
    q.seq = *v;
  }
  return q;
}

net::Response json_text(int status, std::string body) {
  net::Response r;
  r.status = status;
  r.body = std::move(body);
  return r;
}

}  // namespace parley::chat
