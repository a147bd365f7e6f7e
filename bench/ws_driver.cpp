#include "ws_driver.hpp"

#include <atomic>
#include <bit>
#include <functional>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/websocket/stream.hpp>
#include <fmt/core.h>

#include "bench_clock.hpp"
#include "io_threads.hpp"
#include "resolve.hpp"
#include "ws_protocol.hpp"

namespace parley::bench {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;
using asio::ip::tcp;
constexpr auto use_tuple = asio::as_tuple(asio::use_awaitable);
constexpr auto kReplyGrace = std::chrono::seconds(1);
constexpr auto kCloseGrace = std::chrono::seconds(3);  // reply grace + closing handshake

struct Plan {
  const WsOptions* options = nullptr;
  const WsProtocol* protocol = nullptr;
  tcp::endpoint endpoint;
  Window window;
  Duration interval{0};  // between two frames of one connection; 0 = idle
  std::size_t ring_size = 16;
};

// The scheduled send time of the last ring_size frames of a connection, by frame number.
class PendingFrames {
 public:
  explicit PendingFrames(std::size_t size) : slots_(size) {}
  void put(std::uint64_t n, TimePoint at) {
    auto& s = slots_[n & (slots_.size() - 1)];
    if (s.n == 0) ++outstanding_;  // else an unanswered frame is overwritten: it is lost
    s = {n, at};
  }
  bool take(std::uint64_t n, TimePoint& at) {
    auto& s = slots_[n & (slots_.size() - 1)];
    if (s.n != n) return false;
    at = s.at;
    s.n = 0;
    --outstanding_;
    return true;
  }
  std::size_t outstanding() const { return outstanding_; }

