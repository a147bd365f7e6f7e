#include "chat_connection.hpp"

#include <netinet/in.h>
#include <sys/socket.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/http/field.hpp>

namespace parley::bench {
namespace {

namespace beast = boost::beast;
namespace websocket = beast::websocket;
using asio::ip::tcp;
constexpr auto use_tuple = asio::as_tuple(asio::use_awaitable);

std::int64_t steady_ns(TimePoint t) {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(t.time_since_epoch()).count();
}

void set_state(ChatConn& c, ChatConn::State s) {
  c.state = s;
  c.signal.cancel();
}

void mark_closed(ChatConn& c, ChatPlan& plan) {
  if (c.open) {
    c.open = false;
    plan.open.fetch_sub(1, std::memory_order_relaxed);
  }
  if (c.state != ChatConn::State::joined && c.state != ChatConn::State::authed) set_state(c, ChatConn::State::failed);
}

asio::awaitable<void> write_loop(ChatConn& c) {
  while (!c.out.empty()) {
    auto [ec, n] = co_await c.ws.async_write(asio::buffer(c.out.front()), use_tuple);
    if (ec) {  // the reader sees the same failure and counts it
      c.out.clear();
      break;
    }
    c.out.pop_front();
  }
  c.writing = false;
}

void enqueue(ChatConn& c, std::string frame) {
  if (!c.open || c.closing) return;
  c.out.push_back(std::move(frame));
  if (!c.writing) {
    c.writing = true;
    asio::co_spawn(c.ws.get_executor(), write_loop(c), asio::detached);
  }
}

void on_event(ChatConn& c, ChatPlan& plan, ChatThread& th, const ChatEvent& e, std::string_view text,
              TimePoint now) {
  using K = ChatEvent::Kind;
  auto& st = th.stats;
  switch (e.kind) {
    case K::none: break;
    case K::open: enqueue(c, plan.protocol->auth_frame(c.token, c.user)); break;
    case K::ping: enqueue(c, plan.protocol->pong_frame()); break;
    case K::ready:
      if (c.state == ChatConn::State::connecting) set_state(c, ChatConn::State::authed);
      break;
    case K::joined:
      if (c.state == ChatConn::State::authed) set_state(c, ChatConn::State::joined);
      break;
    case K::refused:
      ++st.refused;
      st.note_error(text);
      set_state(c, ChatConn::State::failed);
      break;
    case K::error:
      ++st.errors;
      st.note_error(text);
      if (c.state == ChatConn::State::connecting) set_state(c, ChatConn::State::failed);
      break;
    case K::delivery:
      if (th.started && e.stamp_ns >= th.window.measure_start_ns && e.stamp_ns < th.window.end_ns) {
        ++st.deliveries;
        const auto now_ns = steady_ns(now);
        st.delivery.record(now_ns > e.stamp_ns ? static_cast<std::uint64_t>(now_ns - e.stamp_ns) : 0);
      }
      break;
    case K::ack: {
      TimePoint scheduled;
      if (!c.pending.take(e.n, scheduled)) break;
      if (th.started && th.window.in(scheduled)) {
        ++st.acks;
        st.ack.record(elapsed_ns(scheduled, now));
      }
      if (plan.closed_loop && th.started && now < th.window.end) send_message(c, plan, th, now);
      break;
    }
  }
}

asio::awaitable<void> read_loop(ChatConn& c, ChatPlan& plan, ChatThread& th) {
  for (;;) {
    auto [ec, n] = co_await c.ws.async_read(c.buffer, use_tuple);
    const TimePoint now = Clock::now();
    if (ec) {
      if (!c.closing && c.open) {
        ++th.stats.errors;
        th.stats.note_error("connection closed by the server: " + ec.message());
      }
      mark_closed(c, plan);
      co_return;
    }
    const auto data = c.buffer.cdata();
    const std::string_view text(static_cast<const char*>(data.data()), data.size());
    on_event(c, plan, th, plan.protocol->classify(text), text, now);
    c.buffer.consume(c.buffer.size());
  }
}

// Binds to 127.0.0.(1 + index % sources) so that many connections to one server port do not run
// out of ephemeral ports of one source address (~28 000 each).
boost::system::error_code bind_source(tcp::socket& sock, int index, int sources) {
  boost::system::error_code ec;
  sock.open(tcp::v4(), ec);
  if (ec) return ec;
  const int one = 1;
  ::setsockopt(sock.native_handle(), IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT, &one, sizeof one);
  const auto host = static_cast<asio::ip::address_v4::uint_type>((127u << 24) | (1u + static_cast<unsigned>(index % sources)));
  sock.bind(tcp::endpoint(asio::ip::address_v4(host), 0), ec);
  return ec;
}

asio::awaitable<bool> wait_state(ChatConn& c, ChatConn::State wanted, TimePoint deadline) {
  while (c.state != wanted && c.state != ChatConn::State::failed && Clock::now() < deadline) {
    c.signal.expires_at(deadline);
    co_await c.signal.async_wait(use_tuple);
  }
  co_return c.state == wanted;
}

asio::awaitable<void> graceful_close(ChatConn& c, ChatPlan& plan) {
  co_await c.ws.async_close(websocket::close_code::normal, use_tuple);
  mark_closed(c, plan);
}

}  // namespace

asio::awaitable<bool> establish(ChatConn& c, ChatPlan& plan, ChatThread& th, TimePoint deadline) {
  const auto t0 = Clock::now();
  auto& sock = c.ws.next_layer();
  const auto& o = *plan.options;
  if (o.sources > 1 && plan.endpoint.address().is_v4() && plan.endpoint.address().to_v4().to_bytes()[0] == 127) {
    if (auto ec = bind_source(sock, c.index, o.sources)) {
      th.stats.note_error("bind: " + ec.message());
      co_return false;
    }
  }
  if (auto [ec] = co_await sock.async_connect(plan.endpoint, use_tuple); ec) {
    th.stats.note_error("connect: " + ec.message());
    co_return false;
  }
  sock.set_option(tcp::no_delay(true));
  c.ws.set_option(websocket::stream_base::decorator([&o](websocket::request_type& req) {
    req.set(beast::http::field::user_agent, "parley-bench");
    for (const auto& [k, v] : o.common.headers) req.set(k, v);
  }));
  c.ws.text(true);
  if (auto [ec] = co_await c.ws.async_handshake(plan.host, plan.target, use_tuple); ec) {
    th.stats.note_error("websocket upgrade: " + ec.message());
    co_return false;
  }
  c.open = true;
  plan.open.fetch_add(1, std::memory_order_relaxed);
  asio::co_spawn(c.ws.get_executor(), read_loop(c, plan, th), asio::detached);
  if (!plan.protocol->waits_for_open()) enqueue(c, plan.protocol->auth_frame(c.token, c.user));
  if (!co_await wait_state(c, ChatConn::State::authed, deadline)) co_return false;
  if (c.role == ChatRole::member) {
    for (auto& f : plan.protocol->join_frames(c.room)) enqueue(c, std::move(f));
    if (!co_await wait_state(c, ChatConn::State::joined, deadline)) co_return false;
  }
  th.stats.ready.record(elapsed_ns(t0, Clock::now()));
  co_return true;
}

void send_message(ChatConn& c, const ChatPlan& plan, ChatThread& th, TimePoint scheduled) {
  auto& st = th.stats;
  const bool counted = th.window.in(scheduled);
  if (!c.open || c.closing || c.out.size() >= plan.max_queue) {
    if (counted) ++st.not_sent;
    return;
  }
  const std::uint64_t n = c.next_n++;
  c.pending.put(n, scheduled);
  const auto body = stamped_body(steady_ns(scheduled), static_cast<std::size_t>(plan.options->body_size));
  const auto& room = c.send_rooms[n % c.send_rooms.size()];
  enqueue(c, plan.protocol->send_frame(room, c.client_prefix, n, body));
  if (counted) {
    ++st.sent;
    st.expected += static_cast<std::uint64_t>(c.room_members);
  }
}

void close_connection(ChatConn& c, ChatPlan& plan) {
  c.closing = true;
  if (!c.open) return;
  if (c.writing) {
    boost::system::error_code ignored;
    c.ws.next_layer().close(ignored);
    mark_closed(c, plan);
    return;
  }
  asio::co_spawn(c.ws.get_executor(), graceful_close(c, plan), asio::detached);
}

}  // namespace parley::bench
