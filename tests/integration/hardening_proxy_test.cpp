// Issue 11, item 1a: behind a trusted reverse proxy (--trusted-proxies) the client address comes
// from X-Forwarded-For / Forwarded, so per-IP throttles and the sessions' ip are the client's;
// from any other peer those headers are ignored.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <string>

#include "accounts_helpers.hpp"
#include "http_client.hpp"
#include "problem_assertions.hpp"
#include "server_process.hpp"

namespace parley::it {
namespace {

namespace json = boost::json;
using namespace accounts;

ServerOptions with(std::vector<std::string> extra) {
  ServerOptions o = fast_server();
  o.args.insert(o.args.end(), extra.begin(), extra.end());
  return o;
}

Headers from(const std::string& ip) { return {{"X-Forwarded-For", ip}}; }

Response signup_from(HttpClient& c, const std::string& name, const Headers& h) {
  return c.post_json("/v1/auth/signup",
                     json::serialize(json::object{{"email", name + "@example.com"}, {"username", "user" + name}, {"password", "correct horse 1"}}),
                     h);
}

Response login_from(HttpClient& c, const std::string& login, const std::string& password, const Headers& h) {
  return c.post_json("/v1/auth/login", json::serialize(json::object{{"login", login}, {"password", password}}), h);
}

// The ip of the caller's current session.
std::string current_session_ip(HttpClient& c, const std::string& token) {
  auto res = c.get("/v1/auth/sessions", bearer(token));
  EXPECT_EQ(res.result_int(), 200) << res;
  const auto body = body_json(res);  // kept alive while its items are walked
  for (const auto& s : body.at("items").as_array())
    if (s.at("current").as_bool()) return std::string(s.at("ip").as_string());
  return "(no current session)";
}

TEST(HardeningProxy, ForwardedClientsHaveTheirOwnSignUpThrottle) {
  ServerProcess server(with({"--trusted-proxies", "127.0.0.1", "--signup-limit-ip", "2/1h"}));
  HttpClient c(server.port());
  EXPECT_EQ(signup_from(c, "a1", from("203.0.113.1")).result_int(), 201);
  EXPECT_EQ(signup_from(c, "a2", from("203.0.113.1")).result_int(), 201);
  expect_problem(signup_from(c, "a3", from("203.0.113.1")), 429, "rate_limited");
  // Another client behind the same proxy is not affected...
  EXPECT_EQ(signup_from(c, "b1", from("198.51.100.2")).result_int(), 201);
  // ...also when it came through a chain of proxies and named itself in RFC 7239 form.
  EXPECT_EQ(signup_from(c, "c1", {{"Forwarded", "for=\"[2001:db8::5]:4711\""}}).result_int(), 201);
  // A forged left part does not escape the limit: the address the proxy saw is what counts.
  expect_problem(signup_from(c, "a4", from("192.0.2.99, 203.0.113.1")), 429, "rate_limited");
}

TEST(HardeningProxy, ForwardedClientsHaveTheirOwnFailedLoginThrottleAndSessionIp) {
  ServerProcess server(with({"--trusted-proxies", "127.0.0.1, ::1", "--login-limit-ip", "3/1h"}));
  HttpClient c(server.port());
  signup_from(c, "victim", from("198.51.100.7"));
  for (int i = 0; i < 3; ++i)
    expect_problem(login_from(c, "nobody" + std::to_string(i), "wrong password 1", from("203.0.113.66")), 401,
                   "invalid_credentials");
  expect_problem(login_from(c, "nobody9", "wrong password 1", from("203.0.113.66")), 429, "rate_limited");
  // The attacker's failures do not lock out the victim, who signs in from elsewhere.
  auto res = login_from(c, "uservictim", "correct horse 1", from("198.51.100.7"));
  ASSERT_EQ(res.result_int(), 200) << res;
  const auto token = str(body_json(res), "access_token");
  EXPECT_EQ(current_session_ip(c, token), "198.51.100.7");
  // The request log names the client too.
  EXPECT_TRUE(server.wait_for_log([](const json::object& l) {
    return l.contains("remote") && l.at("remote") == "198.51.100.7";
  })) << server.describe();
}

TEST(HardeningProxy, WithoutTrustedProxiesAForgedXForwardedForIsIgnored) {
  ServerProcess server(with({"--signup-limit-ip", "2/1h"}));
  HttpClient c(server.port());
  EXPECT_EQ(signup_from(c, "f1", from("203.0.113.1")).result_int(), 201);
  auto res = signup_from(c, "f2", from("203.0.113.2"));
  ASSERT_EQ(res.result_int(), 201) << res;
  // Each "client" claims another address, yet they share the peer's limit.
  expect_problem(signup_from(c, "f3", from("203.0.113.3")), 429, "rate_limited");
  expect_problem(signup_from(c, "f4", {{"Forwarded", "for=203.0.113.4"}}), 429, "rate_limited");
  EXPECT_EQ(current_session_ip(c, str(body_json(res), "access_token")), "127.0.0.1");
}

TEST(HardeningProxy, AnUntrustedPeerIsNotBelievedEvenWhenProxiesAreConfigured) {
  // The proxy is elsewhere; the test's connection comes from 127.0.0.1, which is not trusted.
  ServerProcess server(with({"--trusted-proxies", "10.0.0.0/8", "--signup-limit-ip", "1/1h"}));
  HttpClient c(server.port());
  auto res = signup_from(c, "u1", from("203.0.113.1"));
  ASSERT_EQ(res.result_int(), 201) << res;
  EXPECT_EQ(current_session_ip(c, str(body_json(res), "access_token")), "127.0.0.1");
  expect_problem(signup_from(c, "u2", from("203.0.113.2")), 429, "rate_limited");
}

TEST(HardeningProxy, AMalformedForwardedValueFallsBackToThePeer) {
  ServerProcess server(with({"--trusted-proxies", "127.0.0.1"}));
  HttpClient c(server.port());
  auto res = signup_from(c, "m1", from("203.0.113.1, not-an-address"));
  ASSERT_EQ(res.result_int(), 201) << res;
  EXPECT_EQ(current_session_ip(c, str(body_json(res), "access_token")), "127.0.0.1");
}

TEST(HardeningProxy, ABadTrustedProxiesValueIsRefusedAtStart) {
  ServerOptions o = with({"--trusted-proxies", "10.0.0.0/33"});
  o.wait_ready = false;
  ServerProcess server(o);
  auto code = server.wait_exit(std::chrono::seconds(10));
  ASSERT_TRUE(code) << server.describe();
  EXPECT_NE(*code, 0);
  EXPECT_NE((server.stdout_text() + server.stderr_text()).find("trusted-proxies"), std::string::npos) << server.describe();
}

}  // namespace
}  // namespace parley::it