 private:
  struct Slot {
    std::uint64_t n = 0;
    TimePoint at;
  };
  std::vector<Slot> slots_;
  std::size_t outstanding_ = 0;
};

struct Connection {
  Connection(asio::io_context& ctx, int i, std::size_t ring) : ws(ctx), index(i), pending(ring) {}
  websocket::stream<tcp::socket> ws;
  beast::flat_buffer buffer;
  int index;
  PendingFrames pending;
  bool open = false;
  bool closing = false;
};

struct ThreadState {
  RunStats stats;
  std::vector<std::unique_ptr<Connection>> connections;
};

std::atomic<long> g_open{0};

void mark_closed(Connection& c) {
  if (c.open) {
    c.open = false;
    g_open.fetch_sub(1, std::memory_order_relaxed);
  }
}

asio::awaitable<void> read_loop(Connection& c, const Plan& plan, RunStats& st) {
  const auto& w = plan.window;
  for (;;) {
    auto [ec, n] = co_await c.ws.async_read(c.buffer, use_tuple);
    const TimePoint now = Clock::now();
    if (ec) {
      if (!c.closing && c.open && now < w.end) ++st.errors;  // dropped by the server or the network
      mark_closed(c);
      co_return;
    }
    const bool in_window = now >= w.measure_start && now <= w.end;
    if (in_window) ++st.received;
    const auto text = beast::buffers_to_string(c.buffer.data());
    c.buffer.consume(c.buffer.size());
    const Incoming in = plan.protocol->classify(text);
    TimePoint scheduled;
    switch (in.kind) {
      case Incoming::Kind::reply:
        if (plan.options->expect_reply && c.pending.take(in.n, scheduled) && scheduled >= w.measure_start) {
          ++st.requests;
          st.latency.record(elapsed_ns(scheduled, now));
        }
        break;
      case Incoming::Kind::stamped:  // fan-out mode (not yet): latency from the carried send time
      case Incoming::Kind::respond:  // Socket.IO keep-alive (not yet): must go through the writer
      case Incoming::Kind::other:
        break;
    }
  }
}

asio::awaitable<bool> open_connection(Connection& c, const Plan& plan, RunStats& st) {
  const auto t0 = Clock::now();
  auto& sock = c.ws.next_layer();
  auto [ec] = co_await sock.async_connect(plan.endpoint, use_tuple);
  if (ec) co_return false;
  sock.set_option(tcp::no_delay(true));
  const auto& opts = *plan.options;
  c.ws.set_option(websocket::stream_base::decorator([&opts](websocket::request_type& req) {
    req.set(beast::http::field::user_agent, "parley-bench");
    for (const auto& [k, v] : opts.common.headers) req.set(k, v);
  }));
  c.ws.text(true);
  auto [hec] = co_await c.ws.async_handshake(opts.common.url.host_header(), opts.common.url.target, use_tuple);
  if (hec) co_return false;
  ++st.connects;
  st.connect.record(elapsed_ns(t0, Clock::now()));
  for (const auto& f : plan.protocol->opening_frames()) {
    auto [wec, written] = co_await c.ws.async_write(asio::buffer(f), use_tuple);
    if (wec) co_return false;
  }
  co_return true;
}

asio::awaitable<void> drive(Connection& c, const Plan& plan, RunStats& st, TimePoint ramp_at) {
  const auto& w = plan.window;
  asio::steady_timer timer(co_await asio::this_coro::executor, ramp_at);
  co_await timer.async_wait(use_tuple);
  if (Clock::now() >= w.end) co_return;
  if (!co_await open_connection(c, plan, st)) {
    ++st.errors;
    boost::system::error_code ignored;
    c.ws.next_layer().close(ignored);
    co_return;
  }
  c.open = true;
  g_open.fetch_add(1, std::memory_order_relaxed);
  asio::co_spawn(timer.get_executor(), read_loop(c, plan, st), asio::detached);

  bool write_failed = false;
  if (plan.interval.count() > 0) {
    const int total = plan.options->common.connections;
    // Frames of connection i sit at start + i/N of an interval, + k intervals: the load is even.
    TimePoint next = w.start + plan.interval * c.index / total;
    while (next < Clock::now()) next += plan.interval;  // joined late in the ramp: skip past slots
    for (std::uint64_t n = 1; c.open; ++n) {
      const TimePoint scheduled = next;
      if (scheduled >= w.end) break;
      next += plan.interval;
      const bool on_timer = Clock::now() < scheduled;  // else the previous write ran late
      if (on_timer) {
        timer.expires_at(scheduled);
        co_await timer.async_wait(use_tuple);
        if (!c.open) break;
      }
      const TimePoint sent_at = Clock::now();
      const std::string frame = plan.protocol->make_frame(
          n, std::chrono::duration_cast<std::chrono::nanoseconds>(scheduled.time_since_epoch()).count());
      c.pending.put(n, scheduled);
      auto [ec, written] = co_await c.ws.async_write(asio::buffer(frame), use_tuple);
      if (ec) {
        if (c.open && Clock::now() < w.end) ++st.errors;
        c.closing = true;  // the reader's failure that follows is the same error
        write_failed = true;
        break;
      }
      if (scheduled >= w.measure_start) {
        ++st.sent;
        if (on_timer) st.send_lag.record(elapsed_ns(scheduled, sent_at));
      }
    }
    // Frames scheduled in the window count even when answered just after it: wait (bounded).
    const TimePoint wait_until = w.end + kReplyGrace;
    while (plan.options->expect_reply && c.open && c.pending.outstanding() > 0 && Clock::now() < wait_until) {
      timer.expires_after(std::chrono::milliseconds(5));
      co_await timer.async_wait(use_tuple);
    }
  } else {
    timer.expires_at(w.end);
    co_await timer.async_wait(use_tuple);
  }
  if (write_failed || !c.open) {  // the connection broke before the end
    mark_closed(c);
    boost::system::error_code ignored;
    c.ws.next_layer().close(ignored);
    co_return;
  }
  ++st.open_at_end;
  c.closing = true;
  co_await c.ws.async_close(websocket::close_code::normal, use_tuple);
  mark_closed(c);
}

}  // namespace

