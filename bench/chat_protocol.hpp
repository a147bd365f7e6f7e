#pragma once
// The chat frames of each peer, behind one interface so the chat scenarios (chat_driver) drive
// Parley and Socket.IO with the same code:
//   Parley  (API.md "Real-time"): {"op":"auth"} → {"t":"ready"}; {"op":"sub"} (+ a ping whose
//           pong marks the subscription as taken); {"op":"send"} → {"t":"ack"}; {"t":"msg"}.
//   Socket.IO v5 over Engine.IO v4: "0{…}" open, "40{auth}" → "40{…}" connect, "2" → "3"
//           keep-alive, "42<id>[event,data]" events, "43<id>[data]" acks, "44{…}" refused.
// Each sent message's body starts with "pbts<ns>": its *scheduled* send time on the generator's
// steady clock, so a delivery's latency needs no per-message state (fan-out).
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace parley::bench {

enum class Peer { parley, socketio };

struct ChatEvent {
  enum class Kind {
    none,      // not measured, nothing to do
    open,      // Socket.IO: Engine.IO open packet; the client may now connect (auth)
    ready,     // authenticated
    joined,    // the room subscription is in place
    delivery,  // a message of a subscribed room, with `stamp_ns`
    ack,       // the answer to send number `n` of this connection
    ping,      // keep-alive: answer with pong_frame()
    refused,   // authentication refused
    error,     // an error frame, or the server closing the session
  };
  Kind kind = Kind::none;
  std::uint64_t n = 0;
  std::int64_t stamp_ns = 0;
};

class ChatProtocol {
 public:
  virtual ~ChatProtocol() = default;
  virtual Peer peer() const = 0;
  // Request-target of the WebSocket upgrade when the --url has no path.
  virtual std::string default_target() const = 0;
  // Socket.IO: the server speaks first (open packet); Parley: the client authenticates at once.
  virtual bool waits_for_open() const = 0;
  virtual std::string auth_frame(std::string_view token, std::string_view user) const = 0;
  // Frames that subscribe to `room`; the last one is answered by a `joined` event.
  virtual std::vector<std::string> join_frames(std::string_view room) const = 0;
  // Send number n (from 1) of this connection. client_id = "<prefix>.<n>".
  virtual std::string send_frame(std::string_view room, std::string_view client_prefix, std::uint64_t n,
                                 std::string_view body) const = 0;
  virtual std::string pong_frame() const = 0;
  virtual ChatEvent classify(std::string_view text) const = 0;
};

std::unique_ptr<ChatProtocol> make_chat_protocol(Peer peer);

// "pbts<scheduled_ns> " then 'x' up to `size` bytes (at least the stamp).
std::string stamped_body(std::int64_t scheduled_ns, std::size_t size);
// The stamp of the first "pbts<digits>" in `text`; false if none.
bool find_stamp(std::string_view text, std::int64_t& ns);
// The JSON string value of `"key":"…"` (no escapes inside), empty if absent.
std::string_view json_string_field(std::string_view text, std::string_view key);
// A JSON string literal (quoted, escaped) for `s`.
std::string json_quote(std::string_view s);

}  // namespace parley::bench
