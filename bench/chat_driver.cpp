#include "chat_driver.hpp"

#include <bit>
#include <memory>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <fmt/core.h>

#include "chat_connection.hpp"
#include "chat_setup.hpp"
#include "io_threads.hpp"
#include "proc_status.hpp"
#include "resolve.hpp"

namespace parley::bench {
namespace {

using asio::ip::tcp;
constexpr auto use_tuple = asio::as_tuple(asio::use_awaitable);
constexpr auto kForceClose = std::chrono::seconds(3);  // after the cut: closing handshakes

using ConnList = std::vector<std::unique_ptr<ChatConn>>;

struct Run {
  const ChatOptions* options = nullptr;
  ChatPlan plan;
  IoThreads* io = nullptr;
  std::vector<ChatThread> threads;
  std::vector<ConnList> conns;  // per thread
  long total = 0;
  Duration interval{0};         // open loop: between two sends of one sending connection
  int senders = 0;              // sending connections (their schedules are staggered)
  long rss_ready = -1, rss_end = -1;
};

const char* scenario_name(ChatScenario s) {
  return s == ChatScenario::fanout ? "fanout" : s == ChatScenario::sends ? "sends" : "idle";
}

asio::awaitable<void> sleep_until(TimePoint t) {
  asio::steady_timer timer(co_await asio::this_coro::executor, t);
  co_await timer.async_wait(use_tuple);
}

asio::awaitable<void> connect_one(ChatConn& c, Run& run, ChatThread& th, TimePoint ramp_at, TimePoint deadline) {
  co_await sleep_until(ramp_at);
  const bool ok = co_await establish(c, run.plan, th, deadline);
  if (ok) {
    ++th.stats.established;
    run.plan.established.fetch_add(1, std::memory_order_relaxed);
    co_return;
  }
  ++th.stats.failed;
  run.plan.failed.fetch_add(1, std::memory_order_relaxed);
  close_connection(c, run.plan);
  boost::system::error_code ignored;
  c.ws.next_layer().close(ignored);
}

// Sends on a fixed schedule; a late wake-up sends at once for the missed slots, each still
// stamped with its scheduled time, so a stall shows in the latency (no coordinated omission).
asio::awaitable<void> publish_loop(ChatConn& c, Run& run, ChatThread& th, int slot) {
  const auto& w = th.window;
  TimePoint next = w.start + run.interval * slot / std::max(run.senders, 1);
  asio::steady_timer timer(co_await asio::this_coro::executor);
  while (c.open && !c.closing) {
    const TimePoint scheduled = next;
    if (scheduled >= w.end) break;
    next += run.interval;
    if (Clock::now() < scheduled) {
      timer.expires_at(scheduled);
      co_await timer.async_wait(use_tuple);
      if (w.in(scheduled)) th.stats.send_lag.record(elapsed_ns(scheduled, Clock::now()));
    }
    send_message(c, run.plan, th, scheduled);
  }
}

// Runs on each I/O thread when the window is fixed: starts the senders, cuts at the end.
void start_thread(Run& run, int t, ChatWindow window) {
  auto& th = run.threads[static_cast<std::size_t>(t)];
  th.window = window;
  th.started = true;
  auto& conns = run.conns[static_cast<std::size_t>(t)];
  for (auto& c : conns) {
    if (c->role != ChatRole::publisher || !c->open || c->state == ChatConn::State::failed) continue;
    if (run.plan.closed_loop) {
      for (int k = 0; k < run.options->inflight; ++k) send_message(*c, run.plan, th, Clock::now());
    } else {
      const auto& o = *run.options;
      const int slot = o.scenario == ChatScenario::fanout ? c->index - o.rooms * o.members : c->index;
      asio::co_spawn(c->ws.get_executor(), publish_loop(*c, run, th, slot), asio::detached);
    }
  }
  const Duration grace = run.options->scenario == ChatScenario::idle ? Duration::zero() : run.options->grace;
  auto& ctx = run.io->context(t);
  auto cut = std::make_shared<asio::steady_timer>(ctx, window.end + grace);
  cut->async_wait([cut, &run, &th, &conns](boost::system::error_code) {
    for (auto& c : conns) {
      if (c->open && c->state != ChatConn::State::failed) ++th.stats.open_at_end;
      close_connection(*c, run.plan);
    }
    cut->expires_after(kForceClose);
    cut->async_wait([cut, &conns](boost::system::error_code) {
      for (auto& c : conns) {
        boost::system::error_code ignored;
        c->ws.next_layer().close(ignored);
      }
    });
  });
}

std::int64_t steady_ns(TimePoint t) {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(t.time_since_epoch()).count();
}

// On thread 0: waits for the set-up, fixes the window, starts every thread, samples RSS.
asio::awaitable<void> coordinate(Run& run, TimePoint t0, TimePoint deadline) {
  const auto& o = *run.options;
  auto& plan = run.plan;
  TimePoint next_report = t0 + o.report_interval;
  auto since = [t0] { return std::chrono::duration<double>(Clock::now() - t0).count(); };
  while (plan.established.load() + plan.failed.load() < run.total && Clock::now() < deadline) {
    co_await sleep_until(Clock::now() + std::chrono::milliseconds(20));
    if (!o.common.quiet && o.report_interval.count() > 0 && Clock::now() >= next_report) {
      next_report += o.report_interval;
      fmt::print(stderr, "  t={:.1f}s established={} failed={} open={}\n", since(), plan.established.load(),
                 plan.failed.load(), plan.open.load());
    }
  }
  ChatWindow w;
  w.start = Clock::now() + std::chrono::milliseconds(50);
  w.measure_start = w.start + o.common.warmup;
  w.end = w.measure_start + o.common.duration;
  w.measure_start_ns = steady_ns(w.measure_start);
  w.end_ns = steady_ns(w.end);
  if (!o.common.quiet)
    fmt::print(stderr, "  set-up done in {:.1f} s: {} of {} connections ready, {} failed\n", since(),
               plan.established.load(), run.total, plan.failed.load());
  for (int t = 0; t < run.io->size(); ++t)
    asio::post(run.io->context(t), [&run, t, w] { start_thread(run, t, w); });
  if (o.server_pid > 0) {
    co_await sleep_until(w.measure_start);
    run.rss_ready = read_vm_rss_kib(o.server_pid);
    co_await sleep_until(w.end - std::chrono::milliseconds(1));
    run.rss_end = read_vm_rss_kib(o.server_pid);
  }
}

// Rooms a sender rotates over: those r with r % senders == slot (every room gets messages when
// there are more rooms than senders), else room slot % rooms.
std::vector<int> sender_rooms(int slot, int senders, int rooms) {
  std::vector<int> out;
  if (rooms > senders) {
    for (int r = slot; r < rooms; r += senders) out.push_back(r);
  } else {
    out.push_back(slot % rooms);
  }
  return out;
}

// Gives each connection its role, rooms, account and client_id prefix.
void assign(ChatConn& c, const ChatOptions& o, const ChatSetup& setup, const std::string& tag) {
  const int i = c.index;
  auto room_id = [&setup](int r) { return setup.rooms[static_cast<std::size_t>(r) % setup.rooms.size()].id; };
  if (o.scenario == ChatScenario::fanout) {
    const int members = o.rooms * o.members;
    if (i < members) {
      c.role = ChatRole::member;
      c.room = room_id(i / o.members);
    } else {
      c.role = ChatRole::publisher;
      c.room_members = o.members;
      for (int r : sender_rooms(i - members, o.publishers, o.rooms)) c.send_rooms.push_back(room_id(r));
    }
  } else if (o.scenario == ChatScenario::sends) {
    c.role = ChatRole::publisher;
    for (int r : sender_rooms(i, o.common.connections, o.rooms)) c.send_rooms.push_back(room_id(r));
  }
  const auto& user = setup.users[static_cast<std::size_t>(i) % setup.users.size()];
  c.token = user.token;
  c.user = user.id;
  c.client_prefix = fmt::format("pb{}c{}", tag, i);
}

}  // namespace

std::expected<ChatReport, std::string> run_chat(const ChatOptions& o) {
  const auto& common = o.common;
  const unsigned long fd_limit = raise_fd_limit();
  if (static_cast<unsigned long>(common.connections) + 64 > fd_limit)
    return std::unexpected(fmt::format("{} connections need more file descriptors than the limit {} (ulimit -n)",
                                       common.connections, fd_limit));
  auto endpoint = resolve_one(common.url);
  if (!endpoint) return std::unexpected(endpoint.error());
  auto protocol = make_chat_protocol(o.peer);
  ChatSetup setup;
  if (o.peer == Peer::parley) {
    auto loaded = load_chat_setup(o.setup_path);
    if (!loaded) return std::unexpected(loaded.error());
    setup = std::move(*loaded);
    if (o.scenario != ChatScenario::idle && setup.rooms.size() < static_cast<std::size_t>(o.rooms))
      return std::unexpected(fmt::format("--rooms {} but --setup has {} rooms", o.rooms, setup.rooms.size()));
  } else {
    setup = synthetic_chat_setup(o.token, std::min(common.connections, 1000), o.rooms);
  }

  // The I/O contexts outlive the connections (sockets must close before their context goes).
  const int threads = std::min(common.threads, common.connections);
  IoThreads io(threads);
  Run run;
  run.options = &o;
  run.total = common.connections;
  auto& plan = run.plan;
  plan.options = &o;
  plan.protocol = protocol.get();
  plan.endpoint = *endpoint;
  plan.host = common.url.host_header();
  plan.target = common.url.target != "/" ? common.url.target : protocol->default_target();
  plan.client_tag = fmt::format("{:x}", steady_ns(Clock::now()) % 0xffffff);
  run.senders = o.scenario == ChatScenario::fanout ? o.publishers : o.scenario == ChatScenario::sends ? common.connections : 0;
  plan.closed_loop = o.scenario == ChatScenario::sends && o.rate <= 0;
  double per_sender_rate = 0;
  if (run.senders > 0 && o.rate > 0) {
    per_sender_rate = o.rate / run.senders;
    run.interval = std::chrono::duration_cast<Duration>(std::chrono::duration<double>(1.0 / per_sender_rate));
    if (run.interval.count() <= 0) return std::unexpected("--rate too high");
  }
  const double window_s = std::chrono::duration<double>(o.grace).count() + 4.0;  // acks may come this late
  plan.ring_size = std::bit_ceil(std::clamp<std::size_t>(
      plan.closed_loop ? static_cast<std::size_t>(o.inflight) * 4 : static_cast<std::size_t>(per_sender_rate * window_s),
      16, 1 << 16));

  run.io = &io;
  run.threads.resize(static_cast<std::size_t>(threads));
  run.conns.resize(static_cast<std::size_t>(threads));
  const int batches = (common.connections + o.ramp_batch - 1) / o.ramp_batch;
  const TimePoint t0 = Clock::now() + std::chrono::milliseconds(20);
  const TimePoint deadline = t0 + o.ramp_interval * batches + o.setup_timeout;
  const long rss_before = o.server_pid > 0 ? read_vm_rss_kib(o.server_pid) : -1;
  if (o.server_pid > 0 && rss_before < 0)
    return std::unexpected(fmt::format("--server-pid {}: cannot read /proc/{}/status", o.server_pid, o.server_pid));
  for (int i = 0; i < common.connections; ++i) {
    const int t = i % threads;
    auto& c = *run.conns[static_cast<std::size_t>(t)].emplace_back(
        std::make_unique<ChatConn>(io.context(t), i, plan.ring_size));
    assign(c, o, setup, plan.client_tag);
    const TimePoint ramp_at = t0 + o.ramp_interval * (i / o.ramp_batch);
    asio::co_spawn(io.context(t), connect_one(c, run, run.threads[static_cast<std::size_t>(t)], ramp_at, deadline),
                   asio::detached);
  }
  asio::co_spawn(io.context(0), coordinate(run, t0, deadline), asio::detached);
  if (!common.quiet)
    fmt::print(stderr, "chat {} [{}] {}{}: {} connections on {} threads, {:.1f} s warmup + {:.1f} s\n",
               scenario_name(o.scenario), o.peer == Peer::parley ? "parley" : "socketio", common.url.text,
               common.url.target != "/" ? "" : plan.target, common.connections, threads,
               std::chrono::duration<double>(common.warmup).count(),
               std::chrono::duration<double>(common.duration).count());
  CpuMeter cpu;
  cpu.start();
  io.run();

  ChatReport r;
  r.client_cpu = cpu.cores();
  r.scenario = scenario_name(o.scenario);
  r.peer = o.peer == Peer::parley ? "parley" : "socketio";
  r.target = common.url.text;
  r.connections = common.connections;
  r.threads = threads;
  r.rooms = o.rooms;
  r.members = o.scenario == ChatScenario::fanout ? o.members : 0;
  r.publishers = o.scenario == ChatScenario::fanout ? o.publishers : 0;
  r.duration_s = std::chrono::duration<double>(common.duration).count();
  r.rate = o.rate;
  r.rss_before_kib = rss_before;
  r.rss_ready_kib = run.rss_ready;
  r.rss_end_kib = run.rss_end;
  for (auto& th : run.threads) r.stats.merge(th.stats);
  return r;
}

}  // namespace parley::bench
