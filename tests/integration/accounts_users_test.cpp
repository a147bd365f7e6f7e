// Other people's public profiles: GET /v1/users/{id} and GET /v1/users?username=|ids=. Signed-in
// callers only; never an email or a setting; an erased account shows as deleted.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <string>

#include "accounts_helpers.hpp"
#include "http_client.hpp"
#include "problem_assertions.hpp"
#include "server_process.hpp"

namespace parley::it {
namespace {

using namespace accounts;
namespace http = boost::beast::http;
namespace json = boost::json;

void expect_public(const json::object& u) {
  for (const char* hidden : {"email", "email_verified", "mfa_enabled", "last_seen_privacy", "password_hash"})
    EXPECT_FALSE(u.contains(hidden)) << hidden << " in " << json::serialize(u);
}

TEST(AccountsUsers, ProfilesByIdByUsernameAndByIds) {
  ServerProcess server(fast_server());
  HttpClient c(server.port());
  const auto ann = signup(c, "ann@example.com", "Ann.Lee");
  const auto bob = signup(c, "bob@example.com", "bob");
  const auto ann_id = str(ann.at("user"), "id"), bob_id = str(bob.at("user"), "id");
  const auto token = str(bob, "access_token");
  ASSERT_EQ(c.request(http::verb::patch, "/v1/me", R"({"display_name":"Ann Lee","bio":"hi"})",
                      {{"Authorization", "Bearer " + str(ann, "access_token")}, {"Content-Type", "application/json"}})
                .result_int(),
            200);

  // Signed-in callers only.
  expect_problem(c.get("/v1/users/" + ann_id), 401, "unauthenticated");
  expect_problem(c.get("/v1/users?username=bob"), 401, "unauthenticated");

  auto res = c.get("/v1/users/" + ann_id, bearer(token));
  ASSERT_EQ(res.result_int(), 200) << res;
  auto u = body_json(res).as_object();
  EXPECT_EQ(str(u, "id"), ann_id);
  EXPECT_EQ(str(u, "username"), "Ann.Lee");
  EXPECT_EQ(str(u, "display_name"), "Ann Lee");
  EXPECT_EQ(str(u, "bio"), "hi");
  expect_public(u);
  expect_problem(c.get("/v1/users/123", bearer(token)), 404, "not_found");
  expect_problem(c.get("/v1/users/abc", bearer(token)), 404, "not_found");

  // By username: case-insensitive, exact.
  res = c.get("/v1/users?username=ann.lee", bearer(token));
  ASSERT_EQ(res.result_int(), 200) << res;
  auto items = body_json(res).at("items").as_array();
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(str(items[0], "id"), ann_id);
  expect_public(items[0].as_object());
  EXPECT_TRUE(body_json(c.get("/v1/users?username=ann", bearer(token))).at("items").as_array().empty());

  // By ids: those that exist, in id order.
  res = c.get("/v1/users?ids=" + bob_id + "," + ann_id + ",42", bearer(token));
  ASSERT_EQ(res.result_int(), 200) << res;
  items = body_json(res).at("items").as_array();
  ASSERT_EQ(items.size(), 2u);
  EXPECT_EQ(str(items[0], "id"), std::min(ann_id, bob_id, [](auto& a, auto& b) { return std::stoll(a) < std::stoll(b); }));

  // Bad queries say what is wrong.
  EXPECT_TRUE(expect_problem(c.get("/v1/users", bearer(token)), 422, "validation_failed").contains("fields"));
  expect_problem(c.get("/v1/users?ids=1,x", bearer(token)), 422, "validation_failed");
  expect_problem(c.get("/v1/users?username=a%20b", bearer(token)), 422, "validation_failed");
  std::string many = "1";
  for (int i = 2; i <= 101; ++i) many += "," + std::to_string(i);
  expect_problem(c.get("/v1/users?ids=" + many, bearer(token)), 422, "validation_failed");

  // An erased account: still answers by id (messages keep its id) as deleted, with no personal
  // data; its username is free and no longer found.
  ASSERT_EQ(c.request(http::verb::delete_, "/v1/me", R"({"password":"correct horse 1"})",
                      {{"Authorization", "Bearer " + str(ann, "access_token")}, {"Content-Type", "application/json"}})
                .result_int(),
            204);
  u = body_json(c.get("/v1/users/" + ann_id, bearer(token))).as_object();
  EXPECT_TRUE(u.contains("deleted") && u.at("deleted").as_bool()) << json::serialize(u);
  EXPECT_NE(str(u, "display_name"), "Ann Lee");
  EXPECT_TRUE(body_json(c.get("/v1/users?username=ann.lee", bearer(token))).at("items").as_array().empty());
}

}  // namespace
}  // namespace parley::it
