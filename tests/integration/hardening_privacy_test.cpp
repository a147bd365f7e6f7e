// Issue 11 item 9, privacy by a side door: opening a direct room with someone does not make them
// a contact (last_seen_privacy: contacts needs both to have written there), and group_add_privacy
// decides who may add a user to groups; a refusal answers exactly like an unknown user.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "chat_helpers.hpp"
#include "gateway_helpers.hpp"
#include "problem_assertions.hpp"

namespace parley::it {
namespace {

using namespace chat;

// Alice's entry of GET /v1/rooms/{id}/presence as `viewer` sees it.
json::object presence_of(HttpClient& c, const std::string& room, const User& viewer, const User& who) {
  auto res = get(c, "/v1/rooms/" + room + "/presence", viewer);
  EXPECT_EQ(res.result_int(), 200) << res;
  const auto body = body_json(res);  // a named local: a range-for would not keep the temporary alive
  for (const auto& p : body.at("items").as_array())
    if (p.at("user_id").as_string() == who.id) return p.as_object();
  ADD_FAILURE() << "no presence of " << who.id;
  return {};
}

TEST(HardeningPrivacy, OpeningADirectRoomDoesNotMakeAContact) {
  ServerProcess server(fast_server());
  HttpClient c(server.port());
  auto alice = make_user(c, "alice"), bob = make_user(c, "bob"), mallory = make_user(c, "mallory");
  ASSERT_EQ(patch(c, "/v1/me", alice, json::object{{"last_seen_privacy", "contacts"}}).result_int(), 200);
  // Bob is a contact: both wrote in their direct room. Mallory opened one and wrote; Alice did not.
  const auto with_bob = str(open_direct(c, bob, alice), "id");
  send_text(c, bob, with_bob, "b1", "hi Alice");
  send_text(c, alice, with_bob, "a1", "hi Bob");
  const auto with_mallory = str(open_direct(c, mallory, alice), "id");
  send_text(c, mallory, with_mallory, "m1", "hello?");
  GatewayClient b(server.port(), bob);
  b.subscribe(with_bob, 0);
  GatewayClient m(server.port(), mallory);
  m.subscribe(with_mallory, 0);

  {
    GatewayClient a(server.port(), alice);
    EXPECT_TRUE(b.next("presence").at("online").as_bool());
    EXPECT_TRUE(presence_of(c, with_bob, bob, alice).at("online").as_bool());
    auto p = presence_of(c, with_mallory, mallory, alice);
    EXPECT_TRUE(p.at("online").is_null()) << json::serialize(p);
  }
  EXPECT_FALSE(b.next("presence").at("online").as_bool());  // her last_seen is stored
  EXPECT_FALSE(presence_of(c, with_bob, bob, alice).at("last_seen").as_string().empty());
  auto p = presence_of(c, with_mallory, mallory, alice);
  EXPECT_TRUE(p.at("online").is_null()) << json::serialize(p);
  EXPECT_TRUE(p.at("last_seen").is_null()) << json::serialize(p);
  m.ws.send_text(R"({"op":"ping","id":"end"})");
  m.next("pong");
  EXPECT_EQ(m.count("presence"), 0);

  // Once Alice has written to Mallory too, they are contacts.
  send_text(c, alice, with_mallory, "a2", "hi");
  p = presence_of(c, with_mallory, mallory, alice);
  EXPECT_FALSE(p.at("online").as_bool());
  EXPECT_FALSE(p.at("last_seen").as_string().empty());
  GatewayClient a(server.port(), alice);
  auto on = m.next("presence");
  EXPECT_EQ(on.at("user_id").as_string(), alice.id);
  EXPECT_TRUE(on.at("online").as_bool());
}

TEST(HardeningPrivacy, GroupAddPrivacyIsAProfileSetting) {
  ServerProcess server(fast_server());
  HttpClient c(server.port());
  auto alice = make_user(c, "alice");
  auto me = body_json(get(c, "/v1/me", alice));
  EXPECT_EQ(str(me, "group_add_privacy"), "everyone");
  auto res = patch(c, "/v1/me", alice, json::object{{"group_add_privacy", "nobody"}});
  ASSERT_EQ(res.result_int(), 200) << res;
  EXPECT_EQ(str(body_json(res), "group_add_privacy"), "nobody");
  auto bad = expect_problem(patch(c, "/v1/me", alice, json::object{{"group_add_privacy", "friends"}}), 422,
                            "validation_failed");
  EXPECT_TRUE(bad.at("fields").as_object().contains("group_add_privacy"));
  // Others do not see it; the owner's export has it.
  auto bob = make_user(c, "bob");
  EXPECT_FALSE(body_json(get(c, "/v1/users/" + alice.id, bob)).as_object().contains("group_add_privacy"));
  auto exported = body_json(get(c, "/v1/me/export", alice));
  EXPECT_EQ(str(exported.at("account"), "group_add_privacy"), "nobody");
}

TEST(HardeningPrivacy, NobodyCanAddWhoSaysNobody) {
  ServerProcess server(fast_server());
  HttpClient c(server.port());
  auto alice = make_user(c, "alice"), bob = make_user(c, "bob");
  ASSERT_EQ(patch(c, "/v1/me", alice, json::object{{"group_add_privacy", "nobody"}}).result_int(), 200);
  // Even a contact (both wrote in their direct room).
  const auto direct = str(open_direct(c, bob, alice), "id");
  send_text(c, bob, direct, "b1", "hi");
  send_text(c, alice, direct, "a1", "hi");

  // Refused exactly as a user who does not exist is.
  const std::string ghost = "4242424242";
  auto create = [&](const std::string& id) {
    return post(c, "/v1/rooms", bob, json::object{{"kind", "group"}, {"name", "Team"}, {"members", json::array{id}}});
  };
  auto refused = expect_problem(create(alice.id), 422, "validation_failed");
  auto unknown = expect_problem(create(ghost), 422, "validation_failed");
  EXPECT_EQ(str(refused.at("fields"), "members"), "no such user: " + alice.id);
  EXPECT_EQ(str(unknown.at("fields"), "members"), "no such user: " + ghost);
  refused.erase("fields");
  unknown.erase("fields");
  refused.erase("instance");
  unknown.erase("instance");
  EXPECT_EQ(refused, unknown);

  const auto group = str(create_group(c, bob, "Team"), "id");
  auto add = [&](const std::string& id) {
    return post(c, "/v1/rooms/" + group + "/members", bob, json::object{{"user_id", id}});
  };
  auto r1 = add(alice.id), r2 = add(ghost);
  EXPECT_EQ(r1.result_int(), 422);
  auto p1 = expect_problem(r1, 422, "validation_failed"), p2 = expect_problem(r2, 422, "validation_failed");
  p1.erase("instance");
  p2.erase("instance");
  EXPECT_EQ(p1, p2);
  EXPECT_EQ(num(room(c, bob, group), "member_count"), 1);
  // Alice can still join by herself with the code.
  const auto code = str(room(c, bob, group), "code");
  EXPECT_EQ(post(c, "/v1/rooms/join", alice, json::object{{"code", code}}).result_int(), 200);
}

TEST(HardeningPrivacy, EveryoneAndContactsCanBeAdded) {
  ServerProcess server(fast_server());
  HttpClient c(server.port());
  auto alice = make_user(c, "alice"), bob = make_user(c, "bob"), carol = make_user(c, "carol");
  // everyone (the default): anyone adds her.
  auto g = create_group(c, bob, "One", {&alice});
  EXPECT_EQ(num(g, "member_count"), 2);
  const auto g2 = str(create_group(c, carol, "Two"), "id");
  EXPECT_EQ(post(c, "/v1/rooms/" + g2 + "/members", carol, json::object{{"user_id", alice.id}}).result_int(), 204);

  // contacts: only people who both wrote in a direct room with her.
  ASSERT_EQ(patch(c, "/v1/me", alice, json::object{{"group_add_privacy", "contacts"}}).result_int(), 200);
  const auto direct = str(open_direct(c, bob, alice), "id");
  send_text(c, bob, direct, "b1", "add you?");
  const auto g3 = str(create_group(c, bob, "Three"), "id");
  auto add = [&](const User& who, const std::string& room) {
    return post(c, "/v1/rooms/" + room + "/members", who, json::object{{"user_id", alice.id}});
  };
  expect_problem(add(bob, g3), 422, "validation_failed");  // only Bob wrote
  send_text(c, alice, direct, "a1", "sure");
  EXPECT_EQ(add(bob, g3).result_int(), 204);
  const auto g4 = str(create_group(c, carol, "Four"), "id");
  expect_problem(add(carol, g4), 422, "validation_failed");  // Carol is not a contact
}

}  // namespace
}  // namespace parley::it
