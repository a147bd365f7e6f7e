// The WebSocket gateway before accounts exist: ping/pong and unknown ops.
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <string>

#include "server_process.hpp"
#include "ws_client.hpp"

namespace parley::it {
namespace {

TEST(WebSocket, PingIsAnsweredByPongWithTheSameId) {
  ServerProcess server;
  WsClient ws(server.port());
  ws.connect();
  for (std::string id : {"1", "abc", "x-y-z"}) {
    ws.send_text(R"({"op":"ping","id":")" + id + R"("})");
    EXPECT_EQ(ws.read_json(), boost::json::parse(R"({"t":"pong","id":")" + id + R"("})").as_object());
  }
}

TEST(WebSocket, UnknownOpGetsAnErrorFrameAndTheConnectionStays) {
  ServerProcess server;
  WsClient ws(server.port());
  ws.connect();
  ws.send_text(R"({"op":"frobnicate"})");
  auto err = ws.read_json();
  EXPECT_EQ(err["t"], "error") << err;
  EXPECT_EQ(err["code"], "unknown_op") << err;
  ws.send_text(R"({"op":"ping","id":"still-here"})");
  EXPECT_EQ(ws.read_json()["t"], "pong");
}

TEST(WebSocket, TwoClientsAreIndependent) {
  ServerProcess server;
  WsClient a(server.port()), b(server.port());
  a.connect();
  b.connect();
  b.send_text(R"({"op":"ping","id":"b"})");
  a.send_text(R"({"op":"ping","id":"a"})");
  EXPECT_EQ(a.read_json()["id"], "a");
  EXPECT_EQ(b.read_json()["id"], "b");
}

}  // namespace
}  // namespace parley::it
