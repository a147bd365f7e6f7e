// Issue 11, item 12: after SIGTERM, for --drain-grace, the listeners stay open and /readyz
// answers 503 draining (so a load balancer can tell draining from dead), requests are still
// served with Connection: close; then the port closes and the drain proceeds. A second signal
// stops at once.
#include <gtest/gtest.h>

#include <signal.h>

#include <boost/json.hpp>
#include <chrono>
#include <string>
#include <thread>

#include "http_client.hpp"
#include "problem_assertions.hpp"
#include "server_process.hpp"

namespace parley::it {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

// Polls /readyz on fresh connections until it answers 503; that response, or nothing.
std::optional<Response> readyz_503_within(std::uint16_t port, std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  while (Clock::now() < deadline) {
    HttpClient probe(port, 1s);
    if (!probe.try_connect()) {
      try {
        auto res = probe.get("/readyz");
        if (res.result_int() == 503) return res;
      } catch (const std::exception&) {
      }
    }
    std::this_thread::sleep_for(20ms);
  }
  return std::nullopt;
}

bool refused_within(std::uint16_t port, std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  while (Clock::now() < deadline) {
    HttpClient probe(port, 500ms);
    if (probe.try_connect()) return true;
    probe.close();
    std::this_thread::sleep_for(20ms);
  }
  return false;
}

TEST(HardeningDrain, ReadyzAnswers503DuringTheGraceThenThePortRefuses) {
  ServerProcess server({.args = {"--drain-grace", "3s", "--shutdown-timeout", "5s"}});
  HttpClient kept(server.port());
  ASSERT_EQ(kept.get("/readyz").result_int(), 200);

  const auto start = Clock::now();
  server.send_signal(SIGTERM);
  auto ready = readyz_503_within(server.port(), 2000ms);
  ASSERT_TRUE(ready) << "no 503 from /readyz after SIGTERM\n" << server.describe();
  expect_problem(*ready, 503, "draining");
  EXPECT_FALSE(ready->keep_alive());

  // Still serving during the grace: new connections, and the kept-alive one, which is told to close.
  HttpClient fresh(server.port());
  auto res = fresh.get("/healthz");
  EXPECT_EQ(res.result_int(), 200) << res;
  EXPECT_FALSE(res.keep_alive()) << "a response during the grace lacks Connection: close";
  res = kept.get("/healthz");
  EXPECT_EQ(res.result_int(), 200) << res;
  EXPECT_FALSE(res.keep_alive());
  EXPECT_LT(Clock::now() - start, 2800ms) << "the checks above ran too late to be inside the grace";

  ASSERT_TRUE(refused_within(server.port(), 5s)) << "the port still accepts 5 s after the grace\n" << server.describe();
  EXPECT_GE(Clock::now() - start, 2900ms) << "the listeners closed before the 3 s grace";
  auto code = server.wait_exit(5s);
  ASSERT_TRUE(code) << server.describe();
  EXPECT_EQ(*code, 0) << server.describe();
  EXPECT_TRUE(server.wait_for_msg("drained", 1s)) << server.describe();
}

TEST(HardeningDrain, ASecondSignalDuringTheGraceStopsAtOnce) {
  ServerProcess server({.args = {"--drain-grace", "60s"}});
  server.send_signal(SIGTERM);
  ASSERT_TRUE(readyz_503_within(server.port(), 1500ms)) << server.describe();
  const auto start = Clock::now();
  server.send_signal(SIGTERM);
  auto code = server.wait_exit(3s);
  ASSERT_TRUE(code) << "still running 3 s after the second signal\n" << server.describe();
  EXPECT_LT(Clock::now() - start, 3s);
  EXPECT_TRUE(server.wait_for_msg("second signal: stopping now", 1s)) << server.describe();
}

TEST(HardeningDrain, TheDefaultGraceKeepsThePortOpenBrieflyAfterSigterm) {
  ServerProcess server;
  server.send_signal(SIGTERM);
  auto ready = readyz_503_within(server.port(), 1500ms);
  ASSERT_TRUE(ready) << "with the default --drain-grace, /readyz did not answer 503 after SIGTERM\n"
                     << server.describe();
  expect_problem(*ready, 503, "draining");
  auto code = server.wait_exit(15s);
  ASSERT_TRUE(code) << server.describe();
  EXPECT_EQ(*code, 0);
}

}  // namespace
}  // namespace parley::it