std::expected<Report, std::string> run_ws(const WsOptions& o) {
  const auto& common = o.common;
  const unsigned long fd_limit = raise_fd_limit();
  if (static_cast<unsigned long>(common.connections) + 64 > fd_limit)
    fmt::print(stderr, "warning: {} connections but only {} file descriptors (RLIMIT_NOFILE hard limit)\n",
               common.connections, fd_limit);
  auto endpoint = resolve_one(common.url);
  if (!endpoint) return std::unexpected(endpoint.error());
  auto protocol = make_plain_protocol(o.frame, o.init_frames);

  Plan plan;
  plan.options = &o;
  plan.protocol = protocol.get();
  plan.endpoint = *endpoint;
  if (o.rate > 0) {
    plan.interval = std::chrono::duration_cast<Duration>(std::chrono::duration<double>(1.0 / o.rate));
    if (plan.interval.count() <= 0) return std::unexpected("--rate too high");
    plan.ring_size = std::bit_ceil(std::clamp<std::size_t>(static_cast<std::size_t>(o.rate * 4), 16, 65536));
  }
  const int batches = (common.connections + o.ramp_batch - 1) / o.ramp_batch;
  plan.window.start = Clock::now() + std::chrono::milliseconds(20);
  const TimePoint ramp_done = plan.window.start + o.ramp_interval * batches;
  plan.window.measure_start = ramp_done + common.warmup;
  plan.window.end = plan.window.measure_start + common.duration;

  const int threads = std::min(common.threads, common.connections);
  IoThreads io(threads);
  std::vector<ThreadState> state(static_cast<std::size_t>(threads));
  for (int i = 0; i < common.connections; ++i) {
    const int t = i % threads;
    auto& ts = state[static_cast<std::size_t>(t)];
    auto& conn = *ts.connections.emplace_back(std::make_unique<Connection>(io.context(t), i, plan.ring_size));
    const TimePoint ramp_at = plan.window.start + o.ramp_interval * (i / o.ramp_batch);
    asio::co_spawn(io.context(t), drive(conn, plan, ts.stats, ramp_at), asio::detached);
  }
  // After the end and a grace period for the closing handshakes, cut whatever is left.
  for (int t = 0; t < threads; ++t) {
    auto timer = std::make_shared<asio::steady_timer>(io.context(t), plan.window.end + kCloseGrace);
    timer->async_wait([timer, &ts = state[static_cast<std::size_t>(t)]](boost::system::error_code) {
      for (auto& c : ts.connections) {
        c->closing = true;
        boost::system::error_code ignored;
        c->ws.next_layer().close(ignored);
      }
    });
  }
  // Progress: open connections every --report-interval, on stderr.
  if (!common.quiet && o.report_interval.count() > 0) {
    auto timer = std::make_shared<asio::steady_timer>(io.context(0));
    auto tick = std::make_shared<std::function<void()>>();
    *tick = [timer, tick, &plan, &o, t0 = plan.window.start] {
      timer->expires_after(o.report_interval);
      timer->async_wait([timer, tick, &plan, t0](boost::system::error_code ec) {
        if (ec || Clock::now() >= plan.window.end) {
          *tick = nullptr;  // break the cycle
          return;
        }
        fmt::print(stderr, "  t={:.1f}s open={}\n", std::chrono::duration<double>(Clock::now() - t0).count(),
                   g_open.load(std::memory_order_relaxed));
        (*tick)();
      });
    };
    (*tick)();
  }
  if (!common.quiet)
    fmt::print(stderr, "ws {}: {} connections on {} threads ({} batches of {} every {} ms), {}, {:.1f} s warmup + {:.1f} s\n",
               common.url.text, common.connections, threads, batches, o.ramp_batch,
               std::chrono::duration_cast<std::chrono::milliseconds>(o.ramp_interval).count(),
               o.rate > 0 ? fmt::format("{:g} frames/s per connection", o.rate) : std::string("idle"),
               std::chrono::duration<double>(common.warmup).count(),
               std::chrono::duration<double>(common.duration).count());
  CpuMeter cpu;
  cpu.start();
  io.run();
  const double client_cpu = cpu.cores();

  Report r;
  r.scenario = "ws";
  r.target = common.url.text;
  r.mode = o.rate > 0 ? (o.expect_reply ? "ws-rate-reply" : "ws-rate") : "ws-hold";
  r.connections = common.connections;
  r.threads = threads;
  r.duration_s = plan.window.seconds();
  r.client_cpu = client_cpu;
  r.rate = o.rate;
  for (auto& ts : state) r.stats.merge(ts.stats);
  if (!o.expect_reply) r.stats.requests = o.rate > 0 ? r.stats.sent : 0;  // throughput = frames sent
  return r;
}

}  // namespace parley::bench
