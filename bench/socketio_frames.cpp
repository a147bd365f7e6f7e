// Socket.IO v5 packets over Engine.IO v4, websocket transport, default namespace "/":
// an Engine.IO packet is one WebSocket text frame, its first character the Engine.IO type
// (0 open, 1 close, 2 ping, 3 pong, 4 message); a "4" carries a Socket.IO packet whose first
// character is its type (0 connect, 1 disconnect, 2 event, 3 ack, 4 connect error), then an
// optional ack id (digits), then JSON.
#include <charconv>

#include <fmt/core.h>

#include "chat_protocol.hpp"

namespace parley::bench {
namespace {

// Ack ids are chosen by the client: 0 is the join, sends use their number n (from 1).
constexpr std::uint64_t kJoinAckId = 0;

class SocketIoFrames final : public ChatProtocol {
 public:
  Peer peer() const override { return Peer::socketio; }
  std::string default_target() const override { return "/socket.io/?EIO=4&transport=websocket"; }
  bool waits_for_open() const override { return true; }

  std::string auth_frame(std::string_view token, std::string_view user) const override {
    return fmt::format(R"(40{{"token":{},"user":{}}})", json_quote(token), json_quote(user));
  }

  std::vector<std::string> join_frames(std::string_view room) const override {
    return {fmt::format(R"(42{}["join",{{"rooms":[{}]}}])", kJoinAckId, json_quote(room))};
  }

  std::string send_frame(std::string_view room, std::string_view client_prefix, std::uint64_t n,
                         std::string_view body) const override {
    return fmt::format(R"(42{}["send",{{"room":"{}","client_id":"{}.{}","body":"{}"}}])", n, room, client_prefix, n,
                       body);
  }

  std::string pong_frame() const override { return "3"; }

  ChatEvent classify(std::string_view text) const override {
    ChatEvent e;
    if (text.empty()) return e;
    switch (text[0]) {
      case '0': e.kind = ChatEvent::Kind::open; return e;
      case '1': e.kind = ChatEvent::Kind::error; return e;  // the server closes the session
      case '2': e.kind = ChatEvent::Kind::ping; return e;
      case '4': break;
      default: return e;
    }
    if (text.size() < 2) return e;
    const char type = text[1];
    text.remove_prefix(2);
    switch (type) {
      case '0': e.kind = ChatEvent::Kind::ready; return e;
      case '1': e.kind = ChatEvent::Kind::error; return e;
      case '4': e.kind = ChatEvent::Kind::refused; return e;
      case '2':  // event: only "msg" is measured
        if (text.starts_with(R"(["msg",)") && find_stamp(text, e.stamp_ns)) e.kind = ChatEvent::Kind::delivery;
        return e;
      case '3': {
        auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), e.n);
        if (ec != std::errc{} || end == text.data()) return e;
        e.kind = e.n == kJoinAckId ? ChatEvent::Kind::joined : ChatEvent::Kind::ack;
        return e;
      }
      default: return e;
    }
  }
};

}  // namespace

std::unique_ptr<ChatProtocol> make_socketio_protocol() { return std::make_unique<SocketIoFrames>(); }

}  // namespace parley::bench
