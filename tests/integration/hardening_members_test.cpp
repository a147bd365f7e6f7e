// Issue 11 item 13d: a big group's room object carries member_count and only the first few
// members; GET /v1/rooms/{id}/members pages through all of them (members only).
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <set>

#include "chat_helpers.hpp"
#include "problem_assertions.hpp"

namespace parley::it {
namespace {

using namespace chat;

TEST(HardeningMembers, ABigGroupPagesItsMembers) {
  auto options = fast_server();
  options.args.insert(options.args.end(), {"--signup-limit-ip", "off"});
  ServerProcess server(options);
  HttpClient c(server.port());
  auto owner = make_user(c, "owner");
  std::vector<User> users;
  for (int i = 0; i < 119; ++i) users.push_back(make_user(c, "user" + std::to_string(i)));
  std::vector<const User*> first;
  for (int i = 0; i < 100; ++i) first.push_back(&users[static_cast<std::size_t>(i)]);
  const auto id = str(create_group(c, owner, "Crowd", first), "id");
  for (std::size_t i = 100; i < users.size(); ++i)
    ASSERT_EQ(post(c, "/v1/rooms/" + id + "/members", owner, json::object{{"user_id", users[i].id}}).result_int(), 204);
  // An admin, to see the order: owner, admins, then members.
  ASSERT_EQ(patch(c, "/v1/rooms/" + id + "/members/" + users[118].id, owner, json::object{{"role", "admin"}}).result_int(),
            204);

  auto r = room(c, owner, id);
  EXPECT_EQ(num(r, "member_count"), 120);
  const auto& shown = r.at("members").as_array();
  ASSERT_LE(shown.size(), 10u);
  ASSERT_GE(shown.size(), 2u);
  EXPECT_EQ(str(shown[0], "user_id"), owner.id);
  EXPECT_EQ(str(shown[1], "user_id"), users[118].id);
  EXPECT_EQ(str(shown[1], "role"), "admin");
  // A plain member sees themself among the few.
  auto theirs = room(c, users[50], id);
  EXPECT_EQ(num(theirs, "member_count"), 120);
  EXPECT_LE(theirs.at("members").as_array().size(), 10u);
  EXPECT_FALSE(member_of(theirs, users[50]).empty());
  // And in the room list.
  auto list = body_json(get(c, "/v1/rooms", users[50]));
  ASSERT_EQ(list.at("items").as_array().size(), 1u);
  const auto& listed = list.at("items").as_array()[0];
  EXPECT_EQ(num(listed, "member_count"), 120);
  EXPECT_LE(listed.at("members").as_array().size(), 10u);

  // Paging the endpoint returns everyone exactly once.
  std::multiset<std::string> seen;
  std::string next;
  int pages = 0;
  do {
    auto res = get(c, "/v1/rooms/" + id + "/members?limit=50" + (next.empty() ? "" : "&cursor=" + next), users[3]);
    ASSERT_EQ(res.result_int(), 200) << res;
    auto page = body_json(res).as_object();
    ASSERT_LE(page.at("items").as_array().size(), 50u);
    for (const auto& m : page.at("items").as_array()) {
      seen.insert(str(m, "user_id"));
      EXPECT_FALSE(str(m, "role").empty());
      EXPECT_FALSE(str(m, "joined_at").empty());
    }
    next = page.at("next").is_null() ? "" : std::string(page.at("next").as_string());
    ++pages;
  } while (!next.empty() && pages < 10);
  EXPECT_EQ(pages, 3);
  EXPECT_EQ(seen.size(), 120u);
  EXPECT_EQ(std::set<std::string>(seen.begin(), seen.end()).size(), 120u);
  EXPECT_EQ(seen.count(owner.id), 1u);
  for (const auto& u : users) EXPECT_EQ(seen.count(u.id), 1u);
  // Default limit 50, bounds 1..100, and a cursor must be one this server gave.
  auto all = body_json(get(c, "/v1/rooms/" + id + "/members", owner));
  EXPECT_EQ(all.at("items").as_array().size(), 50u);
  expect_problem(get(c, "/v1/rooms/" + id + "/members?limit=0", owner), 422, "validation_failed");
  expect_problem(get(c, "/v1/rooms/" + id + "/members?limit=101", owner), 422, "validation_failed");
  expect_problem(get(c, "/v1/rooms/" + id + "/members?cursor=nope", owner), 422, "validation_failed");

  // A non-member: 404, as for the room.
  auto stranger = make_user(c, "stranger");
  expect_problem(get(c, "/v1/rooms/" + id + "/members", stranger), 404, "not_found");
  expect_problem(get(c, "/v1/rooms/" + id, stranger), 404, "not_found");
  expect_problem(get(c, "/v1/rooms/4242424242/members", stranger), 404, "not_found");
}

TEST(HardeningMembers, DirectRoomsShowBothMembers) {
  ServerProcess server(fast_server());
  HttpClient c(server.port());
  auto ann = make_user(c, "ann"), bob = make_user(c, "bob");
  auto d = open_direct(c, ann, bob);
  EXPECT_EQ(num(d, "member_count"), 2);
  EXPECT_EQ(d.at("members").as_array().size(), 2u);
  auto page = body_json(get(c, "/v1/rooms/" + str(d, "id") + "/members", bob));
  EXPECT_EQ(page.at("items").as_array().size(), 2u);
  EXPECT_TRUE(page.at("next").is_null());
}

}  // namespace
}  // namespace parley::it
