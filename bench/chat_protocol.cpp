#include "chat_protocol.hpp"

#include <charconv>

#include <fmt/core.h>

namespace parley::bench {

std::unique_ptr<ChatProtocol> make_parley_protocol();    // parley_frames.cpp
std::unique_ptr<ChatProtocol> make_socketio_protocol();  // socketio_frames.cpp

std::unique_ptr<ChatProtocol> make_chat_protocol(Peer peer) {
  return peer == Peer::parley ? make_parley_protocol() : make_socketio_protocol();
}

std::string stamped_body(std::int64_t scheduled_ns, std::size_t size) {
  std::string body = fmt::format("pbts{} ", scheduled_ns);
  if (body.size() < size) body.append(size - body.size(), 'x');
  return body;
}

bool find_stamp(std::string_view text, std::int64_t& ns) {
  const auto at = text.find("pbts");
  if (at == std::string_view::npos) return false;
  const char* first = text.data() + at + 4;
  auto [end, ec] = std::from_chars(first, text.data() + text.size(), ns);
  return ec == std::errc{} && end != first;
}

std::string_view json_string_field(std::string_view text, std::string_view key) {
  std::string pattern;
  pattern.reserve(key.size() + 4);
  pattern += '"';
  pattern += key;
  pattern += "\":\"";
  const auto at = text.find(pattern);
  if (at == std::string_view::npos) return {};
  const auto from = at + pattern.size();
  const auto to = text.find('"', from);
  return to == std::string_view::npos ? std::string_view{} : text.substr(from, to - from);
}

std::string json_quote(std::string_view s) {
  std::string out;
  out.reserve(s.size() + 2);
  out += '"';
  for (const char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += ch;
    } else if (c < 0x20) {
      out += fmt::format("\\u{:04x}", c);
    } else {
      out += ch;
    }
  }
  out += '"';
  return out;
}

}  // namespace parley::bench
