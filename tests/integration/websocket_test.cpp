// The gateway's frame basics once authenticated: ping/pong, malformed and unknown frames.
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <string>

#include "chat_helpers.hpp"
#include "gateway_helpers.hpp"
#include "server_process.hpp"

namespace parley::it {
namespace {

TEST(WebSocket, PingIsAnsweredByPongWithTheSameId) {
  ServerProcess server(chat::fast_server());
  HttpClient http(server.port());
  chat::GatewayClient ws(server.port(), chat::make_user(http, "pinger"));
  for (std::string id : {"1", "abc", "x-y-z"}) {
    ws.ws.send_text(R"({"op":"ping","id":")" + id + R"("})");
    EXPECT_EQ(ws.next("pong"), boost::json::parse(R"({"t":"pong","id":")" + id + R"("})").as_object());
  }
}

TEST(WebSocket, UnknownOrMalformedFramesGetAnErrorAndTheConnectionStays) {
  ServerProcess server(chat::fast_server());
  HttpClient http(server.port());
  chat::GatewayClient ws(server.port(), chat::make_user(http, "prober"));
  ws.ws.send_text(R"({"op":"frobnicate"})");
  auto err = ws.next("error");
  EXPECT_EQ(err["code"], "unknown_op") << err;
  ws.ws.send_text("not json");
  err = ws.next("error");
  EXPECT_EQ(err["code"], "malformed_frame") << err;
  ws.ws.send_text(R"({"op":"ping","id":"still-here"})");
  EXPECT_EQ(ws.next("pong")["id"], "still-here");
}

TEST(WebSocket, TwoClientsAreIndependent) {
  ServerProcess server(chat::fast_server());
  HttpClient http(server.port());
  chat::GatewayClient a(server.port(), chat::make_user(http, "alice"));
  chat::GatewayClient b(server.port(), chat::make_user(http, "bob"));
  b.ws.send_text(R"({"op":"ping","id":"b"})");
  a.ws.send_text(R"({"op":"ping","id":"a"})");
  EXPECT_EQ(a.next("pong")["id"], "a");
  EXPECT_EQ(b.next("pong")["id"], "b");
}

}  // namespace
}  // namespace parley::it
