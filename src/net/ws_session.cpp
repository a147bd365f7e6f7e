#include "net/ws_session.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/buffers_to_string.hpp>

#include <algorithm>

namespace parley::net {

namespace {
constexpr auto tuple_awaitable = asio::as_tuple(asio::use_awaitable);
}

WsSession::WsSession(beast::tcp_stream stream, WsLimits limits)
    : ws_(CoalescingStream(std::move(stream))),
      limits_(limits),
      wake_(ws_.get_executor()),
      done_(ws_.get_executor()),
      drained_(ws_.get_executor()),
      writable_(ws_.get_executor()),
      fragment_(ws_.get_executor()) {
  wake_.expires_at(asio::steady_timer::time_point::max());
  done_.expires_at(asio::steady_timer::time_point::max());
  set_frame_rate(limits_.frames_per_second);
}

void WsSession::set_frame_rate(double per_second) {
  limits_.frames_per_second = per_second;
  tokens_ = per_second * 2;
  refill_at_ = std::chrono::steady_clock::now();
}

// Each frame the client sends (seen in the raw bytes, before Beast assembles messages).
void WsSession::on_frame(bool fin, unsigned opcode) {
  const auto now = std::chrono::steady_clock::now();
  const double rate = limits_.frames_per_second;
  tokens_ = std::min(rate * 2, tokens_ + rate * std::chrono::duration<double>(now - refill_at_).count());
  refill_at_ = now;
  if (tokens_ < 1) {
    close(close_code::rate_limited, "too many frames");
  } else {
    tokens_ -= 1;
  }
  if (opcode >= 8) return;  // control frames may come between fragments
  if (opcode != 0 && !fin && !in_message_) {
    in_message_ = true;  // the first fragment: the rest must follow in time
    const std::uint64_t message = ++fragmented_;
    fragment_.expires_after(limits_.fragment_timeout);
    fragment_.async_wait([weak = weak_from_this(), message](const boost::system::error_code& ec) {
      auto self = weak.lock();
      if (ec || !self || !self->in_message_ || self->fragmented_ != message) return;
      self->close(close_code::policy, "message not completed in time");
    });
  } else if (fin && in_message_) {
    in_message_ = false;
    fragment_.cancel();
  }
}

asio::awaitable<bool> WsSession::accept(const RawRequest& upgrade) {
  beast::get_lowest_layer(ws_).expires_never();
  websocket::stream_base::timeout t{};
  t.handshake_timeout = std::chrono::seconds(10);
  t.idle_timeout = limits_.idle_timeout;
  t.keep_alive_pings = true;
  ws_.set_option(t);
  ws_.read_message_max(limits_.max_message_bytes);
  ws_.set_option(websocket::stream_base::decorator([](websocket::response_type& res) {
    res.set(http::field::server, "parley");
  }));
  auto [ec] = co_await ws_.async_accept(upgrade, tuple_awaitable);
  if (ec) {
    finished_ = true;
    co_return false;
  }
  ws_.text(true);
  ws_.next_layer().watch_frames([this](bool fin, unsigned opcode) { on_frame(fin, opcode); });
  asio::co_spawn(ws_.get_executor(), [self = shared_from_this()] { return self->write_loop(); }, asio::detached);
  co_return true;
}

asio::awaitable<std::optional<std::string>> WsSession::read() {
  for (;;) {
    auto [ec, n] = co_await ws_.async_read(read_buffer_, tuple_awaitable);
    if (ec) {
      closing_ = true;
      drop_queue_ = true;
      in_message_ = false;
      fragment_.cancel();
      wake();
      co_return std::nullopt;
    }
    if (!ws_.got_text()) {
      read_buffer_.consume(n);
      close(close_code::unsupported, "text frames only");
      continue;  // the read fails once the close completes
    }
    std::string message = beast::buffers_to_string(read_buffer_.data());
    read_buffer_.consume(n);
    co_return message;
  }
}

bool WsSession::send(std::shared_ptr<const std::string> frame) {
  if (closing_) return false;
  auto& layer = ws_.next_layer();
  if (layer.buffered() + frame->size() > limits_.max_queue_bytes) {
    drop_queue_ = true;
    close(close_code::too_slow, "too slow");
    return false;
  }
  layer.write_text_frame(*frame);
  return true;
}

void WsSession::close(std::uint16_t code, std::string reason) {
  if (closing_) return;
  closing_ = true;
  close_reason_ = websocket::close_reason(code);
  close_reason_.reason = reason;
  wake();
}

void WsSession::abort() {
  closing_ = true;
  drop_queue_ = true;
  beast::error_code ec;
  beast::get_lowest_layer(ws_).socket().close(ec);
  wake();
}

asio::awaitable<void> WsSession::finished() {
  while (!finished_) co_await done_.async_wait(tuple_awaitable);
}

asio::awaitable<void> WsSession::writable() {
  auto& layer = ws_.next_layer();
  while (!closing_ && !layer.failed() && layer.buffered() > limits_.max_queue_bytes / 2) {
    writable_.expires_at(asio::steady_timer::time_point::max());
    layer.when_drained([weak = weak_from_this()] {
      if (auto self = weak.lock()) self->writable_.cancel();
    });
    co_await writable_.async_wait(tuple_awaitable);
  }
}

asio::awaitable<void> WsSession::wait_drained() {
  auto& layer = ws_.next_layer();
  if (layer.buffered() == 0 || layer.failed()) co_return;
  drained_.expires_at(asio::steady_timer::time_point::max());
  layer.when_drained([self = shared_from_this()] { self->drained_.cancel(); });
  co_await drained_.async_wait(tuple_awaitable);
}

// Data frames go straight to the layer (send()); this loop only waits for the end and then
// sends the close frame behind them (or, for a client too slow to keep, instead of them).
asio::awaitable<void> WsSession::write_loop() {
  auto self = shared_from_this();
  while (!closing_) {
    co_await wake_.async_wait(tuple_awaitable);
    wake_.expires_at(asio::steady_timer::time_point::max());
  }
  auto& layer = ws_.next_layer();
  if (drop_queue_) layer.discard_pending();
  if (ws_.is_open() && !layer.failed() && close_reason_.code != websocket::close_code::none) {
    co_await ws_.async_close(close_reason_, tuple_awaitable);
  }
  co_await wait_drained();  // no write of the layer outlives the session
  finished_ = true;
  done_.cancel();
}

}  // namespace parley::net
