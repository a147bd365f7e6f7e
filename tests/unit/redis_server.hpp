#pragma once
// A real redis-server for one test, on a free loopback port with a temporary folder; it can be
// killed and started again on the same port. Plus the helpers to run a coroutine test on an
// io_context with a deadline.
#include "temp_dir.hpp"

#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <gtest/gtest.h>

#include <chrono>
#include <functional>
#include <string>
#include <vector>

#include <stdexcept>

#include <sys/types.h>

namespace parley::testing_support {

class RedisServer {
 public:
  explicit RedisServer(std::vector<std::string> extra_args = {});
  ~RedisServer();
  RedisServer(const RedisServer&) = delete;
  RedisServer& operator=(const RedisServer&) = delete;

  void start();  // returns once it answers PING
  void kill();   // SIGKILL, reaped
  int port() const { return port_; }
  std::string url() const { return "redis://127.0.0.1:" + std::to_string(port_); }
  // A command on a blocking connection of its own (the test's side channel): the reply as text
  // (integers in decimal, arrays joined with ','), or "ERR: ..." on a failure.
  std::string admin(const std::vector<std::string>& args) const;

 private:
  TempDir dir_;
  std::vector<std::string> extra_;
  int port_ = 0;
  pid_t pid_ = -1;
};

int free_port();

// Runs `test` on `io` until it completes (failing after `limit`); rethrows what it threw.
void run_coro(boost::asio::io_context& io, std::function<boost::asio::awaitable<void>()> test,
              std::chrono::milliseconds limit = std::chrono::seconds(30));

boost::asio::awaitable<void> sleep_for(std::chrono::milliseconds d);
// Polls `pred` every 5 ms until it holds or `limit` passes; returns whether it held.
boost::asio::awaitable<bool> eventually(std::function<bool()> pred, std::chrono::milliseconds limit);

}  // namespace parley::testing_support

// ASSERT_* cannot return from a coroutine: these record the failure and throw (run_coro rethrows).
#define CO_ASSERT_TRUE(cond)                                                   \
  do {                                                                         \
    const bool co_ok_ = static_cast<bool>(cond);                               \
    EXPECT_TRUE(co_ok_) << #cond;                                              \
    if (!co_ok_) throw std::runtime_error("assertion failed: " #cond);         \
  } while (0)
#define CO_ASSERT_EQ(a, b)                                                     \
  do {                                                                         \
    const bool co_ok_ = ((a) == (b));                                          \
    EXPECT_EQ(a, b);                                                           \
    if (!co_ok_) throw std::runtime_error("assertion failed: " #a " == " #b);  \
  } while (0)
