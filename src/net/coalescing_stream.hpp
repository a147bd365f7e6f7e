#pragma once
// A stream layer under Beast's WebSocket stream that coalesces writes: while corked, every
// write (whole WebSocket frames, as Beast writes them) is copied into one buffer and completes
// at once; uncork() hands the buffer to the socket in one write. A connection that has twenty
// frames queued thus costs one send() instead of twenty. Uncorked, a write (Beast's own pong or
// close frame) is flushed straight away, behind whatever is already buffered, so bytes leave in
// the order they were written and never interleave.
//
// The socket's back-pressure moves here: buffered() is what the socket has not taken yet, and
// the owner waits on drained() before writing more than it wants to hold.
//
// Data frames skip Beast altogether: write_text_frame() appends the frame's bytes (an unmasked
// server frame: header, then the shared payload) and schedules one flush for everything appended
// before it runs. Beast still writes its control frames (pong, ping, close) through
// async_write_some; each of those calls carries a whole frame and is taken whole, so frames from
// both paths never interleave.
#include "net/ws_frame_scanner.hpp"

#include <boost/asio/async_result.hpp>
#include <boost/asio/bind_executor.hpp>
#include <boost/asio/buffer.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/role.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/websocket/teardown.hpp>

#include <cstdint>
#include <functional>
#include <string_view>
#include <memory>
#include <vector>

namespace parley::net {

class CoalescingStream {
 public:
  using next_layer_type = boost::beast::tcp_stream;
  using executor_type = next_layer_type::executor_type;

  explicit CoalescingStream(next_layer_type&& next) : next_(std::move(next)), state_(std::make_shared<State>()) {}

  executor_type get_executor() noexcept { return next_.get_executor(); }
  next_layer_type& next_layer() noexcept { return next_; }
  const next_layer_type& next_layer() const noexcept { return next_; }

  // Reads as the socket does; with a frame watcher set, every frame header in the bytes read is
  // reported to it first (see ws_frame_scanner.hpp), before Beast takes the bytes.
  template <class Buffers, class Handler>
  auto async_read_some(const Buffers& buffers, Handler&& handler) {
    if (!on_frame_) return next_.async_read_some(buffers, std::forward<Handler>(handler));
    return boost::asio::async_initiate<Handler, void(boost::system::error_code, std::size_t)>(
        [this](auto h, const Buffers& b) {
          auto ex = boost::asio::get_associated_executor(h, get_executor());
          next_.async_read_some(b, boost::asio::bind_executor(ex, [this, b, h = std::move(h)](
                                                                      boost::system::error_code ec, std::size_t n) mutable {
            scan(b, n);
            std::move(h)(ec, n);
          }));
        },
        handler, buffers);
  }
  // fn(fin, opcode) for each frame the peer sends, called on this stream's executor.
  void watch_frames(std::move_only_function<void(bool, unsigned)> fn) { on_frame_ = std::move(fn); }

  // Takes every byte; completes (posted) with all of them, or with the error that ended the socket.
  template <class Buffers, class Handler>
  auto async_write_some(const Buffers& buffers, Handler&& handler) {
    return boost::asio::async_initiate<Handler, void(boost::system::error_code, std::size_t)>(
        [this](auto h, const Buffers& b) {
          auto ex = boost::asio::get_associated_executor(h, get_executor());
          if (state_->error) {
            boost::asio::post(ex, [h = std::move(h), ec = state_->error]() mutable { std::move(h)(ec, 0); });
            return;
          }
          std::size_t n = 0;
          for (auto it = boost::asio::buffer_sequence_begin(b); it != boost::asio::buffer_sequence_end(b); ++it) {
            boost::asio::const_buffer part(*it);
            const auto* p = static_cast<const char*>(part.data());
            state_->pending.insert(state_->pending.end(), p, p + part.size());
            n += part.size();
          }
          if (!state_->corked) flush();
          boost::asio::post(ex, [h = std::move(h), n]() mutable { std::move(h)(boost::system::error_code{}, n); });
        },
        handler, buffers);
  }

