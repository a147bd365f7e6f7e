// The chat framings of parley-bench: what each peer's frames look like on the wire and how the
// generator reads the server's frames (Parley: API.md "Real-time"; Socket.IO v5 / Engine.IO v4).
#include <gtest/gtest.h>

#include "chat_protocol.hpp"

namespace parley::bench {
namespace {

using K = ChatEvent::Kind;

TEST(ChatFrames, StampedBodyCarriesItsScheduledTime) {
  const auto body = stamped_body(123456789, 64);
  EXPECT_EQ(body.size(), 64u);
  EXPECT_TRUE(body.starts_with("pbts123456789 "));
  std::int64_t ns = 0;
  ASSERT_TRUE(find_stamp(R"({"t":"msg","message":{"body":")" + body + "\"}}", ns));
  EXPECT_EQ(ns, 123456789);
  EXPECT_FALSE(find_stamp("no stamp here", ns));
  EXPECT_EQ(stamped_body(42, 1), "pbts42 ");  // never shorter than the stamp
}

TEST(ChatFrames, JsonHelpers) {
  EXPECT_EQ(json_string_field(R"({"t":"ack","client_id":"pb1c2.7","seq":3})", "client_id"), "pb1c2.7");
  EXPECT_EQ(json_string_field(R"({"t":"ack"})", "client_id"), "");
  EXPECT_EQ(json_quote("a\"b\\c\n"), R"("a\"b\\c\u000a")");
}

TEST(ParleyFrames, ClientFramesFollowTheContract) {
  const auto p = make_chat_protocol(Peer::parley);
  EXPECT_EQ(p->default_target(), "/v1/ws");
  EXPECT_FALSE(p->waits_for_open());
  EXPECT_EQ(p->auth_frame("tok.en", "u1"), R"({"op":"auth","token":"tok.en"})");
  const auto join = p->join_frames("7311825932910821376");
  ASSERT_EQ(join.size(), 2u);
  EXPECT_EQ(join[0], R"({"op":"sub","rooms":[{"room":"7311825932910821376","since":0}]})");
  EXPECT_EQ(join[1], R"({"op":"ping","id":"pb-join"})");
  EXPECT_EQ(p->send_frame("42", "pbabc1c3", 9, "pbts1 x"),
            R"({"op":"send","room":"42","client_id":"pbabc1c3.9","body":"pbts1 x"})");
}

TEST(ParleyFrames, ServerFramesAreClassified) {
  const auto p = make_chat_protocol(Peer::parley);
  EXPECT_EQ(p->classify(R"({"t":"ready","user_id":"1","session_id":"2"})").kind, K::ready);
  EXPECT_EQ(p->classify(R"({"t":"pong","id":"pb-join"})").kind, K::joined);
  EXPECT_EQ(p->classify(R"({"t":"pong","id":"other"})").kind, K::none);
  const auto ack = p->classify(R"({"t":"ack","client_id":"pbabc1c3.17","seq":42,"id":"99"})");
  EXPECT_EQ(ack.kind, K::ack);
  EXPECT_EQ(ack.n, 17u);
  const auto msg = p->classify(
      R"({"t":"msg","room":"42","seq":5,"message":{"id":"9","room_id":"42","seq":5,"body":"pbts777 xx"}})");
  EXPECT_EQ(msg.kind, K::delivery);
  EXPECT_EQ(msg.stamp_ns, 777);
  EXPECT_EQ(p->classify(R"({"t":"error","code":"forbidden","detail":"…"})").kind, K::error);
  EXPECT_EQ(p->classify(R"({"t":"typing","room":"42","user_id":"1"})").kind, K::none);
}

TEST(SocketIoFrames, ClientPackets) {
  const auto p = make_chat_protocol(Peer::socketio);
  EXPECT_EQ(p->default_target(), "/socket.io/?EIO=4&transport=websocket");
  EXPECT_TRUE(p->waits_for_open());
  EXPECT_EQ(p->auth_frame("secret", "u3"), R"(40{"token":"secret","user":"u3"})");
  const auto join = p->join_frames("room-1");
  ASSERT_EQ(join.size(), 1u);
  EXPECT_EQ(join[0], R"(420["join",{"rooms":["room-1"]}])");
  EXPECT_EQ(p->send_frame("room-1", "pbx", 12, "pbts5 y"),
            R"(4212["send",{"room":"room-1","client_id":"pbx.12","body":"pbts5 y"}])");
  EXPECT_EQ(p->pong_frame(), "3");
}

TEST(SocketIoFrames, ServerPackets) {
  const auto p = make_chat_protocol(Peer::socketio);
  EXPECT_EQ(p->classify(R"(0{"sid":"x","upgrades":[],"pingInterval":25000,"pingTimeout":20000})").kind, K::open);
  EXPECT_EQ(p->classify("2").kind, K::ping);
  EXPECT_EQ(p->classify(R"(40{"sid":"y"})").kind, K::ready);
  EXPECT_EQ(p->classify(R"(44{"message":"unauthenticated"})").kind, K::refused);
  EXPECT_EQ(p->classify(R"(430[{"ok":true}])").kind, K::joined);
  const auto ack = p->classify(R"(4312[{"client_id":"pbx.12","seq":3,"id":"8"}])");
  EXPECT_EQ(ack.kind, K::ack);
  EXPECT_EQ(ack.n, 12u);
  const auto msg = p->classify(R"(42["msg",{"room":"r","seq":3,"message":{"body":"pbts99 z"}}])");
  EXPECT_EQ(msg.kind, K::delivery);
  EXPECT_EQ(msg.stamp_ns, 99);
  EXPECT_EQ(p->classify(R"(42["other",{"body":"pbts99"}])").kind, K::none);
  EXPECT_EQ(p->classify("1").kind, K::error);
  EXPECT_EQ(p->classify("41").kind, K::error);
  EXPECT_EQ(p->classify("").kind, K::none);
}

}  // namespace
}  // namespace parley::bench
