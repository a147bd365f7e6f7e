// Graceful drain on SIGTERM/SIGINT: WebSockets get 1001, idle connections close, in-flight
// requests finish, new connections are refused, "drained" is logged, exit code 0. These run
// with --drain-grace 0 (the drain starts at the signal); hardening_drain_test.cpp has the grace.
#include <gtest/gtest.h>

#include <signal.h>

#include <boost/json/parse.hpp>
#include <chrono>
#include <string>
#include <thread>

#include "chat_helpers.hpp"
#include "gateway_helpers.hpp"
#include "http_client.hpp"
#include "server_process.hpp"
#include "ws_client.hpp"

namespace parley::it {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

// Polls until a new TCP connection to the port is refused.
bool new_connections_refused_within(std::uint16_t port, std::chrono::milliseconds timeout) {
  auto deadline = Clock::now() + timeout;
  while (Clock::now() < deadline) {
    HttpClient probe(port, 500ms);
    if (probe.try_connect()) return true;
    probe.close();
    std::this_thread::sleep_for(50ms);
  }
  return false;
}

TEST(Drain, SigtermClosesWebSocketsWith1001AndExitsZero) {
  auto options = chat::fast_server();
  options.args.insert(options.args.end(), {"--shutdown-timeout", "5s", "--drain-grace", "0"});
  ServerProcess server(options);
  HttpClient idle(server.port());
  chat::GatewayClient gateway(server.port(), chat::make_user(idle, "drainer"));
  auto& ws = gateway.ws;
  ws.send_text(R"({"op":"ping","id":"before-drain"})");
  ASSERT_EQ(gateway.next("pong"), boost::json::parse(R"({"t":"pong","id":"before-drain"})").as_object());
  ASSERT_EQ(idle.get("/healthz").result_int(), 200);

  auto start = Clock::now();
  server.send_signal(SIGTERM);
  EXPECT_EQ(ws.wait_for_close_code(3s), std::optional<std::uint16_t>(1001));
  EXPECT_TRUE(idle.wait_for_close(3s)) << "idle keep-alive connection not closed on drain";
  auto code = server.wait_exit(7s);
  ASSERT_TRUE(code) << "still running 7 s after SIGTERM with --shutdown-timeout 5s\n" << server.describe();
  EXPECT_EQ(*code, 0) << server.describe();
  EXPECT_LT(Clock::now() - start, 7s);
  EXPECT_TRUE(server.wait_for_msg("drained", 1s)) << server.describe();
  HttpClient late(server.port());
  EXPECT_TRUE(late.try_connect()) << "a connection was accepted after exit";
}

TEST(Drain, SigintDrainsToo) {
  ServerProcess server({.args = {"--drain-grace", "0"}});
  WsClient ws(server.port());
  ws.connect();
  server.send_signal(SIGINT);
  EXPECT_EQ(ws.wait_for_close_code(3s), std::optional<std::uint16_t>(1001));
  auto code = server.wait_exit(12s);
  ASSERT_TRUE(code) << server.describe();
  EXPECT_EQ(*code, 0);
  EXPECT_TRUE(server.wait_for_msg("drained", 1s)) << server.describe();
}

TEST(Drain, InFlightRequestFinishesWhileNewConnectionsAreRefused) {
  ServerProcess server({.args = {"--dev", "--shutdown-timeout", "10s", "--drain-grace", "0"}});
  const std::string body = R"({"name":"draining"})";
  HttpClient inflight(server.port());
  // Headers and part of the body: the request is in flight until the rest arrives.
  inflight.send_raw("POST /dev/echo HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                    "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body.substr(0, 5));
  std::this_thread::sleep_for(300ms);
  server.send_signal(SIGTERM);

  EXPECT_TRUE(new_connections_refused_within(server.port(), 3s))
      << "new connections still accepted 3 s after SIGTERM";
  EXPECT_TRUE(server.running()) << "exited without waiting for the in-flight request\n" << server.describe();

  inflight.send_raw(body.substr(5));
  Response res;
  auto ec = inflight.try_read_response(res);
  ASSERT_FALSE(ec) << "in-flight request got no response: " << ec.message() << "\n" << server.describe();
  EXPECT_EQ(res.result_int(), 200) << res;
  EXPECT_EQ(body_json(res), boost::json::parse(body));
  EXPECT_FALSE(res.keep_alive()) << "last response on a draining connection lacks Connection: close";

  auto code = server.wait_exit(5s);
  ASSERT_TRUE(code) << server.describe();
  EXPECT_EQ(*code, 0);
  EXPECT_TRUE(server.wait_for_msg("drained", 1s)) << server.describe();
}

TEST(Drain, AWebSocketUpgradeWhileDrainingIsRefusedWith503) {
  ServerProcess server({.args = {"--shutdown-timeout", "10s", "--drain-grace", "0"}});
  HttpClient late(server.port());
  // The upgrade request's first line: the connection is busy, so the drain waits for it.
  late.send_raw("GET /v1/ws HTTP/1.1\r\n");
  std::this_thread::sleep_for(300ms);
  server.send_signal(SIGTERM);
  ASSERT_TRUE(new_connections_refused_within(server.port(), 3s)) << server.describe();
  late.send_raw("Host: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n");
  Response res;
  auto ec = late.try_read_response(res);
  ASSERT_FALSE(ec) << ec.message() << "\n" << server.describe();
  EXPECT_EQ(res.result_int(), 503) << res;
  EXPECT_EQ(body_json(res).at("code"), "draining") << res;
  EXPECT_FALSE(res.keep_alive());
  auto code = server.wait_exit(5s);
  ASSERT_TRUE(code) << server.describe();
  EXPECT_EQ(*code, 0);
}

TEST(Drain, StuckRequestIsCutAtShutdownTimeout) {
  ServerProcess server({.args = {"--dev", "--shutdown-timeout", "1s", "--drain-grace", "0"}});
  HttpClient stuck(server.port());
  stuck.send_raw("POST /dev/echo HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                 "Content-Length: 100\r\n\r\n{\"na");
  std::this_thread::sleep_for(300ms);
  auto start = Clock::now();
  server.send_signal(SIGTERM);
  auto code = server.wait_exit(3s);
  ASSERT_TRUE(code) << "still running 3 s after SIGTERM with --shutdown-timeout 1s\n" << server.describe();
  EXPECT_EQ(*code, 0);
  EXPECT_TRUE(stuck.wait_for_close(1s));
  EXPECT_LT(Clock::now() - start, 3s);
}

}  // namespace
}  // namespace parley::it
