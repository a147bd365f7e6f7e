#pragma once
// One WebSocket connection: a read side driven by its handler, and a bounded outbound buffer
// (a client that falls behind is closed with 4008). Frames sent in one go reach the socket in
// one write (see coalescing_stream.hpp); the write loop only sends the close frame at the end.
// All members are used on the session's own I/O thread; from elsewhere, post to executor().
#include "net/coalescing_stream.hpp"
#include "net/request.hpp"

#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/websocket/stream.hpp>

#include <chrono>
#include <memory>
#include <optional>
#include <string>

namespace parley::net {

namespace beast = boost::beast;
namespace websocket = boost::beast::websocket;

struct WsLimits {
  // The largest valid send fits: a 64 KiB ciphertext, or a 16 KiB body even when every byte is
  // JSON-escaped as \uXXXX, plus the other fields.
  std::size_t max_message_bytes = 128 * 1024;
  std::size_t max_queue_bytes = 1 << 20;  // written, not yet taken by the socket
  std::chrono::seconds idle_timeout{60};  // protocol pings keep a quiet but live connection open
  // Every frame the client sends counts (data, continuation, ping, pong): a sustained rate, with
  // bursts of twice that; over it the connection is closed with 4029.
  double frames_per_second = 50;
  // A message whose fragments have not all arrived within this is cut (close 1008).
  std::chrono::milliseconds fragment_timeout{10'000};
};

namespace close_code {
inline constexpr std::uint16_t normal = 1000;
inline constexpr std::uint16_t going_away = 1001;  // server draining
inline constexpr std::uint16_t unsupported = 1003;
inline constexpr std::uint16_t policy = 1008;
inline constexpr std::uint16_t too_slow = 4008;
inline constexpr std::uint16_t rate_limited = 4029;
inline constexpr std::uint16_t unauthenticated = 4401;
inline constexpr std::uint16_t forbidden = 4403;
}  // namespace close_code

class WsSession : public std::enable_shared_from_this<WsSession> {
 public:
  WsSession(beast::tcp_stream stream, WsLimits limits);

  // Completes the upgrade; false when the handshake failed.
  asio::awaitable<bool> accept(const RawRequest& upgrade);
  // The next text message; nullopt once the connection is closed.
  asio::awaitable<std::optional<std::string>> read();
  // Queues a text frame. False (and the connection is closed with 4008) when the queue is full.
  bool send(std::shared_ptr<const std::string> frame);
  bool send(std::string frame) { return send(std::make_shared<const std::string>(std::move(frame))); }
  // Starts the closing handshake after the frames already queued (idempotent).
  void close(std::uint16_t code, std::string reason = {});
  // Closes the socket at once.
  void abort();
  // Resolves once the write loop has finished (the close frame is sent or the socket is gone).
  asio::awaitable<void> finished();

  // The frame-rate limit and the fragment timeout (WsLimits); set before the first read.
  void set_frame_rate(double per_second);
  void set_fragment_timeout(std::chrono::milliseconds timeout) { limits_.fragment_timeout = timeout; }
  // Resolves once the outbound queue holds at most half its bound (or the connection closes):
  // a producer with much to send (a replay) awaits this between frames. One waiter at a time.
  asio::awaitable<void> writable();

  bool closing() const { return closing_; }
  std::size_t queued_bytes() const { return ws_.next_layer().buffered(); }
  std::size_t max_queue_bytes() const { return limits_.max_queue_bytes; }
  asio::any_io_executor executor() { return ws_.get_executor(); }

 private:
  asio::awaitable<void> write_loop();
  asio::awaitable<void> wait_drained();
  void wake() {
    wake_.cancel();
    writable_.cancel();
  }
  void on_frame(bool fin, unsigned opcode);

  websocket::stream<CoalescingStream> ws_;
  WsLimits limits_;
  beast::flat_buffer read_buffer_;
  asio::steady_timer wake_;
  asio::steady_timer done_;
  asio::steady_timer drained_;
  asio::steady_timer writable_;
  asio::steady_timer fragment_;
  double tokens_ = 0;
  std::chrono::steady_clock::time_point refill_at_{};
  bool in_message_ = false;  // a fragmented message has begun and not ended
  std::uint64_t fragmented_ = 0;  // fragmented messages begun so far
  bool closing_ = false;
  bool drop_queue_ = false;
  bool finished_ = false;
  websocket::close_reason close_reason_;
};

}  // namespace parley::net
