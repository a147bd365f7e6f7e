// The WebSocket gateway against the real binary: authentication (header, first frame, timeout),
// subscribe = replay then live with no gap or duplicate at the seam while others send, sends
// acknowledged once durable and deduplicated by client_id, typing and read receipts, presence
// within privacy settings, and authorization (a non-member can do nothing with a room).
#include <gtest/gtest.h>

#include <atomic>
#include <boost/json.hpp>
#include <set>
#include <string>
#include <thread>

#include "accounts_helpers.hpp"
#include "chat_helpers.hpp"
#include "gateway_helpers.hpp"
#include "problem_assertions.hpp"

namespace parley::it {
namespace {

using namespace chat;
namespace ws = boost::beast::websocket;

TEST(ChatGateway, AuthenticatesByHeaderOrFirstFrameAndClosesOtherwise) {
  ServerProcess server(fast_server());
  HttpClient c(server.port());
  auto ann = make_user(c, "ann");

  WsClient by_header(server.port());
  by_header.connect("/v1/ws", accounts::bearer(ann.token));
  auto ready = by_header.read_json();
  EXPECT_EQ(ready.at("t").as_string(), "ready");
  EXPECT_EQ(ready.at("user_id").as_string(), ann.id);
  EXPECT_FALSE(ready.at("session_id").as_string().empty());

  GatewayClient by_frame(server.port(), ann);  // {"op":"auth"} first
  by_frame.ws.send_text(R"({"op":"ping","id":"p1"})");
  auto pong = by_frame.next("pong");
  EXPECT_EQ(pong.at("id").as_string(), "p1");

  WsClient bad(server.port());
  bad.connect();
  bad.send_text(R"({"op":"auth","token":"not-a-token"})");
  EXPECT_EQ(bad.wait_for_close_code(std::chrono::seconds(5)), 4401);

  WsClient wrong_first(server.port());
  wrong_first.connect();
  wrong_first.send_text(R"({"op":"ping","id":"x"})");
  EXPECT_EQ(wrong_first.wait_for_close_code(std::chrono::seconds(5)), 4401);

  WsClient silent(server.port(), std::chrono::seconds(10));
  silent.connect();
  EXPECT_EQ(silent.wait_for_close_code(std::chrono::seconds(8)), 4401);
}

TEST(ChatGateway, SubscribeReplaysThenGoesLiveWithNoGapOrDuplicateWhileOthersSend) {
  ServerProcess server(fast_server());
  HttpClient c(server.port());
  auto ann = make_user(c, "ann");
  auto bob = make_user(c, "bob");
  const auto room = str(create_group(c, ann, "seam", {&bob}), "id");
  for (int i = 1; i <= 30; ++i) send_text(c, ann, room, "pre-" + std::to_string(i), "before " + std::to_string(i));

  // Two senders keep writing while bob subscribes from seq 10.
  constexpr int kPerSender = 150;
  std::atomic<bool> go{false};
  auto sender = [&](const User& who, const std::string& tag) {
    HttpClient hc(server.port());
    while (!go) std::this_thread::yield();
    for (int i = 0; i < kPerSender; ++i) send_text(hc, who, room, tag + std::to_string(i), tag + " says " + std::to_string(i));
  };
  std::thread s1(sender, std::cref(ann), "a-");
  std::thread s2(sender, std::cref(bob), "b-");

  GatewayClient bob_ws(server.port(), bob);
  go = true;
  bob_ws.subscribe(room, 10);
  const std::int64_t last = 30 + 2 * kPerSender;
  std::vector<std::int64_t> seen = bob_ws.collect_seqs(room, last, std::chrono::seconds(30));
  s1.join();
  s2.join();

  ASSERT_FALSE(seen.empty());
  EXPECT_EQ(seen.front(), 11);
  EXPECT_EQ(seen.back(), last);
  for (std::size_t i = 1; i < seen.size(); ++i) ASSERT_EQ(seen[i], seen[i - 1] + 1) << "at " << i;
  EXPECT_EQ(seen.size(), static_cast<std::size_t>(last - 10));
}

TEST(ChatGateway, SendIsAcknowledgedOnceDurableAndDeduplicatedByClientId) {
  ServerProcess server(fast_server());
  HttpClient c(server.port());
  auto ann = make_user(c, "ann");
  auto bob = make_user(c, "bob");
  const auto room = str(open_direct(c, ann, bob), "id");

  GatewayClient bob_ws(server.port(), bob);
  bob_ws.subscribe(room, 0);
  GatewayClient ann_ws(server.port(), ann);
  ann_ws.send_message(room, "k-1", "hello over the socket");
  auto ack = ann_ws.next("ack");
  EXPECT_EQ(ack.at("client_id").as_string(), "k-1");
  EXPECT_EQ(ack.at("seq").as_int64(), 1);
  EXPECT_TRUE(ack.at("created").as_bool());
  const auto id = std::string(ack.at("id").as_string());

  auto msg = bob_ws.next("msg");
  EXPECT_EQ(msg.at("seq").as_int64(), 1);
  EXPECT_EQ(msg.at("message").at("body").as_string(), "hello over the socket");
  EXPECT_EQ(msg.at("message").at("sender_id").as_string(), ann.id);

  // The same client_id again (a retry after a lost ack): the original, nothing new stored or sent.
  ann_ws.send_message(room, "k-1", "hello over the socket");
  auto again = ann_ws.next("ack");
  EXPECT_EQ(again.at("id").as_string(), id);
  EXPECT_FALSE(again.at("created").as_bool());
  EXPECT_EQ(messages(c, ann, room).at("items").as_array().size(), 1u);

  // A refused send names its client_id and the field.
  ann_ws.ws.send_text(R"({"op":"send","room":")" + room + R"(","client_id":"k-2","body":""})");
  auto err = ann_ws.next("error");
  EXPECT_EQ(err.at("code").as_string(), "validation_failed");
  EXPECT_EQ(err.at("ref").as_string(), "k-2");
  EXPECT_TRUE(err.at("fields").as_object().contains("body"));
}

TEST(ChatGateway, ANonMemberCannotSubscribeSendTypeReadOrSeePresence) {
  ServerProcess server(fast_server());
  HttpClient c(server.port());
  auto ann = make_user(c, "ann");
  auto bob = make_user(c, "bob");
  auto eve = make_user(c, "eve");
  const auto room = str(open_direct(c, ann, bob), "id");
  send_text(c, ann, room, "s-1", "private");

  GatewayClient e(server.port(), eve);
  e.ws.send_text(R"({"op":"sub","rooms":[{"room":")" + room + R"(","since":0}]})");
  auto err = e.next("error");
  EXPECT_EQ(err.at("code").as_string(), "not_found");
  EXPECT_EQ(err.at("ref").as_string(), room);

  e.send_message(room, "e-1", "let me in");
  err = e.next("error");
  EXPECT_EQ(err.at("code").as_string(), "not_found");
  EXPECT_EQ(err.at("ref").as_string(), "e-1");

  e.ws.send_text(R"({"op":"typing","room":")" + room + R"("})");
  EXPECT_EQ(e.next("error").at("code").as_string(), "not_subscribed");
  e.ws.send_text(R"({"op":"read","room":")" + room + R"(","seq":1})");
  EXPECT_EQ(e.next("error").at("code").as_string(), "not_found");

  expect_problem(get(c, "/v1/rooms/" + room + "/presence", eve), 404, "not_found");
  // Nothing of the room reached eve, and nothing she did reached the room.
  e.ws.send_text(R"({"op":"ping","id":"end"})");
  EXPECT_EQ(e.next("pong").at("id").as_string(), "end");
  EXPECT_EQ(messages(c, ann, room).at("items").as_array().size(), 1u);
}

TEST(ChatGateway, TypingAndReadReceiptsReachTheOtherMembers) {
  ServerProcess server(fast_server());
  HttpClient c(server.port());
  auto ann = make_user(c, "ann");
  auto bob = make_user(c, "bob");
  const auto room = str(open_direct(c, ann, bob), "id");
  GatewayClient a(server.port(), ann);
  GatewayClient b(server.port(), bob);
  a.subscribe(room, 0);
  b.subscribe(room, 0);

  a.ws.send_text(R"({"op":"typing","room":")" + room + R"("})");
  auto typing = b.next("typing");
  EXPECT_EQ(typing.at("room").as_string(), room);
  EXPECT_EQ(typing.at("user_id").as_string(), ann.id);

  a.send_message(room, "m-1", "are you there?");
  EXPECT_EQ(a.next("ack").at("seq").as_int64(), 1);
  EXPECT_EQ(b.next("msg").at("seq").as_int64(), 1);
  b.ws.send_text(R"({"op":"read","room":")" + room + R"(","seq":1})");
  auto read = a.next("read");
  EXPECT_EQ(read.at("user_id").as_string(), bob.id);
  EXPECT_EQ(read.at("seq").as_int64(), 1);
  // ann's own typing signal never came back to her (she saw the ack, then the receipt).
  EXPECT_EQ(a.count("typing"), 0);
}

TEST(ChatGateway, PresenceFollowsConnectionsWithinThePrivacySetting) {
  ServerProcess server(fast_server());
  HttpClient c(server.port());
  auto ann = make_user(c, "ann");
  auto bob = make_user(c, "bob");
  const auto room = str(open_direct(c, ann, bob), "id");
  GatewayClient b(server.port(), bob);
  b.subscribe(room, 0);

  {
    GatewayClient a(server.port(), ann);
    auto on = b.next("presence");
    EXPECT_EQ(on.at("user_id").as_string(), ann.id);
    EXPECT_TRUE(on.at("online").as_bool());
    auto list = body_json(get(c, "/v1/rooms/" + room + "/presence", bob)).as_object().at("items").as_array();
    ASSERT_EQ(list.size(), 2u);
    for (const auto& p : list) EXPECT_TRUE(p.at("online").as_bool()) << json::serialize(p);
  }
  auto off = b.next("presence");
  EXPECT_FALSE(off.at("online").as_bool());
  EXPECT_FALSE(off.at("last_seen").as_string().empty());

  // "nobody": no presence frames, and the query shows neither online nor last seen.
  const int presence_before = b.count("presence");
  ASSERT_EQ(patch(c, "/v1/me", ann, json::object{{"last_seen_privacy", "nobody"}}).result_int(), 200);
  {
    GatewayClient a(server.port(), ann);
    a.ws.send_text(R"({"op":"ping","id":"x"})");
    a.next("pong");
    auto list = body_json(get(c, "/v1/rooms/" + room + "/presence", bob)).as_object().at("items").as_array();
    for (const auto& p : list) {
      if (p.at("user_id").as_string() != ann.id) continue;
      EXPECT_TRUE(p.at("online").is_null());
      EXPECT_TRUE(p.at("last_seen").is_null());
    }
  }
  b.ws.send_text(R"({"op":"ping","id":"end"})");
  b.next("pong");
  EXPECT_EQ(b.count("presence"), presence_before);
}

// Becoming a member of a room reaches the user's connections at once: a direct room opened with
// them, a group made with them, being added, joining by code on another device.
TEST(ChatGateway, ANewMembershipIsAnnouncedToTheUsersConnections) {
  ServerProcess server(fast_server());
  HttpClient c(server.port());
  auto ann = make_user(c, "ann");
  auto bob = make_user(c, "bob");
  auto cat = make_user(c, "cat");
  GatewayClient bob_ws(server.port(), bob);
  GatewayClient cat_ws(server.port(), cat);

  const auto direct = str(open_direct(c, ann, bob), "id");
  auto added = bob_ws.next("added");
  EXPECT_EQ(added.at("room").as_string(), direct);
  EXPECT_EQ(added.at("by").as_string(), ann.id);
  open_direct(c, bob, ann, 200);  // the same room again: nothing new to announce

  const auto group = create_group(c, ann, "plans", {&bob});
  const auto group_id = str(group, "id");
  EXPECT_EQ(bob_ws.next("added").at("room").as_string(), group_id);
  ASSERT_EQ(post(c, "/v1/rooms/" + group_id + "/members", ann, json::object{{"user_id", cat.id}}).result_int(), 204);
  added = cat_ws.next("added");
  EXPECT_EQ(added.at("room").as_string(), group_id);
  EXPECT_EQ(added.at("by").as_string(), ann.id);

  // Joining by code: the joiner's other connection hears of it.
  auto dan = make_user(c, "dan");
  GatewayClient dan_other_device(server.port(), dan);
  ASSERT_EQ(post(c, "/v1/rooms/join", dan, json::object{{"code", str(group, "code")}}).result_int(), 200);
  EXPECT_EQ(dan_other_device.next("added").at("room").as_string(), group_id);
  // Nothing else reached Bob: one "added" per new membership (a ping after it all is answered
  // behind anything the hub had for him).
  bob_ws.ws.send_text(R"({"op":"ping","id":"sync"})");
  bob_ws.next("pong");
  EXPECT_EQ(bob_ws.count("added"), 2);
}

// The frame limit leaves room for the largest valid send (a 65536-character ciphertext); a
// frame over the limit closes the connection with 1009.
TEST(ChatGateway, TheLargestValidSendFitsAndALargerFrameIsClosedWith1009) {
  ServerProcess server(fast_server());
  HttpClient c(server.port());
  auto ann = make_user(c, "ann");
  auto bob = make_user(c, "bob");
  const auto room = str(open_direct(c, ann, bob), "id");
  GatewayClient a(server.port(), ann);
  const std::string ciphertext(65536, 'Q');
  a.ws.send_text(R"({"op":"send","room":")" + room + R"(","client_id":"big-1","ciphertext":")" + ciphertext +
                 R"(","iv":"AAAAAAAAAAAAAAAA"})");
  auto ack = a.next("ack");
  EXPECT_EQ(ack.at("client_id").as_string(), "big-1");
  EXPECT_EQ(ack.at("seq").as_int64(), 1);
  EXPECT_EQ(messages(c, ann, room).at("items").as_array().at(0).at("ciphertext").as_string().size(), 65536u);

