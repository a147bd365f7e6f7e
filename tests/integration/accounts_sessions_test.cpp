// Sessions: refresh-token rotation and reuse detection, logout and revoking a session from
// another one take effect on the very next request, and the sessions list.
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

Response refresh(HttpClient& c, const std::string& token) {
  return c.post_json("/v1/auth/refresh", json::serialize(json::object{{"refresh_token", token}}));
}

TEST(AccountsSessions, RefreshRotatesAndReuseRevokesTheWholeSession) {
  ServerProcess server(fast_server());
  HttpClient c(server.port());
  auto s = signup(c, "dora@example.com", "dora");
  const auto first_refresh = str(s, "refresh_token");

  auto r1 = refresh(c, first_refresh);
  ASSERT_EQ(r1.result_int(), 200) << r1;
  const auto pair = body_json(r1).as_object();
  const auto second_access = str(pair, "access_token");
  const auto second_refresh = str(pair, "refresh_token");
  EXPECT_NE(second_refresh, first_refresh);
  EXPECT_EQ(c.get("/v1/me", bearer(second_access)).result_int(), 200);

  // The first refresh token again: someone holds a copy, so the whole session ends.
  expect_problem(refresh(c, first_refresh), 401, "refresh_reused");
  expect_problem(c.get("/v1/me", bearer(second_access)), 401, "session_revoked");
  expect_problem(refresh(c, second_refresh), 401, "session_revoked");
  expect_problem(refresh(c, "not-a-token"), 401, "invalid_refresh_token");
}

TEST(AccountsSessions, LogoutAndRevokeApplyAtOnceAndTheListShowsLiveSessions) {
  ServerProcess server(fast_server());
  HttpClient c(server.port());
  auto s = signup(c, "eve@example.com", "eve");
  const auto first = str(s, "access_token");
  auto l = login(c, "eve", "correct horse 1");
  ASSERT_EQ(l.result_int(), 200) << l;
  const auto second = str(body_json(l).as_object(), "access_token");
  auto l3 = login(c, "eve@example.com", "correct horse 1");
  ASSERT_EQ(l3.result_int(), 200) << l3;
  const auto third = str(body_json(l3).as_object(), "access_token");

  auto list = c.get("/v1/auth/sessions", bearer(first));
  ASSERT_EQ(list.result_int(), 200) << list;
  const auto items = body_json(list).as_object().at("items").as_array();
  ASSERT_EQ(items.size(), 3u) << list.body();
  int current = 0;
  std::string other_id;
  for (const auto& it : items) {
    const auto& o = it.as_object();
    if (o.at("current").as_bool()) ++current;
    EXPECT_TRUE(o.contains("last_used_at") && o.contains("user_agent") && o.contains("ip")) << list.body();
  }
  EXPECT_EQ(current, 1) << list.body();

  // Logout ends the caller's session only, on the very next request (the token is cached).
  EXPECT_EQ(c.get("/v1/me", bearer(second)).result_int(), 200);
  EXPECT_EQ(c.request(http::verb::post, "/v1/auth/logout", "", bearer(second)).result_int(), 204);
  expect_problem(c.get("/v1/me", bearer(second)), 401, "session_revoked");
  EXPECT_EQ(c.get("/v1/me", bearer(first)).result_int(), 200);

  // Revoking another session from the first one.
  auto now = body_json(c.get("/v1/auth/sessions", bearer(first))).as_object().at("items").as_array();
  ASSERT_EQ(now.size(), 2u);
  for (const auto& it : now)
    if (!it.as_object().at("current").as_bool()) other_id = str(it.as_object(), "id");
  ASSERT_FALSE(other_id.empty());
  EXPECT_EQ(c.get("/v1/me", bearer(third)).result_int(), 200);
  EXPECT_EQ(c.request(http::verb::delete_, "/v1/auth/sessions/" + other_id, "", bearer(first)).result_int(), 204);
  expect_problem(c.get("/v1/me", bearer(third)), 401, "session_revoked");
  expect_problem(c.request(http::verb::delete_, "/v1/auth/sessions/" + other_id, "", bearer(first)), 404, "not_found");
  EXPECT_EQ(c.get("/v1/me", bearer(first)).result_int(), 200);
}

}  // namespace
}  // namespace parley::it
