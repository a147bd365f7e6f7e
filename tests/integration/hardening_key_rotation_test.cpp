// Issue 11, item 7: `parley keys rotate` against a running server takes effect without a restart
// (new tokens are signed with the new key, old ones keep working), and after a leak
// `parley keys rotate --revoke-previous` makes tokens signed with the old keys fail at once
// (401 within a few seconds, even those the server has cached as verified) and drops those keys
// from the JWKS; sessions survive, so a client refreshes and carries on.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <chrono>
#include <functional>
#include <set>
#include <string>
#include <thread>

#include "accounts_helpers.hpp"
#include "core/encoding.hpp"
#include "http_client.hpp"
#include "problem_assertions.hpp"
#include "run_command.hpp"
#include "server_process.hpp"

namespace parley::it {
namespace {

using namespace accounts;
using namespace std::chrono_literals;
namespace json = boost::json;

// The kid in a compact JWS's header.
std::string kid_of(const std::string& token) {
  auto bytes = encoding::from_base64url(token.substr(0, token.find('.')));
  if (!bytes) return {};
  return std::string(json::parse(std::string(bytes->begin(), bytes->end())).as_object().at("kid").as_string());
}

std::set<std::string> jwks_kids(HttpClient& c) {
  auto res = c.get("/.well-known/jwks.json");
  EXPECT_EQ(res.result_int(), 200) << res;
  std::set<std::string> kids;
  const auto doc = body_json(res);  // kept: a range-for over a temporary's member would dangle
  for (const auto& k : doc.at("keys").as_array()) kids.insert(str(k, "kid"));
  return kids;
}

// Polls `done` (every 50 ms) until it holds or `timeout` passes.
bool eventually(const std::function<bool()>& done, std::chrono::milliseconds timeout = 10s) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (done()) return true;
    std::this_thread::sleep_for(50ms);
  }
  return done();
}

std::string access_token(const Response& r) { return str(body_json(r), "access_token"); }

TEST(HardeningKeyRotation, RotateThenRevokePreviousOnARunningServer) {
  ServerProcess server(fast_server());
  HttpClient c(server.port());
  const auto s = signup(c, "kim@example.com", "kim");
  const auto token1 = str(s, "access_token");
  const auto kid1 = kid_of(token1);
  ASSERT_FALSE(kid1.empty());
  EXPECT_EQ(c.get("/v1/me", bearer(token1)).result_int(), 200);  // verified once: now in the cache

  // A plain rotation: new tokens get the new key, old ones still work and stay published.
  auto rotated = run_parley({"keys", "rotate", "--data", server.data_dir().string()});
  ASSERT_EQ(rotated.exit_code, 0) << rotated.err;
  std::string token2;
  ASSERT_TRUE(eventually([&] {
    auto l = login(c, "kim", "correct horse 1");
    if (l.result_int() != 200) return false;
    token2 = access_token(l);
    return kid_of(token2) != kid1;
  })) << "the running server does not sign with the rotated key";
  const auto kid2 = kid_of(token2);
  EXPECT_EQ(c.get("/v1/me", bearer(token1)).result_int(), 200);
  EXPECT_EQ(c.get("/v1/me", bearer(token2)).result_int(), 200);
  EXPECT_EQ(jwks_kids(c), (std::set<std::string>{kid1, kid2}));

  // The keys leaked: rotate and revoke every previous one.
  auto revoked = run_parley({"keys", "rotate", "--revoke-previous", "--data", server.data_dir().string()});
  ASSERT_EQ(revoked.exit_code, 0) << revoked.err;
  EXPECT_NE(revoked.out.find(kid1), std::string::npos) << revoked.out;
  EXPECT_NE(revoked.out.find(kid2), std::string::npos) << revoked.out;
  ASSERT_TRUE(eventually([&] { return c.get("/v1/me", bearer(token1)).result_int() == 401; }, 5s))
      << "a token signed with a revoked key still works";
  expect_problem(c.get("/v1/me", bearer(token1)), 401, "invalid_token");
  expect_problem(c.get("/v1/me", bearer(token2)), 401, "invalid_token");
  const auto kids = jwks_kids(c);
  EXPECT_EQ(kids.size(), 1u);
  EXPECT_FALSE(kids.contains(kid1));
  EXPECT_FALSE(kids.contains(kid2));

  // New tokens come from the new key; the sessions live on, so a refresh gets a good token.
  auto l = login(c, "kim", "correct horse 1");
  ASSERT_EQ(l.result_int(), 200) << l;
  const auto kid3 = kid_of(access_token(l));
  EXPECT_TRUE(kids.contains(kid3));
  EXPECT_EQ(c.get("/v1/me", bearer(access_token(l))).result_int(), 200);
  auto r = c.post_json("/v1/auth/refresh", json::serialize(json::object{{"refresh_token", str(s, "refresh_token")}}));
  ASSERT_EQ(r.result_int(), 200) << r;
  EXPECT_EQ(kid_of(access_token(r)), kid3);
  EXPECT_EQ(c.get("/v1/me", bearer(access_token(r))).result_int(), 200);
  // The server said what it did.
  EXPECT_TRUE(server.wait_for_log([&](const json::object& line) {
    const auto* msg = line.if_contains("msg");
    const auto* kid = line.if_contains("signing_kid");
    return msg && msg->is_string() && msg->as_string() == "signing keys reloaded" && kid && kid->is_string() &&
           kid->as_string() == kid3;
  }));
}

}  // namespace
}  // namespace parley::it
