#include "wait_ready.hpp"

#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>
#include <optional>
#include <thread>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <fmt/core.h>

#include "bench_clock.hpp"
#include "resolve.hpp"

extern char** environ;

namespace parley::bench {
namespace {

namespace asio = boost::asio;
namespace http = boost::beast::http;
using asio::ip::tcp;
constexpr auto use_tuple = asio::as_tuple(asio::use_awaitable);

// One attempt: connect, GET, read the status. 0 when nothing answered.
asio::awaitable<unsigned> probe(const tcp::endpoint& ep, const std::string& request) {
  tcp::socket sock(co_await asio::this_coro::executor);
  auto [ec] = co_await sock.async_connect(ep, use_tuple);
  if (ec) co_return 0;
  auto [wec, w] = co_await asio::async_write(sock, asio::buffer(request), use_tuple);
  if (wec) co_return 0;
  boost::beast::flat_buffer buffer;
  http::response<http::string_body> res;
  auto [rec, r] = co_await http::async_read(sock, buffer, res, use_tuple);
  if (rec) co_return 0;
  co_return res.result_int();
}

bool child_alive(pid_t pid, int& status) { return waitpid(pid, &status, WNOHANG) == 0; }

void stop_child(pid_t pid, Duration term_timeout) {
  kill(pid, SIGTERM);
  const auto deadline = Clock::now() + term_timeout;
  int status = 0;
  while (Clock::now() < deadline) {
    if (waitpid(pid, &status, WNOHANG) == pid) return;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  fmt::print(stderr, "wait-ready: pid {} ignored SIGTERM for {} ms, sending SIGKILL\n", pid,
             std::chrono::duration_cast<std::chrono::milliseconds>(term_timeout).count());
  kill(pid, SIGKILL);
  waitpid(pid, &status, 0);
}

}  // namespace

int run_wait_ready(const WaitReadyOptions& o) {
  auto endpoint = resolve_one(o.url);
  if (!endpoint) {
    fmt::print(stderr, "wait-ready: {}\n", endpoint.error());
    return 2;
  }
  const std::string request = fmt::format(
      "GET {} HTTP/1.1\r\nHost: {}\r\nUser-Agent: parley-bench\r\nConnection: close\r\n\r\n", o.url.target,
      o.url.host_header());

  std::vector<char*> argv;
  for (const auto& a : o.command) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  // The command's stdout goes to our stderr: our stdout carries only the figure.
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, STDERR_FILENO, STDOUT_FILENO);
  pid_t pid = 0;
  const auto t0 = Clock::now();
  const int err = posix_spawnp(&pid, argv[0], &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (err != 0) {
    fmt::print(stderr, "wait-ready: cannot start '{}': {}\n", o.command[0], std::strerror(err));
    return 1;
  }

  asio::io_context ctx(1);
  std::optional<double> ready_ms;
  int child_status = 0;
  bool child_died = false;
  asio::co_spawn(
      ctx,
      [&]() -> asio::awaitable<void> {
        asio::steady_timer timer(ctx);
        while (Clock::now() - t0 < o.timeout) {
          const unsigned status = co_await probe(*endpoint, request);
          if (status == 200) {
            ready_ms = std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
            co_return;
          }
          if (!child_alive(pid, child_status)) {
            child_died = true;
            co_return;
          }
          timer.expires_after(o.interval);
          co_await timer.async_wait(use_tuple);
        }
      },
      asio::detached);
  // A probe that hangs (accepted, never answered) must not outlive the timeout.
  ctx.run_for(o.timeout + std::chrono::seconds(1));

  if (child_died) {
    fmt::print(stderr, "wait-ready: '{}' exited before it was ready (status {})\n", o.command[0], child_status);
    return 1;
  }
  if (!o.keep) stop_child(pid, o.term_timeout);
  if (!ready_ms) {
    fmt::print(stderr, "wait-ready: {} did not answer 200 within {} ms\n", o.url.text,
               std::chrono::duration_cast<std::chrono::milliseconds>(o.timeout).count());
    return 1;
  }
  fmt::print("{:.2f}\n", *ready_ms);
  return 0;
}

}  // namespace parley::bench