  // Appends one whole text frame carrying `payload` (server to client: FIN, opcode 1, no mask).
  void write_text_frame(std::string_view payload) {
    auto& s = *state_;
    if (s.error) return;
    char header[10];
    std::size_t h = 0;
    header[h++] = static_cast<char>(0x81);
    const std::uint64_t n = payload.size();
    if (n < 126) {
      header[h++] = static_cast<char>(n);
    } else if (n <= 0xFFFF) {
      header[h++] = 126;
      header[h++] = static_cast<char>(n >> 8);
      header[h++] = static_cast<char>(n & 0xFF);
    } else {
      header[h++] = 127;
      for (int shift = 56; shift >= 0; shift -= 8) header[h++] = static_cast<char>((n >> shift) & 0xFF);
    }
    s.pending.insert(s.pending.end(), header, header + h);
    s.pending.insert(s.pending.end(), payload.begin(), payload.end());
    if (s.corked || s.writing || s.flush_posted) return;
    s.flush_posted = true;
    // Flushed once the current handler is done: frames queued in one go leave in one write.
    boost::asio::post(get_executor(), [this, st = state_] {
      st->flush_posted = false;
      // `this` is alive while bytes are pending: the owner waits for the layer to drain (or fail)
      // before it goes, and an empty or failed layer is not touched.
      if (!st->error && !st->pending.empty()) flush();
    });
  }
  // Drops what was appended but not yet handed to the socket (a client too slow to keep).
  void discard_pending() { state_->pending.clear(); }

  void cork() { state_->corked = true; }
  void uncork() {
    state_->corked = false;
    flush();
  }
  // Bytes written to this layer that the socket has not taken yet.
  std::size_t buffered() const { return state_->pending.size() + state_->inflight.size(); }
  bool failed() const { return static_cast<bool>(state_->error); }
  // Calls fn (on this stream's executor) once buffered() is 0 or the socket failed.
  void when_drained(std::move_only_function<void()> fn) {
    if (buffered() == 0 || state_->error) {
      boost::asio::post(get_executor(), std::move(fn));
      return;
    }
    state_->drained.push_back(std::move(fn));
  }

 private:
  struct State {
    std::vector<char> pending;   // accepted, not yet handed to the socket
    std::vector<char> inflight;  // being written
    bool corked = false;
    bool writing = false;
    bool flush_posted = false;
    boost::system::error_code error;
    std::vector<std::move_only_function<void()>> drained;
  };

  void flush() {
    auto s = state_;
    if (s->writing || s->pending.empty() || s->error) return;
    s->writing = true;
    s->inflight.swap(s->pending);
    // The state, not `this`, is kept alive by the handler: the socket may be gone by then.
    boost::asio::async_write(next_, boost::asio::buffer(s->inflight), [this, s](boost::system::error_code ec, std::size_t) {
      s->writing = false;
      // A connection with more to send keeps its buffer (up to 16 KiB) for the next write; one
      // that is caught up gives it back: most connections are idle most of the time.
      if (s->pending.empty() || s->inflight.capacity() > 16 * 1024) std::vector<char>().swap(s->inflight);
      else s->inflight.clear();
      if (ec) {
        s->error = ec;
        s->pending.clear();
      } else if (!s->corked && !s->pending.empty()) {
        flush();  // `this` is alive: a successful write means the socket (a member) still is
        return;
      }
      if (s->pending.empty() || s->error) {
        auto waiters = std::move(s->drained);
        s->drained.clear();
        for (auto& fn : waiters) fn();
      }
    });
  }

  template <class Buffers>
  void scan(const Buffers& b, std::size_t n) {
    for (auto it = boost::asio::buffer_sequence_begin(b); n > 0 && it != boost::asio::buffer_sequence_end(b); ++it) {
      boost::asio::mutable_buffer part(*it);
      const std::size_t k = part.size() < n ? part.size() : n;
      scanner_.feed(static_cast<const unsigned char*>(part.data()), k,
                    [this](bool fin, unsigned opcode) { if (on_frame_) on_frame_(fin, opcode); });
      n -= k;
    }
  }

  next_layer_type next_;
  std::shared_ptr<State> state_;
  WsFrameScanner scanner_;
  std::move_only_function<void(bool, unsigned)> on_frame_;
};

// Beast tears the layer down after the closing handshake: first let the buffered bytes (the
// close frame among them) reach the socket, then the TCP teardown.
template <class Handler>
void async_teardown(boost::beast::role_type role, CoalescingStream& stream, Handler&& handler) {
  auto* s = &stream;
  stream.when_drained([s, role, h = std::forward<Handler>(handler)]() mutable {
    using boost::beast::websocket::async_teardown;  // the tcp_stream overload is found by ADL
    async_teardown(role, s->next_layer(), std::move(h));
  });
}

inline void teardown(boost::beast::role_type role, CoalescingStream& stream, boost::system::error_code& ec) {
  using boost::beast::websocket::teardown;  // the tcp_stream overload is found by ADL
  teardown(role, stream.next_layer(), ec);
}

}  // namespace parley::net
