#include "chat/cursor.hpp"

#include "core/encoding.hpp"

#include <charconv>

namespace parley::chat {
namespace {

std::optional<std::string> decode_text(std::string_view cursor, std::string_view prefix) {
  if (cursor.empty() || cursor.size() > 200) return std::nullopt;
  auto bytes = encoding::from_base64url(cursor);
  if (!bytes) return std::nullopt;
  std::string text(bytes->begin(), bytes->end());
  if (!text.starts_with(prefix)) return std::nullopt;
  return text.substr(prefix.size());
}

std::optional<std::int64_t> non_negative(std::string_view s) {
  std::int64_t v = 0;
  if (s.empty() || s.size() > 19) return std::nullopt;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc{} || ptr != s.data() + s.size() || v < 0) return std::nullopt;
  return v;
}

}  // namespace

std::string encode_message_cursor(const PageQuery& q) {
  return encoding::base64url(std::string(q.after ? "m1:a:" : "m1:b:") + std::to_string(q.seq));
}

std::optional<PageQuery> decode_message_cursor(std::string_view cursor) {
  auto rest = decode_text(cursor, "m1:");
  if (!rest || rest->size() < 3 || (*rest)[1] != ':') return std::nullopt;
  PageQuery q;
  if ((*rest)[0] == 'a') q.after = true;
  else if ((*rest)[0] != 'b') return std::nullopt;
  auto seq = non_negative(std::string_view(*rest).substr(2));
  if (!seq) return std::nullopt;
  q.seq = *seq;
  return q;
}

std::string encode_room_cursor(const RoomCursor& c) {
  return encoding::base64url("r2:" + std::to_string(c.activity));
}

std::optional<RoomCursor> decode_room_cursor(std::string_view cursor) {
  auto rest = decode_text(cursor, "r2:");
  if (!rest) return std::nullopt;
  auto key = non_negative(*rest);
  if (!key) return std::nullopt;
  return RoomCursor{*key};
}

std::string encode_member_cursor(std::int64_t after_user) {
  return encoding::base64url("u1:" + std::to_string(after_user));
}

std::optional<std::int64_t> decode_member_cursor(std::string_view cursor) {
  auto rest = decode_text(cursor, "u1:");
  if (!rest) return std::nullopt;
  return non_negative(*rest);
}

}  // namespace parley::chat
