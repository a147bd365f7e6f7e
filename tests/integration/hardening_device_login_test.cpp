// Issue 11, item 1 (the device cookie part): failed logins from one address cannot lock a user
// out of the devices she signed in from before. A successful login hands out a device token
// (JSON `device_token`, and an HttpOnly SameSite=Strict cookie `parley_device`); a later login
// presenting it for that same account is not subject to the per-IP or per-account limits, only to
// its own per-device limit, so a stolen token cannot brute-force either (nor can refreshing the
// session it came from renew that allowance).
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
namespace json = boost::json;

Response login_with(HttpClient& c, const std::string& name, const std::string& password, const std::string& device,
                    const Headers& headers = {}) {
  json::object body{{"login", name}, {"password", password}};
  if (!device.empty()) body["device_token"] = device;
  return c.post_json("/v1/auth/login", json::serialize(body), headers);
}

std::string device_of(const Response& res) {
  const auto body = body_json(res).as_object();
  EXPECT_TRUE(body.contains("device_token")) << res.body();
  return body.contains("device_token") ? std::string(body.at("device_token").as_string()) : std::string();
}

// The 50 failed logins an attacker makes from the victim's address (the default per-IP limit):
// five on the victim's account (which locks it for unknown devices), the rest on made-up names.
void attack(HttpClient& c, const std::string& victim) {
  for (int i = 0; i < 50; ++i) {
    SCOPED_TRACE("failure " + std::to_string(i + 1));
    const std::string name = i < 5 ? victim : "nobody" + std::to_string(i);
    expect_problem(login(c, name, "wrong password 1"), 401, "invalid_credentials");
  }
  expect_problem(login(c, "somebody-else", "wrong password 1"), 429, "rate_limited");
}

TEST(HardeningDeviceLogin, AKnownDeviceSignsInPastTheIpAndAccountLimits) {
  ServerProcess server(fast_server());
  HttpClient c(server.port());
  signup(c, "vera@example.com", "vera");
  const auto carol = signup(c, "carol@example.com", "carol");
  auto first = login(c, "vera", "correct horse 1");
  ASSERT_EQ(first.result_int(), 200) << first;
  const auto vera_device = device_of(first);
  ASSERT_FALSE(vera_device.empty());
  const auto set_cookie = header(first, "Set-Cookie");
  EXPECT_TRUE(set_cookie.starts_with("parley_device=" + vera_device + ";")) << set_cookie;
  EXPECT_NE(set_cookie.find("HttpOnly"), std::string::npos) << set_cookie;
  EXPECT_NE(set_cookie.find("SameSite=Strict"), std::string::npos) << set_cookie;
  EXPECT_EQ(set_cookie.find("Secure"), std::string::npos) << "public-url is http: " << set_cookie;
  const auto carol_device = str(carol, "device_token");

  attack(c, "vera");

  // Without a device token, or with another account's: refused like everyone behind this address.
  expect_problem(login(c, "vera", "correct horse 1"), 429, "rate_limited");
  expect_problem(login_with(c, "vera", "correct horse 1", carol_device), 429, "rate_limited");
  expect_problem(login_with(c, "vera", "correct horse 1", "forged.token"), 429, "rate_limited");
  // With Vera's own device token, in the body or as the cookie: in.
  auto ok = login_with(c, "vera", "correct horse 1", vera_device);
  ASSERT_EQ(ok.result_int(), 200) << ok;
  const auto next_device = device_of(ok);
  EXPECT_NE(next_device, vera_device) << "each login is a new device token";
  auto by_cookie = login_with(c, "vera", "correct horse 1", "", {{"Cookie", "theme=dark; parley_device=" + next_device}});
  ASSERT_EQ(by_cookie.result_int(), 200) << by_cookie;
  // Carol's device works for Carol.
  EXPECT_EQ(login_with(c, "carol", "correct horse 1", carol_device).result_int(), 200);
  // A refresh hands out a device token too.
  auto refreshed = c.post_json("/v1/auth/refresh",
                               json::serialize(json::object{{"refresh_token", str(body_json(ok), "refresh_token")}}));
  ASSERT_EQ(refreshed.result_int(), 200) << refreshed;
  EXPECT_FALSE(device_of(refreshed).empty());
}

TEST(HardeningDeviceLogin, AStolenDeviceTokenCannotBruteForce) {
  ServerProcess server(fast_server());  // login-limit-device: 5 per 15 minutes
  HttpClient c(server.port());
  signup(c, "wes@example.com", "wes");
  auto first = login(c, "wes", "correct horse 1");
  ASSERT_EQ(first.result_int(), 200) << first;
  const auto stolen = device_of(first);
  auto second = login(c, "wes", "correct horse 1");
  ASSERT_EQ(second.result_int(), 200) << second;
  const auto other_device = device_of(second);

  for (int i = 0; i < 5; ++i)
    expect_problem(login_with(c, "wes", "guess " + std::to_string(i), stolen), 401, "invalid_credentials");
  // That device token is locked, even with the right password...
  expect_problem(login_with(c, "wes", "correct horse 1", stolen), 429, "rate_limited");
  // ...and a thief who also holds the session cannot refresh his way to a fresh allowance: the
  // refresh's device token names the same device.
  auto refreshed = c.post_json("/v1/auth/refresh",
                               json::serialize(json::object{{"refresh_token", str(body_json(first), "refresh_token")}}));
  ASSERT_EQ(refreshed.result_int(), 200) << refreshed;
  const auto renewed = device_of(refreshed);
  expect_problem(login_with(c, "wes", "guess 6", renewed), 429, "rate_limited");
  // ...but its failures counted against it alone: neither the account nor the address is locked.
  EXPECT_EQ(login_with(c, "wes", "correct horse 1", other_device).result_int(), 200);
  EXPECT_EQ(login(c, "wes", "correct horse 1").result_int(), 200);
}

TEST(HardeningDeviceLogin, TheCookieIsSecureBehindHttps) {
  ServerProcess server({.args = {"--argon2-memory-kib", "1024", "--argon2-passes", "1", "--public-url",
                                 "https://chat.example.test"}});
  HttpClient c(server.port());
  auto res = c.post_json("/v1/auth/signup", R"({"email":"xia@example.com","username":"xia","password":"correct horse 1"})");
  ASSERT_EQ(res.result_int(), 201) << res;
  EXPECT_NE(header(res, "Set-Cookie").find("; Secure"), std::string::npos) << res.base();
}

}  // namespace
}  // namespace parley::it
