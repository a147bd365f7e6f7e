// Account export (GET /v1/me/export) and erasure (DELETE /v1/me): the export holds the profile
// and the sessions and never a password hash; erasure needs the password, ends every session and
// leaves no way to sign in.
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

Response delete_me(HttpClient& c, const std::string& token, const json::object& body) {
  Headers h = bearer(token);
  h.emplace_back("Content-Type", "application/json");
  return c.request(http::verb::delete_, "/v1/me", json::serialize(body), h);
}

TEST(AccountsPrivacy, ExportHoldsProfileAndSessionsButNoPasswordHash) {
  ServerProcess server(fast_server());
  HttpClient c(server.port());
  auto s = signup(c, "carol@example.com", "carol");
  ASSERT_TRUE(s.contains("access_token"));
  const auto token = str(s, "access_token");
  ASSERT_EQ(login(c, "carol", "correct horse 1").result_int(), 200);  // a second session

  EXPECT_EQ(c.get("/v1/me/export").result_int(), 401);
  auto res = c.get("/v1/me/export", bearer(token));
  ASSERT_EQ(res.result_int(), 200) << res;
  EXPECT_EQ(res.body().find("$argon2id"), std::string::npos) << res.body();
  EXPECT_EQ(res.body().find("$argon2"), std::string::npos) << res.body();
  EXPECT_EQ(res.body().find("password_hash"), std::string::npos) << res.body();
  EXPECT_NE(header(res, "Content-Disposition").find("attachment"), std::string::npos) << res.base();
  const auto doc = body_json(res).as_object();
  EXPECT_EQ(str(doc, "format"), "parley-export/1");
  EXPECT_TRUE(doc.contains("exported_at"));
  ASSERT_TRUE(doc.contains("account")) << res.body();
  EXPECT_NE(json::serialize(doc.at("account")).find("carol@example.com"), std::string::npos) << res.body();
  EXPECT_NE(json::serialize(doc.at("account")).find("\"carol\""), std::string::npos) << res.body();
  ASSERT_TRUE(doc.contains("sessions") && doc.at("sessions").is_array()) << res.body();
  EXPECT_GE(doc.at("sessions").as_array().size(), 2u) << res.body();
  // No token material either.
  EXPECT_EQ(res.body().find(token), std::string::npos);
  EXPECT_EQ(res.body().find(str(s, "refresh_token")), std::string::npos);
}

TEST(AccountsPrivacy, DeleteMeNeedsThePasswordAndEndsEverything) {
  ServerProcess server(fast_server());
  HttpClient c(server.port());
  auto s = signup(c, "dana@example.com", "dana");
  ASSERT_TRUE(s.contains("access_token"));
  const auto token = str(s, "access_token");
  auto res = login(c, "dana@example.com", "correct horse 1");
  ASSERT_EQ(res.result_int(), 200) << res;
  const auto other_token = str(body_json(res), "access_token");

  // Export before deletion has the profile, and no hash.
  res = c.get("/v1/me/export", bearer(token));
  ASSERT_EQ(res.result_int(), 200) << res;
  EXPECT_NE(res.body().find("dana@example.com"), std::string::npos) << res.body();
  EXPECT_EQ(res.body().find("$argon2id"), std::string::npos) << res.body();

  // A wrong password erases nothing.
  res = delete_me(c, token, json::object{{"password", "wrong password 1"}});
  expect_problem(res, 403, "invalid_credentials");
  EXPECT_EQ(c.get("/v1/me", bearer(token)).result_int(), 200);

  res = delete_me(c, token, json::object{{"password", "correct horse 1"}});
  ASSERT_EQ(res.result_int(), 204) << res;

  // Every session ends at once; the login is gone.
  for (const auto& t : {token, other_token}) EXPECT_EQ(c.get("/v1/me", bearer(t)).result_int(), 401);
  EXPECT_EQ(c.get("/v1/me/export", bearer(token)).result_int(), 401);
  expect_problem(login(c, "dana", "correct horse 1"), 401, "invalid_credentials");
  expect_problem(login(c, "dana@example.com", "correct horse 1"), 401, "invalid_credentials");
  // The username and address can be taken again.
  auto again = signup(c, "dana@example.com", "dana");
  EXPECT_TRUE(again.contains("access_token"));
}

}  // namespace
}  // namespace parley::it
