#include "http_driver.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <fmt/core.h>

#include "bench_clock.hpp"
#include "io_threads.hpp"
#include "resolve.hpp"

namespace parley::bench {
namespace {

namespace asio = boost::asio;
namespace http = boost::beast::http;
using asio::ip::tcp;
constexpr auto use_tuple = asio::as_tuple(asio::use_awaitable);
constexpr auto kErrorBackoff = std::chrono::milliseconds(10);
constexpr auto kOpenLoopGrace = std::chrono::seconds(2);

struct Plan {
  tcp::endpoint endpoint;
  std::string request;        // serialized once, written as is
  bool head = false;
  Window window;
  Duration conn_interval{0};  // open loop: time between two sends on one connection
};

struct Connection {
  explicit Connection(asio::io_context& ctx, int i) : socket(ctx), index(i) {}
  tcp::socket socket;
  boost::beast::flat_buffer buffer;
  int index;
};

struct ThreadState {
  RunStats stats;
  std::vector<std::unique_ptr<Connection>> connections;
};

std::string serialize_request(const HttpOptions& o) {
  const auto& u = o.common.url;
  std::string r = fmt::format("{} {} HTTP/1.1\r\nHost: {}\r\nUser-Agent: parley-bench\r\n", o.method, u.target,
                              u.host_header());
  bool has_content_type = false;
  for (const auto& [k, v] : o.common.headers) {
    r += fmt::format("{}: {}\r\n", k, v);
    if (strcasecmp(k.c_str(), "content-type") == 0) has_content_type = true;
  }
  if (!o.body.empty() || o.method == "POST" || o.method == "PUT" || o.method == "PATCH") {
    if (!has_content_type && !o.body.empty()) r += fmt::format("Content-Type: {}\r\n", o.content_type);
    r += fmt::format("Content-Length: {}\r\n", o.body.size());
  }
  r += "\r\n";
  r += o.body;
  return r;
}

asio::awaitable<void> pause(Duration d) {
  asio::steady_timer t(co_await asio::this_coro::executor, d);
  co_await t.async_wait(use_tuple);
}

// One request on an open (or to-be-opened) connection; returns the status, or 0 on failure.
asio::awaitable<unsigned> exchange(Connection& c, const Plan& plan, RunStats& st) {
  if (!c.socket.is_open()) {
    const auto t0 = Clock::now();
    auto [ec] = co_await c.socket.async_connect(plan.endpoint, use_tuple);
    if (ec) {
      c.socket.close();
      co_return 0;
    }
    c.socket.set_option(tcp::no_delay(true));
    c.buffer.clear();
    ++st.connects;
    st.connect.record(elapsed_ns(t0, Clock::now()));
  }
  auto [wec, written] = co_await asio::async_write(c.socket, asio::buffer(plan.request), use_tuple);
  if (wec) {
    c.socket.close();
    co_return 0;
  }
  http::response_parser<http::string_body> parser;
  parser.body_limit(64 * 1024 * 1024);
  if (plan.head) parser.skip(true);
  auto [rec, read] = co_await http::async_read(c.socket, c.buffer, parser, use_tuple);
  if (rec) {
    c.socket.close();
    co_return 0;
  }
  if (!parser.get().keep_alive()) c.socket.close();
  co_return parser.get().result_int();
}

asio::awaitable<void> drive(Connection& c, const Plan& plan, RunStats& st, int total_connections) {
  const auto& w = plan.window;
  const bool open_loop = plan.conn_interval.count() > 0;
  // Open loop: connection i's sends sit at start + i/N of an interval, + k intervals.
  TimePoint next = w.start + plan.conn_interval * c.index / total_connections;
  asio::steady_timer timer(co_await asio::this_coro::executor);
  for (;;) {
    TimePoint now = Clock::now();
    if (now >= w.end) break;
    TimePoint scheduled = now;
    bool on_timer = false;  // the connection was free at the scheduled time: we slept until it
    if (open_loop) {
      scheduled = next;
      if (scheduled >= w.end) break;
      next += plan.conn_interval;
      if (now < scheduled) {
        on_timer = true;
        timer.expires_at(scheduled);
        co_await timer.async_wait(use_tuple);
      }
    }
    const TimePoint sent_at = Clock::now();
    const unsigned status = co_await exchange(c, plan, st);
    const TimePoint done = Clock::now();
    // Open loop: what is scheduled in the window counts, even if answered in the grace after it.
    // Closed loop: what is sent and answered inside the window counts.
    const bool counted = open_loop ? scheduled >= w.measure_start : w.counts(scheduled, done);
    if (status == 0) {
      if (scheduled >= w.measure_start) {
        if (done < w.end) ++st.errors;
        else if (open_loop) ++st.unfinished;  // cut after the grace while waiting for its answer
      }
      if (!open_loop) co_await pause(kErrorBackoff);  // the schedule paces an open loop already
      continue;
    }
    if (counted) {
      ++st.requests;
      st.latency.record(elapsed_ns(scheduled, done));
      if (on_timer) st.send_lag.record(elapsed_ns(scheduled, sent_at));
      if (status < 200 || status > 299) ++st.non_2xx;
    }
  }
  if (open_loop) {
    // Sends that the schedule held but the connection never reached (it was waiting on a slow
    // answer): they count against the server, not silently dropped.
    for (TimePoint t = std::max(next, w.measure_start); t < w.end; t += plan.conn_interval) ++st.unfinished;
  }
  boost::system::error_code ignored;
  c.socket.close(ignored);
}

}  // namespace

std::expected<Report, std::string> run_http(const HttpOptions& o) {
  const auto& common = o.common;
  raise_fd_limit();
  auto endpoint = resolve_one(common.url);
  if (!endpoint) return std::unexpected(endpoint.error());

  Plan plan;
  plan.endpoint = *endpoint;
  plan.request = serialize_request(o);
  plan.head = o.method == "HEAD";
  if (o.rate) {
    plan.conn_interval = std::chrono::duration_cast<Duration>(
        std::chrono::duration<double>(static_cast<double>(common.connections) / *o.rate));
    if (plan.conn_interval.count() <= 0) return std::unexpected("--rate too high for the connection count");
  }

  const int threads = std::min(common.threads, common.connections);
  IoThreads io(threads);
  std::vector<ThreadState> state(static_cast<std::size_t>(threads));
  plan.window.start = Clock::now() + std::chrono::milliseconds(20);
  plan.window.measure_start = plan.window.start + common.warmup;
  plan.window.end = plan.window.measure_start + common.duration;

  for (int i = 0; i < common.connections; ++i) {
    const int t = i % threads;
    auto& ts = state[static_cast<std::size_t>(t)];
    auto& conn = *ts.connections.emplace_back(std::make_unique<Connection>(io.context(t), i));
    asio::co_spawn(io.context(t), drive(conn, plan, ts.stats, common.connections), asio::detached);
  }
  // At the end (open loop: after a grace for answers to requests scheduled in the window), cut
  // what is still waiting on an answer.
  const TimePoint cut = plan.window.end + (o.rate ? kOpenLoopGrace : Duration::zero());
  for (int t = 0; t < threads; ++t) {
    auto timer = std::make_shared<asio::steady_timer>(io.context(t), cut);
    timer->async_wait([timer, &ts = state[static_cast<std::size_t>(t)]](boost::system::error_code) {
      for (auto& c : ts.connections) {
        boost::system::error_code ignored;
        c->socket.close(ignored);
      }
    });
  }
  if (!common.quiet)
    fmt::print(stderr, "http {}: {} connections on {} threads, {} loop, {:.1f} s warmup + {:.1f} s\n",
               common.url.text, common.connections, threads, o.rate ? "open" : "closed",
               std::chrono::duration<double>(common.warmup).count(),
               std::chrono::duration<double>(common.duration).count());
  CpuMeter cpu;
  cpu.start();
  io.run();
  const double client_cpu = cpu.cores();

  Report r;
  r.scenario = "http";
  r.target = common.url.text;
  r.mode = o.rate ? "open-loop" : "closed-loop";
  r.connections = common.connections;
  r.threads = threads;
  r.duration_s = plan.window.seconds();
  r.client_cpu = client_cpu;
  r.rate = o.rate.value_or(0);
  for (auto& ts : state) r.stats.merge(ts.stats);
  return r;
}

}  // namespace parley::bench
