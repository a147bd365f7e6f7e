// Issue 11, item 10: memory held by slow uploads. Request bodies being received share one
// budget across the server (--max-body-bytes-in-flight: beyond it 503 server_busy with
// Retry-After, while requests without a body are still served), and a body that arrives slower
// than --min-body-rate after --body-rate-grace is cut long before --idle-timeout.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <chrono>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "http_client.hpp"
#include "problem_assertions.hpp"
#include "server_process.hpp"

namespace parley::it {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

std::string post_head(std::size_t content_length, bool expect_continue = false) {
  return "POST /dev/echo HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n" +
         std::string(expect_continue ? "Expect: 100-continue\r\n" : "") +
         "Content-Length: " + std::to_string(content_length) + "\r\n\r\n";
}

TEST(HardeningBodies, ABodyTrickledBelowTheMinimumRateIsCut) {
  // The idle timeout stays at its 60 s default: only the rate can cut this body in time.
  ServerProcess server({.args = {"--dev", "--min-body-rate", "1000", "--body-rate-grace", "1s"}});
  HttpClient c(server.port(), 2s);
  const auto start = Clock::now();
  c.send_raw(post_head(100'000) + "{");
  // 10 bytes every 100 ms: 100 bytes/s, a tenth of the minimum.
  bool closed = false;
  while (!closed && Clock::now() - start < 10s) {
    if (c.try_send_raw(std::string(10, ' '))) closed = true;
    else closed = c.wait_for_close(100ms);
  }
  const auto took = Clock::now() - start;
  ASSERT_TRUE(closed) << "a body at 100 bytes/s was still being read after 10 s\n" << server.describe();
  EXPECT_LT(took, 4s);
  EXPECT_GE(took, 900ms) << "cut before the grace had passed";
  EXPECT_TRUE(server.wait_for_msg("request body too slow; connection closed")) << server.describe();
  // The server is fine.
  HttpClient after(server.port());
  EXPECT_EQ(after.get("/healthz").result_int(), 200);
}

TEST(HardeningBodies, ABodyAboveTheMinimumRateIsServedEvenWhenItTakesLongerThanTheGrace) {
  ServerProcess server({.args = {"--dev", "--min-body-rate", "500", "--body-rate-grace", "500ms"}});
  HttpClient c(server.port(), 5s);
  const std::string body = echo_body(2000);
  c.send_raw(post_head(body.size()));
  // 200 bytes every 100 ms: about 2000 bytes/s, four times the minimum, over about a second.
  for (std::size_t off = 0; off < body.size(); off += 200) {
    c.send_raw(body.substr(off, 200));
    std::this_thread::sleep_for(100ms);
  }
  auto res = c.read_response();
  EXPECT_EQ(res.result_int(), 200) << res;
}

TEST(HardeningBodies, BodiesBeyondTheInFlightBudgetGet503UntilTheBudgetIsReleased) {
  constexpr std::size_t kMiB = 1 << 20;
  ServerProcess server({.args = {"--dev", "--min-body-rate", "0", "--max-body-bytes", std::to_string(kMiB),
                                 "--max-body-bytes-in-flight", std::to_string(3 * kMiB)}});
  // Three uploads of 1 MiB each hold the whole budget: each has its share once it is told to
  // go on (100 Continue), and sends a little of its body, then stalls.
  std::vector<std::unique_ptr<HttpClient>> slow;
  for (int i = 0; i < 3; ++i) {
    SCOPED_TRACE("upload " + std::to_string(i));
    auto c = std::make_unique<HttpClient>(server.port());
    c->send_raw(post_head(kMiB, true));
    Response cont;
    auto ec = c->try_read_response(cont);
    ASSERT_FALSE(ec) << ec.message() << "\n" << server.describe();
    ASSERT_EQ(cont.result_int(), 100) << cont;
    c->send_raw("{" + std::string(1000, ' '));
    slow.push_back(std::move(c));
  }
  // A fourth and a fifth upload are refused at once, before their bodies.
  for (int i = 0; i < 2; ++i) {
    HttpClient over(server.port());
    over.send_raw(post_head(kMiB, true));
    Response res;
    auto ec = over.try_read_response(res);
    ASSERT_FALSE(ec) << ec.message();
    expect_problem(res, 503, "server_busy");
    EXPECT_EQ(header(res, "Retry-After"), "1") << res;
    EXPECT_FALSE(res.keep_alive());
    EXPECT_TRUE(over.wait_for_close(3s));
  }
  // A request without a body is served.
  HttpClient fresh(server.port());
  EXPECT_EQ(fresh.get("/healthz").result_int(), 200);
  // The stalled uploads go away; their shares come back and a full-size body is accepted again.
  slow.clear();
  const std::string body = echo_body(kMiB);
  const auto deadline = Clock::now() + 5s;
  int status = 0;
  while (Clock::now() < deadline) {
    HttpClient again(server.port());
    status = again.post_json("/dev/echo", body).result_int();
    if (status != 503) break;
    std::this_thread::sleep_for(50ms);
  }
  EXPECT_EQ(status, 200) << server.describe();
}

// A client that sends its whole body without waiting still reads the refusal: the server drops
// what follows instead of resetting the connection under the answer.
TEST(HardeningBodies, ARefusedBodySentWholeStillGetsItsAnswer) {
  ServerProcess server({.args = {"--dev", "--max-body-bytes", "2048"}});
  for (int i = 0; i < 5; ++i) {
    SCOPED_TRACE("attempt " + std::to_string(i));
    HttpClient c(server.port());
    c.send_raw(post_head(200'000) + std::string(200'000, ' '));
    Response res;
    auto ec = c.try_read_response(res);
    ASSERT_FALSE(ec) << ec.message();
    expect_problem(res, 413, "payload_too_large");
  }
}

}  // namespace
}  // namespace parley::it
