// Request limits: body and header sizes, header and idle timeouts, connection cap.
#include <gtest/gtest.h>

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

std::string raw_post(std::size_t content_length, const std::string& body = {}) {
  return "POST /dev/echo HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
         "Content-Length: " + std::to_string(content_length) + "\r\n\r\n" + body;
}

TEST(Limits, BodyOverMaxBodyBytesIs413) {
  ServerProcess server({.args = {"--dev", "--max-body-bytes", "2048"}});
  HttpClient client(server.port());
  expect_problem(client.post_json("/dev/echo", echo_body(4096)), 413, "payload_too_large");
  HttpClient again(server.port());
  expect_problem(again.post_json("/dev/echo", echo_body(2049)), 413, "payload_too_large");
}

TEST(Limits, BodyAtMaxBodyBytesIsAccepted) {
  ServerProcess server({.args = {"--dev", "--max-body-bytes", "2048"}});
  HttpClient client(server.port());
  auto res = client.post_json("/dev/echo", echo_body(2048));
  EXPECT_EQ(res.result_int(), 200) << res;
}

TEST(Limits, ContentLengthIsCheckedBeforeReadingTheBody) {
  ServerProcess server({.args = {"--dev", "--max-body-bytes", "2048"}});
  HttpClient client(server.port(), 3s);
  client.send_raw(raw_post(50'000'000));  // headers only; the body never comes
  Response res;
  auto ec = client.try_read_response(res);
  ASSERT_FALSE(ec) << "no response before the body was sent: " << ec.message();
  expect_problem(res, 413, "payload_too_large");
}

TEST(Limits, ChunkedBodyOverLimitIs413) {
  ServerProcess server({.args = {"--dev", "--max-body-bytes", "2048"}});
  HttpClient client(server.port(), 3s);
  std::string chunk = std::string(1500, ' ');
  client.send_raw("POST /dev/echo HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                  "Transfer-Encoding: chunked\r\n\r\n5dc\r\n" + chunk + "\r\n5dc\r\n" + chunk +
                  "\r\n0\r\n\r\n");
  Response res;
  auto ec = client.try_read_response(res);
  ASSERT_FALSE(ec) << ec.message();
  expect_problem(res, 413, "payload_too_large");
}

TEST(Limits, HeadersOverMaxHeaderBytesAre431) {
  ServerProcess server({.args = {"--max-header-bytes", "1024"}});
  HttpClient small(server.port());
  EXPECT_EQ(small.get("/healthz", {{"X-Fill", std::string(300, 'a')}}).result_int(), 200);

  HttpClient client(server.port(), 3s);
  client.send_raw("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Fill: " + std::string(4000, 'a') +
                  "\r\n\r\n");
  Response res;
  auto ec = client.try_read_response(res);
  ASSERT_FALSE(ec) << ec.message();
  expect_problem(res, 431, "header_too_large");
}

TEST(Limits, SlowHeadersAreCutAfterHeaderTimeout) {
  ServerProcess server({.args = {"--header-timeout", "500ms"}});
  HttpClient client(server.port());
  client.send_raw("GET /healthz HTTP/1.1\r\nHost: 127.0");  // half a request, then nothing
  auto start = Clock::now();
  EXPECT_TRUE(client.wait_for_close(2s)) << "connection still open 2 s after a 500ms header timeout";
  EXPECT_GE(Clock::now() - start, 300ms) << "closed before the header timeout";
}

TEST(Limits, TricklingHeadersAreCutAfterHeaderTimeout) {
  // The timeout bounds the whole header, not the gap between two reads (slowloris).
  ServerProcess server({.args = {"--header-timeout", "500ms"}});
  HttpClient client(server.port());
  const std::string request = "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: " +
                              std::string(200, 'z') + "\r\n\r\n";
  auto start = Clock::now();
  bool closed = false;
  for (char c : request) {
    if (client.try_send_raw(std::string_view(&c, 1)) || client.wait_for_close(100ms)) {
      closed = true;
      break;
    }
    if (Clock::now() - start > 3s) break;
  }
  EXPECT_TRUE(closed) << "a header sent one byte per 100 ms was still accepted after "
                      << std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start).count()
                      << " ms";
  EXPECT_LT(Clock::now() - start, 2500ms);
}

TEST(Limits, IdleKeepAliveConnectionIsClosedAfterIdleTimeout) {
  ServerProcess server({.args = {"--idle-timeout", "1s"}});
  HttpClient client(server.port());
  ASSERT_EQ(client.get("/healthz").result_int(), 200);
  auto start = Clock::now();
  EXPECT_FALSE(client.wait_for_close(400ms)) << "closed right after the response";
  EXPECT_TRUE(client.wait_for_close(2600ms)) << "idle connection still open after 3 s";
  EXPECT_GE(Clock::now() - start, 800ms);
}

TEST(Limits, ActiveKeepAliveConnectionOutlivesIdleTimeout) {
  ServerProcess server({.args = {"--idle-timeout", "1s"}});
  HttpClient client(server.port());
  for (int i = 0; i < 6; ++i) {
    ASSERT_EQ(client.get("/healthz").result_int(), 200) << "request " << i;
    ASSERT_TRUE(client.is_open());
    std::this_thread::sleep_for(400ms);
  }
}

TEST(Limits, ConnectionsOverMaxConnectionsGet503) {
  ServerProcess server({.args = {"--max-connections", "2"}});
  std::this_thread::sleep_for(200ms);  // let the readiness probe's connection be forgotten
  HttpClient a(server.port()), b(server.port());
  ASSERT_EQ(a.get("/healthz").result_int(), 200);
  ASSERT_EQ(b.get("/healthz").result_int(), 200);

  HttpClient c(server.port(), 3s);
  c.send_raw("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
  Response res;
  auto ec = c.try_read_response(res);
  ASSERT_FALSE(ec) << "third connection got no response: " << ec.message();
  expect_problem(res, 503, "too_many_connections");
  EXPECT_TRUE(c.wait_for_close(2s)) << "third connection not closed after its 503";

  // Once one is gone, a new connection is served again.
  a.close();
  bool served = false;
  for (int i = 0; i < 20 && !served; ++i) {
    std::this_thread::sleep_for(100ms);
    HttpClient d(server.port());
    served = d.get("/healthz").result_int() == 200;
  }
  EXPECT_TRUE(served);
  EXPECT_EQ(b.get("/healthz").result_int(), 200);
}

}  // namespace
}  // namespace parley::it