  a.ws.send_text(R"({"op":"ping","id":")" + std::string(140 * 1024, 'x') + R"("})");
  EXPECT_EQ(a.ws.wait_for_close_code(std::chrono::seconds(5)), 1009);
}

TEST(ChatGateway, AFloodOfFramesIsClosedWith4029) {
  ServerProcess server(fast_server());
  HttpClient c(server.port());
  auto ann = make_user(c, "ann");
  GatewayClient a(server.port(), ann);
  for (int i = 0; i < 400; ++i) a.ws.send_text(R"({"op":"ping","id":"f"})");
  EXPECT_EQ(a.ws.wait_for_close_code(std::chrono::seconds(5)), 4029);
}

// A subscriber that stops reading: what the server holds for it is bounded (1 MiB past what the
// socket took), and once that is exceeded the connection is closed with 4008; the sender and the
// store are unaffected.
TEST(ChatGateway, AClientThatStopsReadingIsClosedWith4008) {
  auto options = fast_server();
  options.args.insert(options.args.end(), {"--ws-frame-rate", "100000"});
  ServerProcess server(options);
  HttpClient c(server.port());
  auto ann = make_user(c, "ann");
  auto bob = make_user(c, "bob");
  const auto room = str(open_direct(c, ann, bob), "id");
  GatewayClient b(server.port(), bob);
  b.subscribe(room, 0);  // then reads nothing while the room fills
  GatewayClient a(server.port(), ann);
  const std::string body(16000, 'x');
  constexpr int kMessages = 1500;  // 24 MB for bob: more than both socket buffers and the 1 MiB bound
  for (int i = 0; i < kMessages; ++i) a.send_message(room, "big" + std::to_string(i), body);
  for (int acks = 0; acks < kMessages;) {
    auto f = a.next_frame(std::chrono::seconds(20));
    ASSERT_TRUE(f) << "after " << acks << " acks";
    if (f->at("t").as_string() == "ack") ++acks;
  }
  EXPECT_EQ(b.ws.wait_for_close_code(std::chrono::seconds(30)), 4008);
  EXPECT_EQ(num(chat::room(c, ann, room), "last_seq"), kMessages);
}

TEST(ChatGateway, RemovedMemberStopsReceivingTheRoom) {
  ServerProcess server(fast_server());
  HttpClient c(server.port());
  auto ann = make_user(c, "ann");
  auto bob = make_user(c, "bob");
  const auto room = str(create_group(c, ann, "club", {&bob}), "id");
  GatewayClient b(server.port(), bob);
  b.subscribe(room, 0);
  ASSERT_EQ(del(c, "/v1/rooms/" + room + "/members/" + bob.id, ann).result_int(), 204);
  auto gone = b.next("unsubscribed");
  EXPECT_EQ(gone.at("room").as_string(), room);
  send_text(c, ann, room, "after", "bob must not see this");
  b.ws.send_text(R"({"op":"ping","id":"end"})");
  b.next("pong");
  EXPECT_EQ(b.count("msg"), 0);
}

}  // namespace
}  // namespace parley::it
