#include "chat/message_json.hpp"

#include "chat/cursor.hpp"
#include "core/utf8.hpp"

#include <charconv>

namespace parley::chat {
namespace {

constexpr char kHex[] = "0123456789abcdef";

void append_int(std::string& out, std::int64_t v) {
  char buf[24];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  out.append(buf, end);
}

void append_opt_string(std::string& out, const std::optional<std::string>& s) {
  if (s) append_json_string(out, *s);
  else out += "null";
}

bool shows_content(const Message& m, const Audience& a) {
  if (m.deleted) return false;
  if (!m.view_once || a.reveal) return true;
  return a.viewer && m.sender && *a.viewer == *m.sender;
}

}  // namespace

void append_json_string(std::string& out, std::string_view s) {
  // The JSON written here must be valid UTF-8 whatever the store held (core/json_text.hpp).
  if (!utf8::valid(s)) {
    const std::string clean = utf8::scrub(s);
    append_json_string(out, clean);
    return;
  }
  out.push_back('"');
  std::size_t run = 0;  // start of the pending run of characters that need no escape
  for (std::size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    out.append(s.data() + run, i - run);
    run = i + 1;
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      default:
        out += "\\u00";
        out.push_back(kHex[c >> 4]);
        out.push_back(kHex[c & 0xF]);
    }
  }
  out.append(s.data() + run, s.size() - run);
  out.push_back('"');
}

void append_id(std::string& out, std::int64_t id) {
  out.push_back('"');
  append_int(out, id);
  out.push_back('"');
}

void append_message_tail(std::string& out, const Message& m, const Audience& a) {
  out += "\"sender_id\":";
  if (m.sender) append_id(out, m.sender->value);
  else out += "null";
  out += ",\"client_id\":";
  append_json_string(out, m.client_id);
  if (shows_content(m, a)) {
    if (m.body) {
      out += ",\"body\":";
      append_json_string(out, *m.body);
    } else if (m.ciphertext) {
      out += ",\"ciphertext\":";
      append_json_string(out, *m.ciphertext);
      out += ",\"iv\":";
      append_opt_string(out, m.iv);
    }
  }
  out += ",\"reply_to\":";
  if (m.reply_to) append_id(out, m.reply_to->value);
  else out += "null";
  out += ",\"attachments\":";
  out += m.attachments_json.empty() ? std::string_view("[]") : std::string_view(m.attachments_json);
  out += m.view_once ? ",\"view_once\":true" : ",\"view_once\":false";
  if (m.view_once && a.viewer && !(m.sender && *m.sender == *a.viewer))
    out += m.viewed || a.reveal ? ",\"viewed\":true" : ",\"viewed\":false";
  out += ",\"created_at\":";
  append_json_string(out, m.created_at);
  out += ",\"edited_at\":";
  append_opt_string(out, m.edited_at);
  out += m.deleted ? ",\"deleted\":true}" : ",\"deleted\":false}";
}

void append_message(std::string& out, const Message& m, const Audience& a) {
  out += "{\"id\":";
  append_id(out, m.id.value);
  out += ",\"room_id\":";
  append_id(out, m.room.value);
  out += ",\"seq\":";
  append_int(out, m.seq);
  out.push_back(',');
  append_message_tail(out, m, a);
}

std::string message_json(const Message& m, const Audience& a) {
  std::string out;
  out.reserve(256 + (m.body ? m.body->size() : 0) + (m.ciphertext ? m.ciphertext->size() : 0));
  append_message(out, m, a);
  return out;
}

std::string event_frame(std::string_view type, std::int64_t event_seq, const Message& m, const Audience& a) {
  std::string out;
  out.reserve(320 + (m.body ? m.body->size() : 0) + (m.ciphertext ? m.ciphertext->size() : 0));
  out += "{\"t\":\"";
  out += type;
  out += "\",\"room\":";
  append_id(out, m.room.value);
  out += ",\"seq\":";
  append_int(out, event_seq);
  out += ",\"message\":";
  append_message(out, m, a);
  out.push_back('}');
  return out;
}

std::string msg_frame_from_tail(RoomId room, std::int64_t seq, MessageId id, std::string_view tail) {
  std::string out;
  out.reserve(120 + tail.size());
  out += "{\"t\":\"msg\",\"room\":";
  append_id(out, room.value);
  out += ",\"seq\":";
  append_int(out, seq);
  out += ",\"message\":{\"id\":";
  append_id(out, id.value);
  out += ",\"room_id\":";
  append_id(out, room.value);
  out += ",\"seq\":";
  append_int(out, seq);
  out.push_back(',');
  out += tail;
  out.push_back('}');
  return out;
}

std::string message_page_json(const MessagePage& page, const Audience& a) {
  std::size_t size = 32;
  for (const auto& m : page.items)
    size += 256 + (m.body ? m.body->size() : 0) + (m.ciphertext ? m.ciphertext->size() : 0);
  std::string out;
  out.reserve(size);
  out += "{\"items\":[";
  for (std::size_t i = 0; i < page.items.size(); ++i) {
    if (i) out.push_back(',');
    append_message(out, page.items[i], a);
  }
  out += "],\"next\":";
  if (page.next) append_json_string(out, encode_message_cursor(*page.next));
  else out += "null";
  out.push_back('}');
  return out;
}

}  // namespace parley::chat
