// The route table: exact segments over parameters, parameters, 405 with the allowed methods,
// HEAD as GET, WebSocket routes, and how slashes are treated.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "net/router.hpp"

namespace parley::net {
namespace {

Handler ok() {
  return [](Request&) -> asio::awaitable<Response> { co_return Response::text(200, "ok"); };
}

std::string pattern_of(const Router::Match& m) { return m.pattern ? *m.pattern : std::string("(none)"); }

using Params = std::vector<std::pair<std::string, std::string>>;
Params params_of(const Router::Match& m) {
  Params out;
  for (auto [k, v] : m.params) out.emplace_back(k, v);
  return out;
}

class RouterTest : public ::testing::TestWithParam<bool> {};

// Both registration orders: the exact route must win either way.
TEST_P(RouterTest, ExactSegmentWinsOverParameter) {
  Router r;
  if (GetParam()) {
    r.get("/v1/rooms/{id}", ok());
    r.get("/v1/rooms/join", ok());
  } else {
    r.get("/v1/rooms/join", ok());
    r.get("/v1/rooms/{id}", ok());
  }
  const auto join = r.match(http::verb::get, "/v1/rooms/join", false);
  ASSERT_NE(join.handler, nullptr);
  EXPECT_EQ(pattern_of(join), "/v1/rooms/join");
  EXPECT_TRUE(join.params.empty());
  const auto id = r.match(http::verb::get, "/v1/rooms/42", false);
  ASSERT_NE(id.handler, nullptr);
  EXPECT_EQ(pattern_of(id), "/v1/rooms/{id}");
  EXPECT_EQ(params_of(id), (Params{{"id", "42"}}));
}
INSTANTIATE_TEST_SUITE_P(BothOrders, RouterTest, ::testing::Bool());

TEST(Router, ParamsExtracted) {
  Router r;
  r.get("/v1/rooms/{room}/messages/{msg}", ok());
  r.get("/v1/rooms/{room}/messages", ok());
  const auto m = r.match(http::verb::get, "/v1/rooms/7/messages/99", false);
  EXPECT_EQ(pattern_of(m), "/v1/rooms/{room}/messages/{msg}");
  EXPECT_EQ(params_of(m), (Params{{"room", "7"}, {"msg", "99"}}));
  EXPECT_EQ(params_of(r.match(http::verb::get, "/v1/rooms/7/messages", false)), (Params{{"room", "7"}}));
  // A parameter is one raw segment: not percent-decoded, never spanning a '/'.
  EXPECT_EQ(params_of(r.match(http::verb::get, "/v1/rooms/a%2Fb/messages", false)), (Params{{"room", "a%2Fb"}}));
  EXPECT_EQ(r.match(http::verb::get, "/v1/rooms/a/b/messages", false).pattern, nullptr);
}

TEST(Router, MostSpecificRouteAmongParameters) {
  Router r;
  r.get("/v1/{a}/{b}", ok());
  r.get("/v1/{a}/me", ok());
  r.get("/v1/users/{b}", ok());
  EXPECT_EQ(pattern_of(r.match(http::verb::get, "/v1/users/me", false)), "/v1/users/{b}");
  EXPECT_EQ(pattern_of(r.match(http::verb::get, "/v1/rooms/me", false)), "/v1/{a}/me");
  EXPECT_EQ(pattern_of(r.match(http::verb::get, "/v1/rooms/x", false)), "/v1/{a}/{b}");
}

TEST(Router, UnknownPathIsNotFound) {
  Router r;
  r.get("/v1/rooms/{id}", ok());
  for (std::string_view path : {"/v1/rooms", "/v1/rooms/1/x", "/v2/rooms/1", "/"}) {
    const auto m = r.match(http::verb::get, path, false);
    EXPECT_EQ(m.handler, nullptr) << path;
    EXPECT_EQ(m.pattern, nullptr) << path;
    EXPECT_TRUE(m.allowed.empty()) << path;
  }
}

TEST(Router, KnownPathOtherMethodListsAllowed) {
  Router r;
  r.get("/v1/rooms/{id}", ok());
  r.del("/v1/rooms/{id}", ok());
  r.patch("/v1/rooms/{id}", ok());
  r.get("/v1/rooms/{id}", ok());  // a duplicate is listed once
  const auto m = r.match(http::verb::post, "/v1/rooms/1", false);
  EXPECT_EQ(m.handler, nullptr);
  EXPECT_EQ(m.allowed, (std::vector<http::verb>{http::verb::get, http::verb::delete_, http::verb::patch}));
  EXPECT_EQ(pattern_of(m), "/v1/rooms/{id}");  // a 405 is counted under its route, not "unmatched"
  // A method that matches clears the list.
  EXPECT_TRUE(r.match(http::verb::delete_, "/v1/rooms/1", false).allowed.empty());
}

TEST(Router, HeadMatchesGet) {
  Router r;
  r.get("/healthz", ok());
  r.post("/v1/rooms", ok());
  const auto m = r.match(http::verb::head, "/healthz", false);
  ASSERT_NE(m.handler, nullptr);
  EXPECT_EQ(pattern_of(m), "/healthz");
  const auto post_only = r.match(http::verb::head, "/v1/rooms", false);
  EXPECT_EQ(post_only.handler, nullptr);
  EXPECT_EQ(post_only.allowed, std::vector<http::verb>{http::verb::post});
}

TEST(Router, WebSocketRoute) {
  Router r;
  r.websocket("/v1/ws", [](std::shared_ptr<WsSession>, Request&) -> asio::awaitable<void> { co_return; });
  r.get("/v1/rooms", ok());

  const auto plain = r.match(http::verb::get, "/v1/ws", false);
  EXPECT_TRUE(plain.needs_upgrade);
  EXPECT_EQ(plain.handler, nullptr);
  EXPECT_EQ(plain.ws, nullptr);
  EXPECT_EQ(pattern_of(plain), "/v1/ws");

  const auto up = r.match(http::verb::get, "/v1/ws", true);
  EXPECT_FALSE(up.needs_upgrade);
  EXPECT_NE(up.ws, nullptr);
  EXPECT_EQ(up.handler, nullptr);

  const auto post = r.match(http::verb::post, "/v1/ws", false);
  EXPECT_FALSE(post.needs_upgrade);
  EXPECT_EQ(post.allowed, std::vector<http::verb>{http::verb::get});

  // An ordinary route asked for with an upgrade is still the ordinary handler.
  const auto rooms = r.match(http::verb::get, "/v1/rooms", true);
  EXPECT_NE(rooms.handler, nullptr);
  EXPECT_EQ(rooms.ws, nullptr);
  EXPECT_FALSE(rooms.needs_upgrade);
}

// Documented behaviour: empty segments are ignored, so a trailing slash and doubled slashes
// reach the same route as the canonical path (no redirect, no 404).
TEST(Router, SlashesAreCollapsed) {
  Router r;
  r.get("/v1/rooms", ok());
  r.get("/v1/rooms/{id}", ok());
  r.get("/", ok());
  EXPECT_EQ(pattern_of(r.match(http::verb::get, "/v1/rooms/", false)), "/v1/rooms");
  EXPECT_EQ(pattern_of(r.match(http::verb::get, "//v1//rooms", false)), "/v1/rooms");
  const auto m = r.match(http::verb::get, "/v1/rooms/5/", false);
  EXPECT_EQ(pattern_of(m), "/v1/rooms/{id}");
  EXPECT_EQ(params_of(m), (Params{{"id", "5"}}));
  EXPECT_EQ(pattern_of(r.match(http::verb::get, "/", false)), "/");
  EXPECT_EQ(pattern_of(r.match(http::verb::get, "//", false)), "/");
  // "/v1/rooms//" is "/v1/rooms", not "/v1/rooms/{id}" with an empty id.
  EXPECT_EQ(pattern_of(r.match(http::verb::get, "/v1/rooms//", false)), "/v1/rooms");
}

// Documented behaviour: when the exact route exists only for another method, the request falls
// through to a parameter route of the right method (GET /v1/rooms/join -> /v1/rooms/{id}, id=join).
TEST(Router, ExactRouteOfOtherMethodFallsThroughToParameter) {
  Router r;
  r.post("/v1/rooms/join", ok());
  r.get("/v1/rooms/{id}", ok());
  const auto m = r.match(http::verb::get, "/v1/rooms/join", false);
  EXPECT_EQ(pattern_of(m), "/v1/rooms/{id}");
  EXPECT_EQ(params_of(m), (Params{{"id", "join"}}));
  EXPECT_TRUE(m.allowed.empty());
  EXPECT_EQ(pattern_of(r.match(http::verb::post, "/v1/rooms/join", false)), "/v1/rooms/join");
}

}  // namespace
}  // namespace parley::net
