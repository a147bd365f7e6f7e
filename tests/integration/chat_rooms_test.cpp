// Rooms end to end: direct rooms unique per pair, groups with join codes, members and roles
// (403 for a member without the role, 404 for non-members), the caller's room list with
// cursors, and 422 with fields for bad input.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <set>

#include "chat_helpers.hpp"
#include "problem_assertions.hpp"

namespace parley::it {
namespace {

using namespace chat;

TEST(ChatRooms, DirectRoomIsUniquePerPair) {
  ServerProcess server(fast_server());
  HttpClient c(server.port());
  auto ann = make_user(c, "ann"), bob = make_user(c, "bob");
  auto first = open_direct(c, ann, bob, 201);
  EXPECT_EQ(str(first, "kind"), "direct");
  EXPECT_TRUE(first.at("name").is_null());
  EXPECT_FALSE(first.contains("code"));
  EXPECT_EQ(num(first, "last_seq"), 0);
  EXPECT_EQ(first.at("members").as_array().size(), 2u);
  EXPECT_TRUE(first.at("last_message").is_null());
  // Asked again, from either side: 200 and the same room.
  EXPECT_EQ(str(open_direct(c, ann, bob, 200), "id"), str(first, "id"));
  EXPECT_EQ(str(open_direct(c, bob, ann, 200), "id"), str(first, "id"));

  auto res = post(c, "/v1/rooms", ann, json::object{{"kind", "direct"}, {"member", ann.id}});
  EXPECT_TRUE(expect_problem(res, 422, "validation_failed").at("fields").as_object().contains("member"));
  res = post(c, "/v1/rooms", ann, json::object{{"kind", "direct"}, {"member", "123456789"}});
  EXPECT_TRUE(expect_problem(res, 422, "validation_failed").at("fields").as_object().contains("member"));
  res = post(c, "/v1/rooms", ann, json::object{{"kind", "direct"}});
  EXPECT_TRUE(expect_problem(res, 422, "validation_failed").at("fields").as_object().contains("member"));
  EXPECT_EQ(c.post_json("/v1/rooms", R"({"kind":"direct","member":"1"})").result_int(), 401);
}

TEST(ChatRooms, CreateGroupValidatesAndShowsRoles) {
  ServerProcess server(fast_server());
  HttpClient c(server.port());
  auto ann = make_user(c, "ann"), bob = make_user(c, "bob");
  auto g = create_group(c, ann, "Friends", {&bob, &ann});
  EXPECT_EQ(str(g, "kind"), "group");
  EXPECT_EQ(str(g, "name"), "Friends");
  EXPECT_FALSE(str(g, "code").empty());
  EXPECT_EQ(str(member_of(g, ann), "role"), "owner");
  EXPECT_EQ(str(member_of(g, bob), "role"), "member");
  EXPECT_EQ(g.at("members").as_array().size(), 2u);
  EXPECT_EQ(num(g, "unread"), 0);

  auto fields = [&](json::object body) {
    auto p = expect_problem(post(c, "/v1/rooms", ann, body), 422, "validation_failed");
    return p.contains("fields") ? p.at("fields").as_object() : json::object{};
  };
  EXPECT_TRUE(fields({{"kind", "group"}}).contains("name"));
  EXPECT_TRUE(fields({{"kind", "group"}, {"name", ""}}).contains("name"));
  EXPECT_TRUE(fields({{"kind", "group"}, {"name", std::string(101, 'x')}}).contains("name"));
  EXPECT_TRUE(fields({{"kind", "group"}, {"name", "ok"}, {"members", "x"}}).contains("members"));
  EXPECT_TRUE(fields({{"kind", "group"}, {"name", "ok"}, {"members", json::array{"999"}}}).contains("members"));
  EXPECT_TRUE(fields({{"kind", "channel"}}).contains("kind"));
  EXPECT_TRUE(fields({}).contains("kind"));
}

TEST(ChatRooms, NonMembersSeeNothing) {
  ServerProcess server(fast_server());
  HttpClient c(server.port());
  auto ann = make_user(c, "ann"), eve = make_user(c, "eve");
  auto g = create_group(c, ann, "Secret");
  const auto id = str(g, "id");
  expect_problem(get(c, "/v1/rooms/" + id, eve), 404, "not_found");
  expect_problem(get(c, "/v1/rooms/" + id + "/messages", eve), 404, "not_found");
  expect_problem(post(c, "/v1/rooms/" + id + "/messages", eve, json::object{{"client_id", "x"}, {"body", "hi"}}), 404,
                 "not_found");
  expect_problem(post(c, "/v1/rooms/" + id + "/read", eve, json::object{{"seq", 1}}), 404, "not_found");
  expect_problem(post(c, "/v1/rooms/" + id + "/delivered", eve, json::object{{"seq", 1}}), 404, "not_found");
  expect_problem(post(c, "/v1/rooms/" + id + "/members", eve, json::object{{"user_id", eve.id}}), 404, "not_found");
  expect_problem(post(c, "/v1/rooms/" + id + "/code", eve, json::object{}), 404, "not_found");
  expect_problem(get(c, "/v1/rooms/12345", ann), 404, "not_found");
  expect_problem(get(c, "/v1/rooms/not-an-id", ann), 404, "not_found");
  // Eve's list does not hold it.
  auto list = body_json(get(c, "/v1/rooms", eve)).as_object();
  EXPECT_TRUE(list.at("items").as_array().empty());
  EXPECT_TRUE(list.at("next").is_null());
}

TEST(ChatRooms, JoinByCodeAndRegenerate) {
  ServerProcess server(fast_server());
  HttpClient c(server.port());
  auto ann = make_user(c, "ann"), bob = make_user(c, "bob"), cat = make_user(c, "cat");
  auto g = create_group(c, ann, "Club");
  const auto id = str(g, "id"), code = str(g, "code");
  auto res = post(c, "/v1/rooms/join", bob, json::object{{"code", code}});
  ASSERT_EQ(res.result_int(), 200) << res;
  EXPECT_EQ(str(body_json(res), "id"), id);
  EXPECT_EQ(str(member_of(body_json(res).as_object(), bob), "role"), "member");
  // Joining twice changes nothing.
  EXPECT_EQ(post(c, "/v1/rooms/join", bob, json::object{{"code", code}}).result_int(), 200);
  expect_problem(post(c, "/v1/rooms/join", bob, json::object{{"code", "nope"}}), 404, "not_found");
  expect_problem(post(c, "/v1/rooms/join", bob, json::object{}), 422, "validation_failed");

  // A member may not regenerate; the owner may; the old code stops working.
  expect_problem(post(c, "/v1/rooms/" + id + "/code", bob, json::object{}), 403, "forbidden");
  res = post(c, "/v1/rooms/" + id + "/code", ann, json::object{});
  ASSERT_EQ(res.result_int(), 200) << res;
  const auto fresh = str(body_json(res), "code");
  EXPECT_NE(fresh, code);
  expect_problem(post(c, "/v1/rooms/join", cat, json::object{{"code", code}}), 404, "not_found");
  EXPECT_EQ(post(c, "/v1/rooms/join", cat, json::object{{"code", fresh}}).result_int(), 200);

  // Direct rooms have no code.
  auto d = open_direct(c, ann, bob);
  expect_problem(post(c, "/v1/rooms/" + str(d, "id") + "/code", ann, json::object{}), 403, "forbidden");
}

TEST(ChatRooms, MembersAndRoles) {
  ServerProcess server(fast_server());
  HttpClient c(server.port());
  auto own = make_user(c, "owner1"), adm = make_user(c, "admin1"), mem = make_user(c, "member1"),
       out = make_user(c, "outsider");
  auto g = create_group(c, own, "Team", {&adm, &mem});
  const auto id = str(g, "id");
  const auto members = "/v1/rooms/" + id + "/members";

  // Only the owner changes roles.
  expect_problem(patch(c, members + "/" + mem.id, adm, json::object{{"role", "admin"}}), 403, "forbidden");
  EXPECT_EQ(patch(c, members + "/" + adm.id, own, json::object{{"role", "admin"}}).result_int(), 204);
  EXPECT_TRUE(expect_problem(patch(c, members + "/" + adm.id, own, json::object{{"role", "owner"}}), 422,
                             "validation_failed")
                  .at("fields")
                  .as_object()
                  .contains("role"));
  expect_problem(patch(c, members + "/" + own.id, own, json::object{{"role", "member"}}), 422, "validation_failed");
  expect_problem(patch(c, members + "/" + out.id, own, json::object{{"role", "admin"}}), 404, "not_found");
  EXPECT_EQ(str(member_of(room(c, own, id), adm), "role"), "admin");

  // A member cannot add; an admin can; an unknown user is a 422.
  expect_problem(post(c, members, mem, json::object{{"user_id", out.id}}), 403, "forbidden");
  EXPECT_TRUE(expect_problem(post(c, members, adm, json::object{{"user_id", "424242"}}), 422, "validation_failed")
                  .at("fields")
                  .as_object()
                  .contains("user_id"));
  expect_problem(post(c, members, adm, json::object{}), 422, "validation_failed");
  EXPECT_EQ(post(c, members, adm, json::object{{"user_id", out.id}}).result_int(), 204);
  EXPECT_EQ(post(c, members, adm, json::object{{"user_id", out.id}}).result_int(), 204);  // already in: fine
  EXPECT_EQ(room(c, out, id).at("members").as_array().size(), 4u);

  // Removal: a member removes nobody else; an admin removes members but not the owner.
  expect_problem(del(c, members + "/" + out.id, mem), 403, "forbidden");
  expect_problem(del(c, members + "/" + own.id, adm), 403, "forbidden");
  EXPECT_EQ(del(c, members + "/" + out.id, adm).result_int(), 204);
  expect_problem(get(c, "/v1/rooms/" + id, out), 404, "not_found");
  expect_problem(del(c, members + "/" + out.id, adm), 404, "not_found");
  // Anyone may leave.
  EXPECT_EQ(del(c, members + "/" + mem.id, mem).result_int(), 204);
  // When the owner leaves, the longest-standing admin takes over.
  EXPECT_EQ(del(c, members + "/" + own.id, own).result_int(), 204);
  auto after = room(c, adm, id);
  EXPECT_EQ(after.at("members").as_array().size(), 1u);
  EXPECT_EQ(str(member_of(after, adm), "role"), "owner");

  // Direct rooms keep their two members.
  auto d = open_direct(c, own, mem);
  expect_problem(post(c, "/v1/rooms/" + str(d, "id") + "/members", own, json::object{{"user_id", out.id}}), 403,
                 "forbidden");
  expect_problem(del(c, "/v1/rooms/" + str(d, "id") + "/members/" + mem.id, own), 403, "forbidden");
}

TEST(ChatRooms, ListIsMostRecentActivityFirstWithCursors) {
  ServerProcess server(fast_server());
  HttpClient c(server.port());
  auto ann = make_user(c, "ann"), bob = make_user(c, "bob");
  std::vector<std::string> ids;
  for (int i = 0; i < 5; ++i) ids.push_back(str(create_group(c, ann, "room " + std::to_string(i), {&bob}), "id"));
  // Activity in room 1 puts it first.
  send_text(c, bob, ids[1], "c1", "hello");
  auto page = body_json(get(c, "/v1/rooms?limit=2", ann)).as_object();
  ASSERT_EQ(page.at("items").as_array().size(), 2u);
  const auto& first = page.at("items").as_array()[0].as_object();
  EXPECT_EQ(str(first, "id"), ids[1]);
  EXPECT_EQ(num(first, "unread"), 1);
  EXPECT_EQ(str(first.at("last_message"), "body"), "hello");
  EXPECT_EQ(str(page.at("items").as_array()[1], "id"), ids[4]);

  std::vector<std::string> seen;
  std::string next;
  std::string target = "/v1/rooms?limit=2";
  for (int pages = 0; pages < 10; ++pages) {
    auto res = get(c, target, ann);
    ASSERT_EQ(res.result_int(), 200) << res;
    auto p = body_json(res).as_object();
    for (const auto& r : p.at("items").as_array()) seen.push_back(str(r, "id"));
    if (p.at("next").is_null()) break;
    target = "/v1/rooms?limit=2&cursor=" + str(p, "next");
  }
  EXPECT_EQ(seen, (std::vector<std::string>{ids[1], ids[4], ids[3], ids[2], ids[0]}));
  EXPECT_EQ(std::set<std::string>(seen.begin(), seen.end()).size(), 5u);

  expect_problem(get(c, "/v1/rooms?limit=0", ann), 422, "validation_failed");
  expect_problem(get(c, "/v1/rooms?limit=101", ann), 422, "validation_failed");
  expect_problem(get(c, "/v1/rooms?cursor=bogus", ann), 422, "validation_failed");
}

}  // namespace
}  // namespace parley::it
