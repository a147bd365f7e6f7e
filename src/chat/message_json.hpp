#pragma once
// The public JSON of messages and room events, written straight into one string (no DOM): a page
// of 50 messages is one buffer. Shapes: API.md "Rooms and messages" and docs/api/openapi.yaml.
#include "chat/model.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace parley::chat {

// Appends s as a JSON string (quoted, escaped). s is valid UTF-8 (validated on the way in).
void append_json_string(std::string& out, std::string_view s);
void append_id(std::string& out, std::int64_t id);  // "123" (ids travel as decimal strings)

// Whether a view-once message shows its content: always to its sender, to a recipient only in
// the answer of POST /v1/messages/{id}/view (reveal), never in a shared live frame (no viewer).
struct Audience {
  std::optional<UserId> viewer;
  bool reveal = false;
};

// {"id":…,"room_id":…,"seq":…, + the tail. The tail (everything after seq) is what a send
// serializes ahead of its write, so that the writer thread only splices in the seq.
void append_message(std::string& out, const Message& m, const Audience& audience);
void append_message_tail(std::string& out, const Message& m, const Audience& audience);
std::string message_json(const Message& m, const Audience& audience);

// {"t":"msg"|"edit"|"delete","room":"…","seq":N,"message":{…}}. For "msg", seq == m.seq.
std::string event_frame(std::string_view type, std::int64_t event_seq, const Message& m, const Audience& audience);
// The same "msg" frame from a tail serialized beforehand (see append_message_tail).
std::string msg_frame_from_tail(RoomId room, std::int64_t seq, MessageId id, std::string_view tail);

// {"items":[…],"next":"…"|null} for a message page.
std::string message_page_json(const MessagePage& page, const Audience& audience);

}  // namespace parley::chat
