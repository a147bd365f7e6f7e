#pragma once
// What travels inside the WebSocket: how frame number n is written and what an incoming frame
// means. The driver (ws_driver) only moves frames and times them, so other framings slot in
// here: Socket.IO (Engine.IO v4 "40" connect, "2"/"3" ping/pong, "42[...]" events) answers
// `respond`; a fan-out mode (subscribers and senders) reads the send time carried in the frame
// and answers `stamped`.
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace parley::bench {

struct Incoming {
  enum class Kind {
    other,    // not measured (e.g. a "ready" frame)
    reply,    // the answer to frame `n` of this connection: latency = now - its scheduled send
    stamped,  // carries its own send time `sent_ns` (steady clock): latency = now - sent_ns
    respond,  // the protocol wants `response` sent back (keep-alive); not measured
  };
  Kind kind = Kind::other;
  std::uint64_t n = 0;
  std::int64_t sent_ns = 0;
  std::string response;
};

class WsProtocol {
 public:
  virtual ~WsProtocol() = default;
  // Frames sent once, right after the handshake.
  virtual std::vector<std::string> opening_frames() const = 0;
  // Frame number n (per connection, from 1), scheduled at `scheduled_ns` (steady clock).
  virtual std::string make_frame(std::uint64_t n, std::int64_t scheduled_ns) const = 0;
  virtual Incoming classify(std::string_view text) const = 0;
};

// Plain JSON text frames: a template where "{n}" becomes the frame number and "{ts}" the
// scheduled send time in ns; a reply is matched by its "id" ("id":"42" or "id":42).
std::unique_ptr<WsProtocol> make_plain_protocol(std::string frame_template, std::vector<std::string> init_frames);

// The number in `"id":"123"` or `"id":123` of a JSON text, without a full parse; false if none.
bool find_id(std::string_view text, std::uint64_t& id);

}  // namespace parley::bench
