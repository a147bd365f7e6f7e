// Parley's real-time frames (API.md "Real-time", GET /v1/ws). Server frames are JSON objects
// with a "t" type; this reads only the fields it needs, without a full parse.
#include <charconv>

#include <fmt/core.h>

#include "chat_protocol.hpp"

namespace parley::bench {
namespace {

// The ping whose pong tells that the preceding "sub" was taken (frames of one connection are
// handled in order).
constexpr std::string_view kJoinPingId = "pb-join";

class ParleyFrames final : public ChatProtocol {
 public:
  Peer peer() const override { return Peer::parley; }
  std::string default_target() const override { return "/v1/ws"; }
  bool waits_for_open() const override { return false; }

  std::string auth_frame(std::string_view token, std::string_view) const override {
    return fmt::format(R"({{"op":"auth","token":{}}})", json_quote(token));
  }

  std::vector<std::string> join_frames(std::string_view room) const override {
    return {fmt::format(R"({{"op":"sub","rooms":[{{"room":{},"since":0}}]}})", json_quote(room)),
            fmt::format(R"({{"op":"ping","id":"{}"}})", kJoinPingId)};
  }

  std::string send_frame(std::string_view room, std::string_view client_prefix, std::uint64_t n,
                         std::string_view body) const override {
    return fmt::format(R"({{"op":"send","room":"{}","client_id":"{}.{}","body":"{}"}})", room, client_prefix, n,
                       body);
  }

  std::string pong_frame() const override { return {}; }  // Parley keeps alive with WebSocket pings

  ChatEvent classify(std::string_view text) const override {
    ChatEvent e;
    const auto type = json_string_field(text, "t");
    if (type == "msg") {
      if (find_stamp(text, e.stamp_ns)) e.kind = ChatEvent::Kind::delivery;
    } else if (type == "ack") {
      const auto id = json_string_field(text, "client_id");
      const auto dot = id.rfind('.');
      if (dot != std::string_view::npos) {
        auto [end, ec] = std::from_chars(id.data() + dot + 1, id.data() + id.size(), e.n);
        if (ec == std::errc{} && end == id.data() + id.size()) e.kind = ChatEvent::Kind::ack;
      }
    } else if (type == "ready") {
      e.kind = ChatEvent::Kind::ready;
    } else if (type == "pong") {
      if (json_string_field(text, "id") == kJoinPingId) e.kind = ChatEvent::Kind::joined;
    } else if (type == "error") {
      e.kind = ChatEvent::Kind::error;
    }
    return e;
  }
};

}  // namespace

std::unique_ptr<ChatProtocol> make_parley_protocol() { return std::make_unique<ParleyFrames>(); }

}  // namespace parley::bench
